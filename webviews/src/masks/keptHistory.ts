// How each matrix's kept fraction moved over a run's snapshots: the "over time" strip under the
// heatmap (one row per matrix, one column per snapshot step). Only the kept fractions are kept
// (a snapshot's images are dropped), so a long run's history stays small; the steps drawn are an
// even sample when there are more than the strip has room for. Pure.

import type { MaskMatrixSnapshot } from '../../../schemas/src/trainerMessages';
import { heatmapLayout, MATRIX_SHORT, type HeatmapLayout } from './heatmapLayout';

type Placed = Pick<MaskMatrixSnapshot, 'name' | 'block' | 'matrix' | 'shape'>;

export class KeptHistory {
  private readonly byRun = new Map<string, Map<number, Map<string, number>>>();
  /** The matrices of each run's newest snapshot seen (names, places, shapes), for the rows. */
  private readonly matricesOf = new Map<string, { step: number; matrices: Placed[] }>();

  /** Records a snapshot's kept fractions; false when that step was known already. */
  add(runDir: string, snapshot: { step: number; matrices: readonly (Placed & { kept: number })[] }): boolean {
    let steps = this.byRun.get(runDir);
    if (!steps) this.byRun.set(runDir, (steps = new Map()));
    const known = steps.has(snapshot.step);
    steps.set(snapshot.step, new Map(snapshot.matrices.map((m) => [m.name, m.kept])));
    const newest = this.matricesOf.get(runDir);
    if (!newest || snapshot.step >= newest.step) {
      this.matricesOf.set(runDir, { step: snapshot.step, matrices: snapshot.matrices.map(({ name, block, matrix, shape }) => ({ name, block, matrix, shape })) });
    }
    return !known;
  }

  has(runDir: string, step: number): boolean {
    return this.byRun.get(runDir)?.has(step) ?? false;
  }

  /** Every kept fraction recorded for the run at these steps (for a fitted colour domain). */
  values(runDir: string, steps: readonly number[]): number[] {
    const out: number[] = [];
    for (const step of steps) for (const v of this.byRun.get(runDir)?.get(step)?.values() ?? []) out.push(v);
    return out;
  }

  /**
   * Rows: the matrices in heatmap order (block by block, then pooler and head), labelled
   * `b0 Q`; columns: `steps`; a cell for every (matrix, step) recorded. Cells carry the key
   * `name@step`, by which the strip selects.
   */
  layout(runDir: string, steps: readonly number[]): HeatmapLayout {
    const matrices = this.matricesOf.get(runDir)?.matrices ?? [];
    const grid = heatmapLayout(matrices, () => 0);
    const ordered = [...grid.cells].sort((a, b) => a.row - b.row || a.column - b.column);
    const rows = ordered.map((c) => ({ label: rowLabel(c.matrix), block: c.matrix.block }));
    const columns = steps.map((s) => ({ key: String(s), label: String(s) }));
    const recorded = this.byRun.get(runDir);
    const cells: HeatmapLayout['cells'] = [];
    ordered.forEach((c, row) => {
      steps.forEach((step, column) => {
        const kept = recorded?.get(step)?.get(c.matrix.name);
        if (kept !== undefined) cells.push({ row, column, matrix: c.matrix, value: kept, key: `${c.matrix.name}@${step}` });
      });
    });
    return { rows, columns, cells };
  }
}

/** `b0 Q`, `b11 FFN out`, `pooler`. */
export function rowLabel(matrix: Pick<MaskMatrixSnapshot, 'block' | 'matrix'>): string {
  const short = MATRIX_SHORT[matrix.matrix] ?? matrix.matrix;
  return matrix.block === null ? short : `b${matrix.block} ${short}`;
}

/** At most `max` of `steps` (ascending), evenly spread, always with the first and the last. */
export function sampleSteps(steps: readonly number[], max: number): number[] {
  if (steps.length <= max) return [...steps];
  if (max <= 1) return steps.length > 0 ? [steps[steps.length - 1]] : [];
  const picked = new Set<number>();
  for (let i = 0; i < max; i++) picked.add(steps[Math.round((i * (steps.length - 1)) / (max - 1))]);
  return [...picked].sort((a, b) => a - b);
}

/** The key a strip cell is selected by. */
export function stripKey(name: string, step: number): string {
  return `${name}@${step}`;
}
