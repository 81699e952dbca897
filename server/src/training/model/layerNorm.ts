// LayerNorm over the last axis, as BERT computes it (biased variance, eps inside the root).

import * as tf from '@tensorflow/tfjs-core';
import { nativeLayerNorm, nativeOpsAvailable } from '../backend/nativeOps';

export class LayerNorm {
  /** Trainable stand-ins for gamma and beta (fine-tuning); the frozen ones stay untouched. */
  private override: { gamma: tf.Tensor1D; beta: tf.Tensor1D } | null = null;

  constructor(
    readonly name: string,
    readonly gamma: tf.Tensor1D,
    readonly beta: tf.Tensor1D,
    readonly eps: number,
  ) {}

  /** Uses `params` instead of the frozen gamma/beta until called again with null. */
  setOverride(params: { gamma: tf.Tensor1D; beta: tf.Tensor1D } | null): void {
    this.override = params;
  }

  apply<T extends tf.Tensor>(x: T): T {
    const gamma = this.override?.gamma ?? this.gamma;
    const beta = this.override?.beta ?? this.beta;
    if (nativeOpsAvailable()) return nativeLayerNorm(x, gamma, beta, this.eps);
    return tf.tidy(() => {
      const axis = x.rank - 1;
      const mean = tf.mean(x, axis, true);
      const centred = tf.sub(x, mean);
      const variance = tf.mean(tf.square(centred), axis, true);
      const normalised = tf.mul(centred, tf.rsqrt(tf.add(variance, this.eps)));
      return tf.add(tf.mul(normalised, gamma), beta) as T;
    });
  }

  dispose(): void {
    this.gamma.dispose();
    this.beta.dispose();
  }
}
