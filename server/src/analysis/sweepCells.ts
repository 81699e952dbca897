// A sweep's cells: the cartesian product of its axes, first axis varying slowest, addressed by a
// 0-based index (what `--index N`, JOB_COMPLETION_INDEX and SLURM_ARRAY_TASK_ID give). Resolving
// a cell is resolving the experiment with the cell's values applied before any `--set`.

import type { ConfigValue } from '../../../schemas/src/experimentConfig';
import type { Analysis, SweepAxis, SweepInfo } from './analysis';
import { error, type Accept } from './diagnostics';
import { unknownName } from './didYouMean';
import { lookupKeyPath, type KeyPathTarget } from './keyPath';
import type { TypedValue } from './keys/types';
import type { Assignment } from './overrides';
import { resolveWith, type ResolveOptions, type ResolveProblem, type ResolveResult } from './resolve';
import { toConfigValue } from './buildConfig';

export interface SweepCell {
  index: number;
  /** The cell's value per axis, by dotted key, in axis order. */
  values: Record<string, TypedValue>;
  /** The same, as written in the language (`3e-4`, `10%`, `2 epochs`), for labels. */
  texts: Record<string, string>;
}

export type SweepExpansion = { cells: SweepCell[] } | { errors: ResolveProblem[] };

/** Cells resolve one by one; above this many per sweep, or per file, the editor stops checking them. */
export const CHECKED_CELLS = 64;
export const CHECKED_CELLS_PER_FILE = 256;

export function sweepProblems(analysis: Analysis, sweepName: string): ResolveProblem[] {
  const sweep = analysis.sweeps.get(sweepName);
  if (!sweep) {
    if (analysis.experiments.has(sweepName)) return [{ code: 'not-a-sweep', message: `'${sweepName}' is an experiment, not a sweep` }];
    const u = unknownName('sweep', sweepName, [...analysis.sweeps.keys()], { start: 0, end: 0 });
    return [{ code: 'unknown-sweep', message: analysis.sweeps.size === 0 ? `the file declares no sweep (looked for '${sweepName}')` : u.message }];
  }
  const problems: ResolveProblem[] = [];
  const sweepSpan = sweep.decl.span;
  for (const d of analysis.diagnostics) {
    if (d.severity === 'error' && d.span.start >= sweepSpan.start && d.span.end <= sweepSpan.end && !d.code.startsWith('sweep-cell')) {
      problems.push({ code: d.code, message: d.message, span: d.span });
    }
  }
  if (problems.length === 0 && sweep.axes.some((a) => a.invalid)) {
    problems.push({ code: 'invalid-axis', message: `sweep '${sweepName}' has an invalid axis`, span: sweep.decl.name?.span });
  }
  if (!sweep.target || !analysis.experiments.has(sweep.target)) {
    if (problems.length === 0) problems.push({ code: 'unknown-experiment', message: `sweep '${sweepName}' names no known experiment`, span: sweep.decl.span });
  }
  return problems;
}

export function sweepCellCount(sweep: SweepInfo): number {
  return sweep.axes.reduce((n, a) => n * a.values.length, 1);
}

/** Every cell, in index order (first axis slowest). */
export function expandSweep(analysis: Analysis, sweepName: string): SweepExpansion {
  const problems = sweepProblems(analysis, sweepName);
  if (problems.length > 0) return { errors: problems };
  const sweep = analysis.sweeps.get(sweepName) as SweepInfo;
  const count = sweepCellCount(sweep);
  const cells: SweepCell[] = [];
  for (let i = 0; i < count; i++) cells.push(cellAt(sweep, i));
  return { cells };
}

/** Cell `index` without building the others: the index in mixed radix, last axis fastest. */
export function cellAt(sweep: SweepInfo, index: number): SweepCell {
  const values: Record<string, TypedValue> = {};
  const texts: Record<string, string> = {};
  let rest = index;
  const picks: number[] = new Array(sweep.axes.length);
  for (let a = sweep.axes.length - 1; a >= 0; a--) {
    const n = sweep.axes[a].values.length;
    picks[a] = rest % n;
    rest = Math.floor(rest / n);
  }
  sweep.axes.forEach((axis, a) => {
    values[axis.key] = axis.values[picks[a]].value;
    texts[axis.key] = axis.values[picks[a]].text;
  });
  return { index, values, texts };
}

export function resolveSweepCell(analysis: Analysis, sweepName: string, index: number, options: ResolveOptions = {}): ResolveResult {
  const problems = sweepProblems(analysis, sweepName);
  if (problems.length > 0) return { errors: problems };
  const sweep = analysis.sweeps.get(sweepName) as SweepInfo;
  const count = sweepCellCount(sweep);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    return { errors: [{ code: 'index-out-of-range', message: `index ${index} is outside sweep '${sweepName}', whose ${count} cell${count === 1 ? ' has' : 's have'} indices 0..${count - 1}` }] };
  }
  const cell = cellAt(sweep, index);
  const assignments = sweep.axes.map((axis) => assignmentOf(axis, cell.values[axis.key]));
  const values: Record<string, ConfigValue> = {};
  for (const [key, value] of Object.entries(cell.values)) values[key] = toConfigValue(value);
  return resolveWith(analysis, sweep.target as string, options, { sweep: sweepName, index, cells: count, assignments, values });
}

function assignmentOf(axis: SweepAxis, value: TypedValue): Assignment {
  const found = lookupKeyPath(axis.parts) as { target: KeyPathTarget };
  const target = found.target;
  if (target.kind === 'key') return { type: 'value', target, value, node: axis.node };
  const kindNode = axis.values.find((v) => v.value === value)?.node;
  return { type: 'kind', target, kind: value as string, node: axis.node, kindNode };
}

/**
 * The analyser's look at the cells: when the sweep and its experiment are otherwise clean and the
 * sweep is small, every cell is resolved, and what breaks one (a warm-up longer than a swept
 * epoch count) is reported on the sweep's name.
 */
export function checkSweepCells(analysis: Analysis, sweep: SweepInfo, accept: Accept, budget: { cells: number }): void {
  if (!sweep.target || sweepProblems(analysis, sweep.name).length > 0) return;
  const count = sweepCellCount(sweep);
  if (count === 0 || count > CHECKED_CELLS || count > budget.cells) return;
  budget.cells -= count;
  if ('errors' in resolveWith(analysis, sweep.target, {}, undefined)) return; // reported on the experiment
  const anchor = sweep.decl.name?.span ?? sweep.decl.keyword;
  const reported = new Set<string>();
  for (let i = 0; i < count; i++) {
    const result = resolveSweepCell(analysis, sweep.name, i);
    if (!('errors' in result)) continue;
    const cell = cellAt(sweep, i);
    const label = Object.entries(cell.texts).map(([k, v]) => `${k} ${v}`).join(', ');
    for (const problem of result.errors) {
      if (reported.has(problem.message)) continue;
      reported.add(problem.message);
      accept(
        error(anchor, 'sweep-cell-invalid', `cell ${i} (${label}): ${problem.message}`, {
          related: problem.span ? [{ span: problem.span, message: 'the entry involved' }] : undefined,
        }),
      );
    }
  }
}
