// The custom request the language server answers with an experiment's resolved config (client → server).

export const RESOLVED_CONFIG_METHOD = 'masklab/resolvedConfig';

export interface ResolvedConfigParams {
  /** The `*.masklab` document, as the LSP uri string the server knows it by. */
  uri: string;
  /** Name of an experiment, or of a sweep (then `index` picks one cell of its grid). */
  experiment: string;
  index?: number;
}

export type ResolvedConfigResult = { json: string } | { error: string };

/** Narrows an answer that came over the wire; anything else is reported as a protocol error. */
export function readResolvedConfigResult(value: unknown): ResolvedConfigResult {
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.json === 'string') return { json: record.json };
    if (typeof record.error === 'string') return { error: record.error };
  }
  return {
    error: `the language server answered ${RESOLVED_CONFIG_METHOD} with ${JSON.stringify(value) ?? 'nothing'}; expected { json } or { error }`,
  };
}
