// The ways the run commands (Train, Evaluate, Open last run, Resume, Cancel) get called, reduced
// to one shape. Pure, so the argument handling is unit-tested without VS Code:
//   code lens on an experiment:  [uri: string, experiment: string]
//   code lens on a sweep:        [uri, sweep, null, { cellCount, cellLabels }]   (ask which cell)
//   editor title / context menu: [uri: vscode.Uri]
//   Runs view:                   [node: { kind: 'run', runDir, runId } | { kind: 'group', runs }, selected?: node[]]
//   status bar, lens Cancel:     [runId: string]     (Cancel only)
//   command palette:             []

export interface SweepCellChoice {
  cellCount: number;
  cellLabels: string[];
}

export interface RunCommandRequest {
  /** Source document; absent means "the active editor". */
  sourceUri?: string;
  /** Absent means "ask which one". */
  experiment?: string;
  index?: number;
  /** A sweep lens: the cells to offer when asking. */
  cells?: SweepCellChoice;
  /** A run from the Runs view (or a run id for Cancel). */
  runs?: { runDir: string; runId: string }[];
  runId?: string;
}

export function readRunCommandArguments(args: readonly unknown[]): RunCommandRequest | { error: string } {
  const [first, second, third, fourth] = args;
  if (isNode(first)) {
    const nodes = Array.isArray(second) && second.every(isNode) && second.length > 0 ? second : [first];
    return { runs: dedupe(nodes.flatMap(runsOfNode)) };
  }
  if (typeof first === 'string' && args.length === 1 && !first.includes(':')) return { runId: first };
  const request: RunCommandRequest = {};
  if (typeof first === 'string') request.sourceUri = first;
  else if (isUriLike(first)) request.sourceUri = first.toString();
  else if (first !== undefined && first !== null) return { error: `expected a document uri, a run or a run id as the first argument, got ${describe(first)}` };
  if (typeof second === 'string' && second.length > 0) request.experiment = second;
  else if (second !== undefined && second !== null) return { error: `expected an experiment name as the second argument, got ${describe(second)}` };
  if (typeof third === 'number' && Number.isSafeInteger(third) && third >= 0) request.index = third;
  else if (third !== undefined && third !== null) return { error: `expected a sweep cell index (a whole number ≥ 0) as the third argument, got ${describe(third)}` };
  if (fourth !== undefined && fourth !== null) {
    if (!isCellChoice(fourth)) return { error: `expected the sweep's cells ({ cellCount, cellLabels }) as the fourth argument, got ${describe(fourth)}` };
    request.cells = fourth;
  }
  return request;
}

type NodeLike = { kind: 'run'; runDir: string; runId: string } | { kind: 'group'; runs: { runDir: string; runId: string }[] };

function isNode(value: unknown): value is NodeLike {
  if (typeof value !== 'object' || value === null) return false;
  const node = value as { kind?: unknown; runDir?: unknown; runId?: unknown; runs?: unknown };
  if (node.kind === 'run') return typeof node.runDir === 'string' && typeof node.runId === 'string';
  return node.kind === 'group' && Array.isArray(node.runs);
}

function runsOfNode(node: NodeLike): { runDir: string; runId: string }[] {
  return node.kind === 'run' ? [{ runDir: node.runDir, runId: node.runId }] : node.runs.map((r) => ({ runDir: r.runDir, runId: r.runId }));
}

function dedupe(runs: { runDir: string; runId: string }[]): { runDir: string; runId: string }[] {
  const seen = new Map<string, { runDir: string; runId: string }>();
  for (const run of runs) seen.set(run.runDir, run);
  return [...seen.values()];
}

function isCellChoice(value: unknown): value is SweepCellChoice {
  if (typeof value !== 'object' || value === null) return false;
  const { cellCount, cellLabels } = value as { cellCount?: unknown; cellLabels?: unknown };
  return typeof cellCount === 'number' && Number.isSafeInteger(cellCount) && cellCount >= 0 && Array.isArray(cellLabels) && cellLabels.every((l) => typeof l === 'string');
}

function isUriLike(value: unknown): value is { scheme: string; toString(): string } {
  return typeof value === 'object' && value !== null && typeof (value as { scheme?: unknown }).scheme === 'string';
}

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

export interface CellPickItem {
  label: string;
  description: string;
  index: number;
}

/** QuickPick items for a sweep's cells: `cell 3` with its values. */
export function cellPickItems(choice: SweepCellChoice): CellPickItem[] {
  return choice.cellLabels.slice(0, choice.cellCount).map((values, index) => ({ label: `cell ${index}`, description: values, index }));
}
