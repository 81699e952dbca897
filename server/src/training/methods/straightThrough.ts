// The differentiable pieces the methods add to a linear layer, each with a hand-written gradient:
// tfjs has no gradient for the ops they would otherwise need (thresholds, top-k, scatter).

import * as tf from '@tensorflow/tfjs-core';

/**
 * W ⊙ M as a function of the scores S, with the straight-through estimator: the binarisation
 * S → M (computed outside, from S) is treated as the identity in the backward pass, so
 * ∂L/∂S = ∂L/∂(W ⊙ M) ⊙ W (Zhao et al. 2020, §3). One multiply forward, one backward.
 */
export function maskedWeight(scores: tf.Tensor2D, frozen: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  // The forward value does not read S itself: M already encodes it.
  const op = tf.customGrad(() => ({ value: tf.mul(frozen, mask), gradFunc: (dy: tf.Tensor) => tf.mul(dy, frozen) }));
  return op(scores) as tf.Tensor2D;
}

/** The fixed support Ω of a sparse update, as the index tensors its scatter and gather need. */
export interface SparseSupport {
  /** [N, 1] int32 flat indices into the [in, out] matrix (for scatterND). */
  scatterIndices: tf.Tensor2D;
  /** [N] int32, the same indices (for the gradient's gather). */
  gatherIndices: tf.Tensor1D;
  shape: [number, number];
}

export function createSparseSupport(flatIndices: Int32Array, shape: [number, number]): SparseSupport {
  return {
    scatterIndices: tf.tensor2d(flatIndices, [flatIndices.length, 1], 'int32'),
    gatherIndices: tf.tensor1d(flatIndices, 'int32'),
    shape,
  };
}

export function disposeSparseSupport(support: SparseSupport): void {
  support.scatterIndices.dispose();
  support.gatherIndices.dispose();
}

/**
 * The dense [in, out] matrix holding `values` at Ω and 0 elsewhere. Its gradient is the
 * incoming gradient read at Ω (a gather), which tfjs cannot derive for scatterND itself.
 */
export function scatterSupport(values: tf.Tensor1D, support: SparseSupport): tf.Tensor2D {
  const [rows, cols] = support.shape;
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: tf.reshape(tf.scatterND(support.scatterIndices, inputs[0] as tf.Tensor, [rows * cols]), [rows, cols]),
    gradFunc: (dy: tf.Tensor) => tf.gather(tf.reshape(dy, [-1]), support.gatherIndices),
  }));
  return op(values) as tf.Tensor2D;
}
