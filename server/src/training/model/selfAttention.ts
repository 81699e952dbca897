// Multi-head self-attention with a padding mask, plus BERT's output projection, residual and
// LayerNorm (post-LN: LayerNorm(x + Attention(x))).

import * as tf from '@tensorflow/tfjs-core';
import { dropout } from './activations';
import type { LayerNorm } from './layerNorm';
import type { Linear } from './linear';

/**
 * Added to the scores of padding keys. Large enough that exp() underflows to exactly 0 in float32,
 * small enough that adding it to a score never overflows.
 */
export const MASKED_SCORE = -1e9;

export interface SelfAttentionWeights {
  query: Linear;
  key: Linear;
  value: Linear;
  output: Linear;
  layerNorm: LayerNorm;
}

export interface AttentionContext {
  /** [batch, 1, 1, length]: 0 for real keys, MASKED_SCORE for pads. */
  maskBias: tf.Tensor4D;
  training: boolean;
  hiddenDropout: number;
  attentionDropout: number;
  nextSeed?: () => number;
}

export class SelfAttention {
  constructor(
    readonly numHeads: number,
    readonly weights: SelfAttentionWeights,
  ) {}

  apply(x: tf.Tensor3D, context: AttentionContext): tf.Tensor3D {
    return tf.tidy(() => {
      const [batch, length, hidden] = x.shape;
      const heads = this.numHeads;
      const size = hidden / heads;
      // [batch, length, hidden] → [batch, heads, length, size]
      const split = (t: tf.Tensor3D) => tf.transpose(tf.reshape(t, [batch, length, heads, size]), [0, 2, 1, 3]);
      // Scaling q before the product touches length·size numbers instead of length².
      const q = split(tf.mul(this.weights.query.apply(x), 1 / Math.sqrt(size)));
      const k = split(this.weights.key.apply(x));
      const v = split(this.weights.value.apply(x));
      const scores = tf.add(tf.matMul(q, k, false, true), context.maskBias);
      let probs = tf.softmax(scores, -1);
      probs = dropout(probs, context.attentionDropout, context.training, context.nextSeed?.());
      const merged = tf.reshape(tf.transpose(tf.matMul(probs, v), [0, 2, 1, 3]), [batch, length, hidden]) as tf.Tensor3D;
      const projected = dropout(this.weights.output.apply(merged), context.hiddenDropout, context.training, context.nextSeed?.());
      return this.weights.layerNorm.apply(tf.add(projected, x));
    });
  }

  linears(): Linear[] {
    return [this.weights.query, this.weights.key, this.weights.value, this.weights.output];
  }

  dispose(): void {
    for (const linear of this.linears()) linear.dispose();
    this.weights.layerNorm.dispose();
  }
}

/** [batch, length] 1/0 mask → additive bias [batch, 1, 1, length]. */
export function attentionMaskBias(attentionMask: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, length] = attentionMask.shape;
    const padding = tf.sub(1, tf.cast(attentionMask, 'float32'));
    return tf.reshape(tf.mul(padding, MASKED_SCORE), [batch, 1, 1, length]) as tf.Tensor4D;
  });
}
