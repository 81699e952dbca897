// One post-LN transformer block: self-attention, then the feed-forward network
// LayerNorm(h + W_out · GELU(W_in · h)).

import * as tf from '@tensorflow/tfjs-core';
import { activation, dropout } from './activations';
import type { HiddenActivation } from './encoderConfig';
import type { LayerNorm } from './layerNorm';
import type { Linear } from './linear';
import type { AttentionContext, SelfAttention } from './selfAttention';

export interface FeedForwardWeights {
  intermediate: Linear;
  output: Linear;
  layerNorm: LayerNorm;
}

export class EncoderBlock {
  private readonly activate: <T extends tf.Tensor>(x: T) => T;

  constructor(
    readonly index: number,
    readonly attention: SelfAttention,
    readonly feedForward: FeedForwardWeights,
    hiddenAct?: HiddenActivation,
  ) {
    this.activate = activation(hiddenAct);
  }

  apply(x: tf.Tensor3D, context: AttentionContext): tf.Tensor3D {
    return tf.tidy(() => {
      const attended = this.attention.apply(x, context);
      const inner = this.activate(this.feedForward.intermediate.apply(attended));
      const out = dropout(this.feedForward.output.apply(inner), context.hiddenDropout, context.training, context.nextSeed?.());
      return this.feedForward.layerNorm.apply(tf.add(out, attended));
    });
  }

  /** Q, K, V, AO, I, O in that order. */
  linears(): Linear[] {
    return [...this.attention.linears(), this.feedForward.intermediate, this.feedForward.output];
  }

  dispose(): void {
    this.attention.dispose();
    this.feedForward.intermediate.dispose();
    this.feedForward.output.dispose();
    this.feedForward.layerNorm.dispose();
  }
}
