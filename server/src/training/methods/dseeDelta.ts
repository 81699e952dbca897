// DSEE's update of one matrix, ΔW = (α/r)(B A + S) with S nonzero only on a fixed support Ω, and
// the pruning masks of its second stage. The training method and artifact evaluation build the
// effective weight with these same functions, so an evaluated artifact computes bit for bit what
// the run evaluated.
//
// Layout: the trainer keeps matrices as [in, out], so it holds Aᵀ ([in, r], `down`) and Bᵀ
// ([r, out], `up`); then ΔWᵀ = (α/r)(Aᵀ Bᵀ + Sᵀ) is a plain product with no transposed operand.

import * as tf from '@tensorflow/tfjs-core';
import type { Linear } from '../model/linear';
import { scatterSupport, type SparseSupport } from './straightThrough';

export interface DeltaTensors {
  /** Aᵀ: [in, r]. */
  down: tf.Tensor2D;
  /** Bᵀ: [r, out]. */
  up: tf.Tensor2D;
  /** S on Ω, in the order of the support's indices; null when Ω is empty. */
  values: tf.Tensor1D | null;
  support: SparseSupport | null;
}

/** (α/r)(Aᵀ Bᵀ + Sᵀ): the update in [in, out]. */
export function deltaWeight(delta: DeltaTensors, scale: number): tf.Tensor2D {
  return tf.tidy(() => {
    let update: tf.Tensor2D = tf.matMul(delta.down, delta.up);
    if (delta.values && delta.support) update = tf.add(update, scatterSupport(delta.values, delta.support));
    return tf.mul(update, scale);
  });
}

/** W + ΔW. */
export function updatedWeight(frozen: tf.Tensor2D, delta: DeltaTensors, scale: number): tf.Tensor2D {
  return tf.tidy(() => tf.add(frozen, deltaWeight(delta, scale)));
}

/**
 * Multiplies whatever the layer computes by a fixed 0/1 mask: (W + ΔW) ⊙ M over an installed
 * transform, or W ⊙ M, computed once, for a frozen layer. Returns the uninstaller.
 */
export function installPruneMask(linear: Linear, mask: tf.Tensor2D): () => void {
  const inner = linear.weightTransform;
  if (inner) {
    linear.setWeightTransform((frozen, layer) => tf.mul(inner(frozen, layer), mask));
    return () => linear.setWeightTransform(inner);
  }
  const masked = tf.tidy(() => tf.mul(linear.weight, mask)) as tf.Tensor2D;
  linear.setWeightTransform(() => masked);
  return () => {
    linear.setWeightTransform(null);
    masked.dispose();
  };
}

/**
 * Ω after some output columns (Q, K, V) or input rows (attention output) of the matrix are
 * removed: the surviving entries, re-indexed into the smaller matrix, and where they were in
 * the old order (to carry their values over).
 */
export function sliceSupport(
  indices: Int32Array,
  shape: [number, number],
  kept: readonly number[],
  axis: 0 | 1,
): { indices: Int32Array; positions: Int32Array; shape: [number, number] } {
  const [rows, cols] = shape;
  const newIndex = new Int32Array(axis === 0 ? rows : cols).fill(-1);
  kept.forEach((k, i) => (newIndex[k] = i));
  const newShape: [number, number] = axis === 0 ? [kept.length, cols] : [rows, kept.length];
  const outIndices: number[] = [];
  const positions: number[] = [];
  indices.forEach((flat, position) => {
    const row = Math.floor(flat / cols);
    const col = flat % cols;
    const r = axis === 0 ? newIndex[row] : row;
    const c = axis === 1 ? newIndex[col] : col;
    if (r < 0 || c < 0) return;
    outIndices.push(r * newShape[1] + c);
    positions.push(position);
  });
  return { indices: Int32Array.from(outIndices), positions: Int32Array.from(positions), shape: newShape };
}
