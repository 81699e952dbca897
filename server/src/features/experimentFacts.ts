// What the features ask of the analysis about the declaration under the cursor: its experiment
// (for a sweep, the experiment it runs over), the checkpoint that experiment reads, the kind of a
// block (written, or inherited through `extends`) and the defaults that apply there.

import type { Analysis, ExperimentInfo } from '../analysis/analysis';
import { blockAtPath } from '../analysis/entryTree';
import { EntryValues } from '../analysis/entryValues';
import { blockAt, defaultFor, findKind, type DefaultContext, type KeySpec, type TypedValue } from '../analysis/keyTable';
import type { ModelDescription } from '../checkpoint/modelKnowledge';
import type { Block, Declaration } from '../dsl/ast';

/** The experiment a declaration is about: itself, or the target of a sweep. */
export function experimentFor(analysis: Analysis, decl: Declaration): ExperimentInfo | undefined {
  const name = decl.kind === 'experiment' ? decl.name?.name : decl.target?.name;
  if (!name) return undefined;
  const info = analysis.experiments.get(name);
  // A second declaration of the same name is not the one the analysis registered.
  if (!info || (decl.kind === 'experiment' && info.decl !== decl)) return undefined;
  return info;
}

export function modelOf(info: ExperimentInfo | undefined): ModelDescription | undefined {
  const state = info?.model;
  return state && 'description' in state ? state.description : undefined;
}

/**
 * The kind family of the block at `path` (`mask` for `['method']`): the kind written on the block
 * that opened it when it names a known kind, else what the experiment's effective entries say.
 */
export function familyAt(analysis: Analysis, decl: Declaration, path: readonly string[], opener?: Block): string | undefined {
  if (path.length === 0) return undefined;
  const spec = blockAt(path);
  const written = opener?.args[0];
  if (spec && written?.kind === 'identifier-value') {
    const kind = findKind(spec, written.name);
    if (kind) return kind.family;
  }
  const info = experimentFor(analysis, decl);
  return info ? blockAtPath(info.effective, path)?.kind?.family : undefined;
}

/** Defaults as they apply in `info` (which reads other keys, e.g. `method.mode`). */
export function defaultsContext(info: ExperimentInfo | undefined, family: string | undefined): DefaultContext {
  const values = info ? new EntryValues(info.effective) : undefined;
  return { kind: family, get: (p) => values?.get(p) };
}

export function defaultIn(key: KeySpec, family: string | undefined, info: ExperimentInfo | undefined): TypedValue | undefined {
  return defaultFor(key, family, defaultsContext(info, family));
}
