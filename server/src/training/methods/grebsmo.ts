// GreBsmo (Zhou & Tao, "Greedy bilateral sketch, smoothing and matrix completion", 2013), as DSEE
// uses it to choose the support of its sparse update: decompose the pretrained weight as
// X ≈ U V + S with U V of low rank and S sparse, and keep where S is largest. Plain JavaScript
// in Float64, no gradients: it runs once per matrix before training.
//
// The rank grows in a few steps up to `rank`. At each rank, a few alternating rounds:
//   U ← orth((X − S) Vᵀ)           (QR by modified Gram–Schmidt)
//   V ← Uᵀ (X − S)                 (least-squares fit of the rows given U)
//   S ← hard threshold of X − U V   (keep the `card` entries of largest magnitude)
// When the rank grows, the new rows of V are random combinations of the residual's rows (seeded),
// which lie in the residual's row space and are dominated by its leading directions.

import { kthLargest } from './topk';

export interface GrebsmoOptions {
  rank: number;
  /** Nonzeros kept in S. */
  card: number;
  random: () => number;
  /** Alternating rounds at each rank (default 3). */
  rounds?: number;
  /** How many times the rank grows on its way to `rank` (default 4). */
  rankSteps?: number;
}

/** The sparse part S (dense storage, `card` nonzeros) of X ≈ U V + S; X is row-major [rows, cols]. */
export function grebsmoSparse(x: ArrayLike<number>, rows: number, cols: number, options: GrebsmoOptions): Float64Array {
  const rank = Math.max(1, Math.min(options.rank, rows, cols));
  const rounds = options.rounds ?? 3;
  const steps = Math.max(1, Math.min(options.rankSteps ?? 4, rank));
  const n = rows * cols;
  const card = Math.max(0, Math.min(options.card, n));
  const sparse = new Float64Array(n);
  let u = new Float64Array(0); // rows × r, row-major
  let v = new Float64Array(0); // r × cols, row-major
  let r = 0;
  for (let step = 1; step <= steps; step++) {
    const target = Math.ceil((step * rank) / steps);
    if (target > r) {
      const residual = new Float64Array(n);
      for (let i = 0; i < n; i++) residual[i] = x[i] - sparse[i];
      subtractProduct(residual, u, v, rows, cols, r);
      const grown = new Float64Array(target * cols);
      grown.set(v);
      for (let k = r; k < target; k++) {
        for (let row = 0; row < rows; row++) {
          const g = gaussian(options.random);
          const base = row * cols;
          for (let c = 0; c < cols; c++) grown[k * cols + c] += g * residual[base + c];
        }
      }
      v = grown;
      r = target;
    }
    for (let round = 0; round < rounds; round++) {
      const low = new Float64Array(n);
      for (let i = 0; i < n; i++) low[i] = x[i] - sparse[i];
      // P = (X − S) Vᵀ: rows × r, then orthonormalise its columns.
      u = new Float64Array(rows * r);
      for (let row = 0; row < rows; row++) {
        const base = row * cols;
        for (let k = 0; k < r; k++) {
          let sum = 0;
          const vk = k * cols;
          for (let c = 0; c < cols; c++) sum += low[base + c] * v[vk + c];
          u[row * r + k] = sum;
        }
      }
      orthonormaliseColumns(u, rows, r);
      // V = Uᵀ (X − S): r × cols.
      v = new Float64Array(r * cols);
      for (let row = 0; row < rows; row++) {
        const base = row * cols;
        for (let k = 0; k < r; k++) {
          const weight = u[row * r + k];
          if (weight === 0) continue;
          const vk = k * cols;
          for (let c = 0; c < cols; c++) v[vk + c] += weight * low[base + c];
        }
      }
      // S = hard threshold of X − U V.
      const residual = Float64Array.from(x as ArrayLike<number>);
      subtractProduct(residual, u, v, rows, cols, r);
      hardThreshold(residual, card, sparse);
    }
  }
  return sparse;
}

/** target −= U V (U rows × r, V r × cols). */
function subtractProduct(target: Float64Array, u: Float64Array, v: Float64Array, rows: number, cols: number, r: number): void {
  for (let row = 0; row < rows; row++) {
    const base = row * cols;
    for (let k = 0; k < r; k++) {
      const weight = u[row * r + k];
      if (weight === 0) continue;
      const vk = k * cols;
      for (let c = 0; c < cols; c++) target[base + c] -= weight * v[vk + c];
    }
  }
}

/** Modified Gram–Schmidt on the columns of a rows × r matrix; a dependent column becomes 0. */
function orthonormaliseColumns(m: Float64Array, rows: number, r: number): void {
  for (let k = 0; k < r; k++) {
    for (let j = 0; j < k; j++) {
      let dot = 0;
      for (let row = 0; row < rows; row++) dot += m[row * r + k] * m[row * r + j];
      for (let row = 0; row < rows; row++) m[row * r + k] -= dot * m[row * r + j];
    }
    let norm = 0;
    for (let row = 0; row < rows; row++) norm += m[row * r + k] ** 2;
    norm = Math.sqrt(norm);
    for (let row = 0; row < rows; row++) m[row * r + k] = norm > 1e-12 ? m[row * r + k] / norm : 0;
  }
}

/** out = the `card` largest-magnitude entries of `values`, zeros elsewhere. */
function hardThreshold(values: Float64Array, card: number, out: Float64Array): void {
  out.fill(0);
  if (card === 0) return;
  const order = largestMagnitudes(values, card);
  for (const i of order) out[i] = values[i];
}

/** Indices of the `count` largest |values| (ties broken by lower index), ascending. */
export function largestMagnitudes(values: ArrayLike<number>, count: number): Int32Array {
  const n = values.length;
  const keep = Math.max(0, Math.min(count, n));
  if (keep === 0) return new Int32Array(0);
  const magnitudes = new Float64Array(n);
  for (let i = 0; i < n; i++) magnitudes[i] = Math.abs(values[i]);
  const threshold = kthLargest(magnitudes, keep);
  let above = 0;
  for (let i = 0; i < n; i++) if (magnitudes[i] > threshold) above++;
  let ties = keep - above;
  const out = new Int32Array(keep);
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (magnitudes[i] > threshold || (magnitudes[i] === threshold && ties-- > 0)) out[next++] = i;
  }
  return out;
}

function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
