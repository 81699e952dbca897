// Code lenses: on each experiment, Train (Cancel while it trains), Evaluate, Open last run, Show
// resolved config and a summary of what its method touches; on each sweep, Train / Evaluate /
// Open last run of a cell (the client asks which, listing the cells' values) and one lens per cell
// (its values) that opens that cell's resolved config.

import type { CodeLens, Range } from 'vscode-languageserver-types';
import type { Analysis, ExperimentInfo, SelectionInfo } from '../analysis/analysis';
import { cellAt, sweepCellCount, sweepProblems } from '../analysis/sweepCells';
import type { SweepInfo } from '../analysis/analysis';
import type { Declaration } from '../dsl/ast';
import type { LineIndex } from '../dsl/lineIndex';
import { compactNumber } from './compactNumber';
import { toRange } from './ranges';
import { targetCount } from './selectionSummary';

export const SHOW_RESOLVED_CONFIG = 'masklab.showResolvedConfig';
export const TRAIN = 'masklab.train';
export const EVALUATE = 'masklab.evaluate';
export const OPEN_LAST_RUN = 'masklab.openLastRun';
export const CANCEL_RUN = 'masklab.cancelRun';

/** A sweep lens's 4th argument: what the client lists when it asks which cell. */
export interface SweepCellChoice {
  cellCount: number;
  /** `seed=1, lr=1e-4` for the first cells (at most MAX_LISTED_CELLS). */
  cellLabels: string[];
}

/** Cells listed by name in a sweep lens's argument; past this the client asks for a number. */
export const MAX_LISTED_CELLS = 256;

export interface CodeLensOptions {
  /** Runs of this document's experiment or sweep `name` being trained now (cells carry their index). */
  activeRuns?: (name: string) => readonly { runId: string; index?: number }[];
}

/** Lenses are one line of text: a sweep of hundreds of cells gets this many and a `+N more`. */
export const MAX_CELL_LENSES = 16;

export function codeLenses(analysis: Analysis, lines: LineIndex, options: CodeLensOptions = {}): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const decl of analysis.document.declarations) {
    const name = decl.name?.name;
    if (!name) continue;
    const range = headerRange(lines, decl);
    const active = options.activeRuns?.(name) ?? [];
    if (decl.kind === 'experiment') {
      const info = analysis.experiments.get(name);
      if (!info || info.decl !== decl) continue;
      const target = [analysis.uri, name];
      const training = active.find((run) => run.index === undefined);
      lenses.push(
        training
          ? { range, command: { title: '$(debug-stop) Cancel training', command: CANCEL_RUN, arguments: [training.runId] } }
          : { range, command: { title: '$(play) Train', command: TRAIN, arguments: target } },
        { range, command: { title: 'Evaluate', command: EVALUATE, arguments: target } },
        { range, command: { title: 'Open last run', command: OPEN_LAST_RUN, arguments: target } },
        { range, command: { title: 'Show resolved config', command: SHOW_RESOLVED_CONFIG, arguments: target } },
      );
      const summary = methodSummary(analysis, info);
      // An empty command id makes a lens the editor shows as plain text.
      if (summary) lenses.push({ range, command: { title: summary, command: '' } });
    } else {
      const sweep = analysis.sweeps.get(name);
      if (sweep && sweep.decl === decl) lenses.push(...sweepLenses(analysis, sweep, range, active));
    }
  }
  return lenses;
}

function headerRange(lines: LineIndex, decl: Declaration): Range {
  return toRange(lines, { start: decl.keyword.start, end: decl.name?.span.end ?? decl.keyword.end });
}

/** `mask · 14 matrices · 0.4M params`, from the selection recorded on the method's kind (or key). */
function methodSummary(analysis: Analysis, info: ExperimentInfo): string | undefined {
  const method = info.effective.blocks.get('method');
  const kind = method?.kind?.name;
  if (!method || !kind) return undefined;
  const spans = [method.kind?.node.span, method.node?.key.span];
  const selection: SelectionInfo | undefined = analysis.selections.find(
    (s) => s.experiment === info.name && spans.some((span) => span && span.start === s.span.start && span.end === s.span.end),
  );
  if (!selection || selection.tensors === 0) return undefined;
  return `${kind} · ${targetCount(selection)} · ${compactNumber(selection.parameters)} params`;
}

function sweepLenses(analysis: Analysis, sweep: SweepInfo, range: Range, active: readonly { runId: string; index?: number }[]): CodeLens[] {
  if (sweep.axes.length === 0 || sweepProblems(analysis, sweep.name).length > 0) return [];
  const count = sweepCellCount(sweep);
  const names = shortNames(sweep);
  const label = (index: number) => {
    const cell = cellAt(sweep, index);
    return sweep.axes.map((axis) => `${names.get(axis.key)}=${cell.texts[axis.key]}`).join(', ');
  };
  const choice: SweepCellChoice = { cellCount: count, cellLabels: Array.from({ length: Math.min(count, MAX_LISTED_CELLS) }, (_, i) => label(i)) };
  // `null` for the index: the client asks which cell.
  const target = [analysis.uri, sweep.name, null, choice];
  const lenses: CodeLens[] = [];
  for (const run of active) {
    if (run.index !== undefined) lenses.push({ range, command: { title: `$(debug-stop) Cancel cell ${run.index}`, command: CANCEL_RUN, arguments: [run.runId] } });
  }
  lenses.push(
    { range, command: { title: '$(play) Train cell…', command: TRAIN, arguments: target } },
    { range, command: { title: 'Evaluate cell…', command: EVALUATE, arguments: target } },
    { range, command: { title: 'Open last run…', command: OPEN_LAST_RUN, arguments: target } },
  );
  for (let index = 0; index < Math.min(count, MAX_CELL_LENSES); index++) {
    lenses.push({ range, command: { title: `cell ${index}: ${label(index)}`, command: SHOW_RESOLVED_CONFIG, arguments: [analysis.uri, sweep.name, index] } });
  }
  if (count > MAX_CELL_LENSES) lenses.push({ range, command: { title: `+${count - MAX_CELL_LENSES} more cells`, command: '' } });
  return lenses;
}

/** `train.seed` → `seed`, unless another axis ends the same way (`sparsity` in method and prune). */
function shortNames(sweep: SweepInfo): Map<string, string> {
  const last = (key: string) => key.slice(key.lastIndexOf('.') + 1);
  const names = new Map<string, string>();
  for (const axis of sweep.axes) {
    const short = last(axis.key);
    const clash = sweep.axes.some((other) => other !== axis && last(other.key) === short);
    names.set(axis.key, clash ? axis.key : short);
  }
  return names;
}
