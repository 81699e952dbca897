// The fixed support Ω of DSEE's sparse update: N entries of a matrix, chosen before training.

import type { DseeConfig } from '../../../../schemas/src/experimentConfig';
import type { Random } from '../random';
import { grebsmoSparse, largestMagnitudes } from './grebsmo';

/**
 * Ω as ascending flat indices into the row-major [rows, cols] `weight`:
 * - `grebsmo`: the N largest |S₀| of W ≈ U V + S₀ (rank `rank`, S₀ with N nonzeros);
 * - `magnitude`: the N largest |W|;
 * - `random`: N distinct entries drawn from `random`.
 */
export function chooseSupport(kind: DseeConfig['support'], weight: Float32Array, rows: number, cols: number, count: number, rank: number, random: Random): Int32Array {
  const n = rows * cols;
  const size = Math.max(0, Math.min(count, n));
  if (size === 0) return new Int32Array(0);
  if (kind === 'magnitude') return largestMagnitudes(weight, size);
  if (kind === 'random') {
    // Partial Fisher–Yates over a lazily materialised permutation.
    const swapped = new Map<number, number>();
    const picked = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      const j = i + Math.floor(random() * (n - i));
      const atJ = swapped.get(j) ?? j;
      swapped.set(j, swapped.get(i) ?? i);
      picked[i] = atJ;
    }
    return picked.sort();
  }
  const sparse = grebsmoSparse(weight, rows, cols, { rank, card: size, random });
  return largestMagnitudes(sparse, size);
}
