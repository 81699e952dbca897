// Multi-head self-attention with a padding mask, plus BERT's output projection, residual and
// LayerNorm (post-LN: LayerNorm(x + Attention(x))).

import * as tf from '@tensorflow/tfjs-core';
import { dropout } from './activations';
import type { LayerNorm } from './layerNorm';
import { Linear } from './linear';
import { nativeOpsAvailable, nativeSoftmax } from '../backend/nativeOps';

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
  private heads: number;

  constructor(
    numHeads: number,
    readonly weights: SelfAttentionWeights,
  ) {
    this.heads = numHeads;
  }

  /** Heads computed now: the config's count, fewer after pruneHeads. */
  get numHeads(): number {
    return this.heads;
  }

  /** Width of one head (unchanged by pruning). */
  get headSize(): number {
    return this.weights.query.outFeatures / this.heads;
  }

  /**
   * Physically removes attention heads (DSEE's structured pruning): Q, K and V keep only the
   * output columns of the kept heads, the attention output only their input rows, so the block
   * computes with smaller matrices and fewer heads. `keep` lists current head indices, ascending.
   * Weight and bias transforms are not carried over (the method re-installs its own); the old
   * layers are disposed.
   */
  pruneHeads(keep: readonly number[]): void {
    const heads = this.heads;
    if (keep.length === 0) throw new Error('pruneHeads: at least one head must be kept');
    keep.forEach((head, i) => {
      if (!Number.isInteger(head) || head < 0 || head >= heads || (i > 0 && head <= keep[i - 1])) {
        throw new Error(`pruneHeads: kept heads must be ascending indices below ${heads}, got [${keep.join(', ')}]`);
      }
    });
    const size = this.headSize;
    const columns = tf.tidy(() => tf.tensor1d(keep.flatMap((head) => Array.from({ length: size }, (_, k) => head * size + k)), 'int32'));
    const sliceOutputs = (layer: Linear) =>
      new Linear(
        { name: layer.name, role: layer.role, layerIndex: layer.layerIndex },
        tf.gather(layer.weight, columns, 1) as tf.Tensor2D,
        layer.bias ? (tf.gather(layer.bias, columns) as tf.Tensor1D) : null,
      );
    const output = this.weights.output;
    const prunedOutput = new Linear(
      { name: output.name, role: output.role, layerIndex: output.layerIndex },
      tf.gather(output.weight, columns, 0) as tf.Tensor2D,
      output.bias ? tf.clone(output.bias) : null,
    );
    const old = [this.weights.query, this.weights.key, this.weights.value, output];
    this.weights.query = sliceOutputs(this.weights.query);
    this.weights.key = sliceOutputs(this.weights.key);
    this.weights.value = sliceOutputs(this.weights.value);
    this.weights.output = prunedOutput;
    columns.dispose();
    for (const layer of old) layer.dispose();
    this.heads = keep.length;
  }

  apply(x: tf.Tensor3D, context: AttentionContext): tf.Tensor3D {
    return tf.tidy(() => {
      const [batch, length] = x.shape;
      const heads = this.heads;
      const size = this.headSize;
      const inner = heads * size;
      // [batch, length, heads·size] → [batch, heads, length, size]
      const split = (t: tf.Tensor3D) => tf.transpose(tf.reshape(t, [batch, length, heads, size]), [0, 2, 1, 3]);
      // Scaling q before the product touches length·size numbers instead of length².
      const q = split(tf.mul(this.weights.query.apply(x), 1 / Math.sqrt(size)));
      const k = split(this.weights.key.apply(x));
      const v = split(this.weights.value.apply(x));
      const scores = tf.add(tf.matMul(q, k, false, true), context.maskBias);
      let probs = nativeOpsAvailable() ? nativeSoftmax(scores) : tf.softmax(scores, -1);
      probs = dropout(probs, context.attentionDropout, context.training, context.nextSeed?.());
      const merged = tf.reshape(tf.transpose(tf.matMul(probs, v), [0, 2, 1, 3]), [batch, length, inner]) as tf.Tensor3D;
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
