// The masks heatmap as a grid: one row per encoder block (then one "model" row for matrices
// outside the blocks: pooler, head, embeddings), one column per matrix kind in the order a block
// computes them. Pure: positions and values only; the view paints them.

import type { MaskMatrixSnapshot } from '../../../schemas/src/trainerMessages';

export const MATRIX_ORDER = ['query', 'key', 'value', 'attention_output', 'intermediate', 'output', 'embeddings', 'pooler', 'head'];

/** Column headings short enough for a cell. */
export const MATRIX_SHORT: Record<string, string> = {
  query: 'Q',
  key: 'K',
  value: 'V',
  attention_output: 'attn out',
  intermediate: 'FFN in',
  output: 'FFN out',
  embeddings: 'emb',
  pooler: 'pooler',
  head: 'head',
};

export interface HeatmapCell {
  row: number;
  column: number;
  matrix: Pick<MaskMatrixSnapshot, 'name' | 'block' | 'matrix' | 'shape'>;
  value: number;
  /** What selects the cell when a matrix has several (one per step in the history strip); else its name. */
  key?: string;
}

export interface HeatmapLayout {
  rows: { label: string; block: number | null }[];
  columns: { key: string; label: string }[];
  cells: HeatmapCell[];
}

type Placed = Pick<MaskMatrixSnapshot, 'name' | 'block' | 'matrix' | 'shape'>;

export function heatmapLayout<T extends Placed>(matrices: readonly T[], value: (matrix: T) => number): HeatmapLayout {
  const blocks = [...new Set(matrices.map((m) => m.block).filter((b): b is number => b !== null))].sort((a, b) => a - b);
  const hasModelRow = matrices.some((m) => m.block === null);
  const rows = [...blocks.map((b) => ({ label: `block ${b}`, block: b as number | null })), ...(hasModelRow ? [{ label: 'model', block: null }] : [])];
  const rowOf = new Map(rows.map((r, i) => [r.block, i]));

  // A second matrix of the same kind in the same row (a custom selector) gets its own column.
  const occupied = new Set<string>();
  const columnKeyOf = (m: T): string => {
    let key = m.matrix;
    for (let n = 2; occupied.has(`${m.block}|${key}`); n++) key = `${m.matrix} (${n})`;
    occupied.add(`${m.block}|${key}`);
    return key;
  };
  const keyed = matrices.map((m) => ({ m, key: columnKeyOf(m) }));
  const rank = (key: string) => {
    const base = key.replace(/ \(\d+\)$/, '');
    const i = MATRIX_ORDER.indexOf(base);
    return i < 0 ? MATRIX_ORDER.length : i;
  };
  const keys = [...new Set(keyed.map((k) => k.key))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const columns = keys.map((key) => {
    const base = key.replace(/ \(\d+\)$/, '');
    return { key, label: (MATRIX_SHORT[base] ?? base) + key.slice(base.length) };
  });
  const columnOf = new Map(keys.map((k, i) => [k, i]));
  const cells = keyed.map(({ m, key }) => ({
    row: rowOf.get(m.block)!,
    column: columnOf.get(key)!,
    matrix: { name: m.name, block: m.block, matrix: m.matrix, shape: m.shape },
    value: value(m),
  }));
  return { rows, columns, cells };
}
