// Mask snapshots for the editor's mask views: per matrix, the kept fraction, a block-pooled image
// of at most 64×64 cells (each cell the kept fraction of the entries it covers, 0–255) in the
// checkpoint's [out, in] orientation (rows = output features), and a histogram of the scores.

import type { MaskMatrixSnapshot } from '../../../../schemas/src/trainerMessages';

export const SNAPSHOT_MAX_SIDE = 64;
export const SCORE_BINS = 32;

export interface SnapshotInput {
  name: string;
  block: number | null;
  matrix: string;
  /** 0/1 mask in the trainer's [in, out] layout. */
  mask: Float32Array;
  inFeatures: number;
  outFeatures: number;
  /** Real-valued scores in the same layout, when the method has them. */
  scores?: Float32Array;
}

export function maskSnapshot(input: SnapshotInput): MaskMatrixSnapshot {
  const { mask, inFeatures, outFeatures } = input;
  const cellRows = Math.ceil(outFeatures / SNAPSHOT_MAX_SIDE);
  const cellCols = Math.ceil(inFeatures / SNAPSHOT_MAX_SIDE);
  const height = Math.ceil(outFeatures / cellRows);
  const width = Math.ceil(inFeatures / cellCols);
  const kept = new Float64Array(width * height);
  const covered = new Float64Array(width * height);
  let total = 0;
  for (let i = 0; i < inFeatures; i++) {
    const x = Math.floor(i / cellCols);
    const base = i * outFeatures;
    for (let o = 0; o < outFeatures; o++) {
      const cell = Math.floor(o / cellRows) * width + x;
      const value = mask[base + o] > 0 ? 1 : 0;
      kept[cell] += value;
      covered[cell] += 1;
      total += value;
    }
  }
  const image = new Uint8Array(width * height);
  for (let c = 0; c < image.length; c++) image[c] = Math.round((255 * kept[c]) / covered[c]);
  const snapshot: MaskMatrixSnapshot = {
    name: input.name,
    block: input.block,
    matrix: input.matrix,
    shape: [outFeatures, inFeatures],
    kept: total / mask.length,
    image: { width, height, data: Buffer.from(image).toString('base64') },
  };
  if (input.scores) snapshot.scores = histogram(input.scores, SCORE_BINS);
  return snapshot;
}

export function histogram(values: Float32Array, bins: number): { min: number; max: number; counts: number[] } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const counts = new Array<number>(bins).fill(0);
  if (values.length === 0) return { min: 0, max: 0, counts };
  const width = max - min;
  for (const v of values) {
    const bin = width > 0 ? Math.min(bins - 1, Math.floor(((v - min) / width) * bins)) : 0;
    counts[bin]++;
  }
  return { min, max, counts };
}
