// Addresses of the read-only "resolved config" documents, e.g.
//   masklab-config:/sst2_mask.json?file%3A%2F%2F%2Fwork%2Fsst2.masklab
//   masklab-config:/seeds_and_rates%20%232.json?…           (cell 2 of a sweep)
// The path names what is shown (the editor tab reads "sst2_mask.json" / "seeds_and_rates #2.json",
// and the `.json` ending gives the document JSON highlighting); the query carries the source
// document so the content can be fetched again after a reload or an edit. Pure: the extension
// turns these parts into a vscode.Uri with Uri.from, which encodes and decodes them.

import { RESOLVED_CONFIG_SCHEME } from './contributions';

export interface ResolvedConfigTarget {
  /** The `*.masklab` document, as the uri string VS Code and the language server use. */
  sourceUri: string;
  /** An experiment, or a sweep when `index` is set. */
  experiment: string;
  index?: number;
}

export interface UriParts {
  scheme: string;
  path: string;
  query: string;
}

const PATH_PATTERN = /^\/([^/]+?)(?: #(\d+))?\.json$/;

/** The file name shown on the editor tab. */
export function resolvedConfigFileName(target: Pick<ResolvedConfigTarget, 'experiment' | 'index'>): string {
  return target.index === undefined ? `${target.experiment}.json` : `${target.experiment} #${target.index}.json`;
}

export function resolvedConfigUriParts(target: ResolvedConfigTarget): UriParts {
  if (target.experiment.length === 0 || target.experiment.includes('/')) {
    throw new Error(`cannot address a resolved config for the experiment name ${JSON.stringify(target.experiment)}: expected a non-empty name without "/"`);
  }
  if (target.index !== undefined && !(Number.isSafeInteger(target.index) && target.index >= 0)) {
    throw new Error(`cannot address sweep cell ${target.index} of "${target.experiment}": expected a whole number ≥ 0`);
  }
  return {
    scheme: RESOLVED_CONFIG_SCHEME,
    path: `/${resolvedConfigFileName(target)}`,
    query: target.sourceUri,
  };
}

/** The inverse of resolvedConfigUriParts; undefined for any other uri. */
export function parseResolvedConfigUri(parts: UriParts): ResolvedConfigTarget | undefined {
  if (parts.scheme !== RESOLVED_CONFIG_SCHEME || parts.query.length === 0) return undefined;
  const match = PATH_PATTERN.exec(parts.path);
  if (!match) return undefined;
  const target: ResolvedConfigTarget = { sourceUri: parts.query, experiment: match[1] };
  if (match[2] !== undefined) {
    const index = Number(match[2]);
    if (!Number.isSafeInteger(index)) return undefined;
    target.index = index;
  }
  return target;
}

/** A stable key for "the same resolved config", independent of how the uri string was encoded. */
export function resolvedConfigKey(target: ResolvedConfigTarget): string {
  return JSON.stringify([target.sourceUri, target.experiment, target.index ?? null]);
}
