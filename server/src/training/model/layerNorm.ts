// LayerNorm over the last axis, as BERT computes it (biased variance, eps inside the root).

import * as tf from '@tensorflow/tfjs-core';

export class LayerNorm {
  constructor(
    readonly name: string,
    readonly gamma: tf.Tensor1D,
    readonly beta: tf.Tensor1D,
    readonly eps: number,
  ) {}

  apply<T extends tf.Tensor>(x: T): T {
    return tf.tidy(() => {
      const axis = x.rank - 1;
      const mean = tf.mean(x, axis, true);
      const centred = tf.sub(x, mean);
      const variance = tf.mean(tf.square(centred), axis, true);
      const normalised = tf.mul(centred, tf.rsqrt(tf.add(variance, this.eps)));
      return tf.add(tf.mul(normalised, this.gamma), this.beta) as T;
    });
  }

  dispose(): void {
    this.gamma.dispose();
    this.beta.dispose();
  }
}
