// The ways `masklab.showResolvedConfig` gets called, reduced to one shape:
//   code lens (from the server): [uri: string, experiment: string, index?: number]
//   editor title / context menu: [uri: vscode.Uri]   (anything with a string-valued toString)
//   command palette:             []
// Pure so the argument handling is unit-tested without VS Code.

export interface ShowResolvedConfigRequest {
  /** Source document; absent means "the active editor". */
  sourceUri?: string;
  /** Absent means "ask which one". */
  experiment?: string;
  index?: number;
}

export function readShowResolvedConfigArguments(args: readonly unknown[]): ShowResolvedConfigRequest | { error: string } {
  const [uri, experiment, index] = args;
  const request: ShowResolvedConfigRequest = {};
  if (typeof uri === 'string') {
    request.sourceUri = uri;
  } else if (isUriLike(uri)) {
    request.sourceUri = uri.toString();
  } else if (uri !== undefined && uri !== null) {
    return { error: `expected a document uri as the first argument, got ${describe(uri)}` };
  }
  if (typeof experiment === 'string' && experiment.length > 0) {
    request.experiment = experiment;
  } else if (experiment !== undefined && experiment !== null) {
    return { error: `expected an experiment name as the second argument, got ${describe(experiment)}` };
  }
  if (typeof index === 'number' && Number.isSafeInteger(index) && index >= 0) {
    request.index = index;
  } else if (index !== undefined && index !== null) {
    return { error: `expected a sweep cell index (a whole number ≥ 0) as the third argument, got ${describe(index)}` };
  }
  return request;
}

function isUriLike(value: unknown): value is { scheme: string; toString(): string } {
  return typeof value === 'object' && value !== null && typeof (value as { scheme?: unknown }).scheme === 'string';
}

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
