// The BERT/RoBERTa encoder: embeddings, post-LN blocks and the tanh pooler, over frozen
// pretrained weights. Methods change what it computes only through `Linear.setWeightTransform`.

import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo } from '../backend/selectBackend';
import { dropout } from './activations';
import type { EncoderBatch } from './batch';
import type { EncoderBlock } from './encoderBlock';
import type { EncoderConfig } from './encoderConfig';
import type { Embeddings } from './embeddings';
import type { Linear } from './linear';
import { attentionMaskBias, type AttentionContext } from './selfAttention';

export interface EncoderOutput {
  /** [batch, length, hidden] final-layer hidden states (before the pooler). */
  hidden: tf.Tensor3D;
  /** [batch, hidden] tanh(W_p · h_[CLS] + b_p); null when the checkpoint has no pooler or `pool: false`. */
  pooled: tf.Tensor2D | null;
}

export interface ForwardOptions {
  /** Dropout on (rates from config.json). Default false: evaluation. */
  training?: boolean;
  /** Seeds for dropout masks, so a seeded run drops the same units every time. */
  nextSeed?: () => number;
  /** Compute the pooled output (default true when there is a pooler). */
  pool?: boolean;
}

export class Encoder {
  constructor(
    readonly config: EncoderConfig,
    readonly embeddings: Embeddings,
    readonly blocks: readonly EncoderBlock[],
    readonly pooler: Linear | null,
    /** The backend the weights were created on (absent for encoders built by hand in tests). */
    readonly backend?: BackendInfo,
  ) {}

  /**
   * Runs the encoder. All intermediates are freed; the caller owns (and must dispose) the
   * returned tensors. Safe inside tf.grad / optimizer.minimize.
   */
  forward(batch: EncoderBatch, options: ForwardOptions = {}): EncoderOutput {
    const training = options.training === true;
    const hidden = tf.tidy(() => {
      const context: AttentionContext = {
        maskBias: attentionMaskBias(batch.attentionMask),
        training,
        hiddenDropout: this.config.hiddenDropout,
        attentionDropout: this.config.attentionDropout,
        nextSeed: options.nextSeed,
      };
      let state = this.embeddings.apply(batch.inputIds, batch.tokenTypeIds);
      if (training && this.config.hiddenDropout > 0) state = dropout(state, this.config.hiddenDropout, training, options.nextSeed?.());
      for (const block of this.blocks) state = block.apply(state, context);
      return state;
    });
    if (!this.pooler || options.pool === false) return { hidden, pooled: null };
    const pooler = this.pooler;
    try {
      return { hidden, pooled: tf.tidy(() => tf.tanh(pooler.apply(firstToken(hidden)))) };
    } catch (error) {
      hidden.dispose();
      throw error;
    }
  }

  /** Every linear layer a method may target: Q, K, V, AO, I, O per block, then the pooler. */
  linears(): Linear[] {
    const all = this.blocks.flatMap((block) => block.linears());
    if (this.pooler) all.push(this.pooler);
    return all;
  }

  dispose(): void {
    this.embeddings.dispose();
    for (const block of this.blocks) block.dispose();
    this.pooler?.dispose();
  }
}

/** [batch, length, hidden] → [batch, hidden] hidden state of the first ([CLS] / <s>) token. */
export function firstToken(hidden: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => {
    const [batch, , size] = hidden.shape;
    return tf.reshape(tf.slice(hidden, [0, 0, 0], [batch, 1, size]), [batch, size]) as tf.Tensor2D;
  });
}
