// BERT's masked-LM head (BertOnlyMLMHead): dense → activation → LayerNorm, then a decoder whose
// weight is the word-embedding table itself (tied, so the checkpoint stores no decoder weight)
// plus a per-word bias `cls.predictions.bias`. The loss is the mean cross-entropy over the
// chosen positions only: the head runs on those rows, not on the whole batch.

import * as tf from '@tensorflow/tfjs-core';
import { activation } from '../model/activations';
import type { HiddenActivation } from '../model/encoderConfig';
import type { LayerNorm } from '../model/layerNorm';
import type { Linear } from '../model/linear';

/** Checkpoint names of the head (no family prefix: Hugging Face stores them under `cls.`). */
export const MASKED_LM_HEAD_NAMES = {
  transform: 'cls.predictions.transform.dense',
  layerNorm: 'cls.predictions.transform.LayerNorm',
  bias: 'cls.predictions.bias',
} as const;

/**
 * x [rows, hidden] · tableᵀ [hidden, vocab] with both products of the backward pass written
 * without transposed operands: the wasm backend only hands untransposed 2-D products to XNNPACK
 * and runs the rest in a scalar loop (design/engine.md), and these are the step's largest
 * products (vocab × hidden). The explicit transposes are cheap copies.
 */
export function tiedDecoderProduct(x: tf.Tensor2D, table: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [rows, weights, save] = inputs as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([rows, weights]);
    return {
      value: tf.matMul(rows, tf.transpose(weights)),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const upstream = dy as tf.Tensor2D;
        const [input, embeddings] = saved as [tf.Tensor2D, tf.Tensor2D];
        // d/dx = dy · table ([rows, vocab] · [vocab, hidden]); d/dtable = dyᵀ · x ([vocab, rows] · [rows, hidden]).
        return [tf.matMul(upstream, embeddings), tf.matMul(tf.transpose(upstream), input)];
      },
    };
  });
  return op(x, table) as tf.Tensor2D;
}

export class MaskedLmHead {
  private readonly activate: <T extends tf.Tensor>(x: T) => T;

  constructor(
    readonly transform: Linear,
    readonly layerNorm: LayerNorm,
    /** [vocab] output bias. */
    readonly bias: tf.Tensor1D,
    /** The word-embedding table [vocab, hidden], shared with the encoder (tied decoder). */
    readonly wordEmbeddings: tf.Tensor2D,
    hiddenAct?: HiddenActivation,
  ) {
    this.activate = activation(hiddenAct);
  }

  get vocabSize(): number {
    return this.wordEmbeddings.shape[0];
  }

  /** hidden states of the chosen positions [rows, hidden] → logits over the vocabulary [rows, vocab]. */
  logits(rows: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const transformed = this.layerNorm.apply(this.activate(this.transform.apply(rows)));
      return tf.add(tiedDecoderProduct(transformed, this.wordEmbeddings), this.bias) as tf.Tensor2D;
    });
  }

  dispose(): void {
    // The word-embedding table belongs to the encoder's embeddings.
    this.transform.dispose();
    this.layerNorm.dispose();
    this.bias.dispose();
  }
}

/** The rows of `hidden` [batch, length, hidden] at flat positions (row·length + column) → [count, hidden]. */
export function gatherPositions(hidden: tf.Tensor3D, flatPositions: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const [batch, length, size] = hidden.shape;
    return tf.gather(tf.reshape(hidden, [batch * length, size]), flatPositions) as tf.Tensor2D;
  });
}

/** Mean cross-entropy of `logits` [rows, vocab] against `labels` [rows] (int32). */
export function maskedLmLoss(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const targets = tf.oneHot(labels, logits.shape[1]);
    return tf.losses.softmaxCrossEntropy(targets, logits, undefined, undefined, tf.Reduction.MEAN) as tf.Scalar;
  });
}
