// Outputs of the frozen bottom of the encoder, computed once per example. When a method changes
// nothing below block b (mask on blocks 2…11, a trained head alone, …), the embeddings and blocks
// 0…b−1 compute the same thing at every step and every evaluation; caching their output per
// example turns each later pass into a pass over blocks b… only. The cached blocks run in
// evaluation mode (no dropout), as a frozen feature extractor does.
//
// Padding positions are filled with zeros when a batch is assembled: they are masked as keys and
// every later operation is per position, so what they hold cannot reach a real token.

import * as tf from '@tensorflow/tfjs-core';
import { attentionMaskBias, type AttentionContext } from '../model/selfAttention';
import { disposeBatch, padBatch } from '../model/batch';
import type { Encoder } from '../model/encoder';
import { evaluationBatches } from './batchPlan';
import type { EncodedExample } from './taskData';

/** Largest cache worth holding; beyond it, runs recompute the frozen blocks. */
export const PREFIX_CACHE_BUDGET_BYTES = 512 * 1024 * 1024;

export class PrefixCache {
  private readonly rows = new Map<EncodedExample, Float32Array>();

  constructor(
    private readonly encoder: Encoder,
    /** The first block not cached: the cache holds the input of this block. */
    readonly startBlock: number,
    private readonly padId: number,
  ) {}

  static bytesFor(examples: readonly EncodedExample[], hidden: number): number {
    return examples.reduce((sum, e) => sum + e.ids.length, 0) * hidden * 4;
  }

  get bytes(): number {
    let total = 0;
    for (const row of this.rows.values()) total += row.byteLength;
    return total;
  }

  has(example: EncodedExample): boolean {
    return this.rows.has(example);
  }

  /** Computes the cached rows of every example not yet cached, in length-sorted batches. */
  fill(examples: readonly EncodedExample[], batch: number): void {
    const missing = examples.filter((e) => !this.rows.has(e));
    const hidden = this.encoder.config.hiddenSize;
    for (const indices of evaluationBatches(
      missing.map((e) => e.ids.length),
      batch,
    )) {
      const chosen = indices.map((i) => missing[i]);
      const encoded = padBatch(chosen, this.padId);
      try {
        const state = tf.tidy(() => {
          const context: AttentionContext = {
            maskBias: attentionMaskBias(encoded.attentionMask),
            training: false,
            hiddenDropout: 0,
            attentionDropout: 0,
          };
          let x = this.encoder.embeddings.apply(encoded.inputIds, encoded.tokenTypeIds);
          for (let b = 0; b < this.startBlock; b++) x = this.encoder.blocks[b].apply(x, context);
          return x;
        });
        const values = state.dataSync() as Float32Array;
        const length = state.shape[1];
        chosen.forEach((example, row) => {
          const start = row * length * hidden;
          this.rows.set(example, values.slice(start, start + example.ids.length * hidden));
        });
        state.dispose();
      } finally {
        disposeBatch(encoded);
      }
    }
  }

  /** The cached input of `startBlock` for a batch, padded with zeros to `length`: [batch, length, hidden]. */
  assemble(examples: readonly EncodedExample[], length: number): tf.Tensor3D {
    const hidden = this.encoder.config.hiddenSize;
    const data = new Float32Array(examples.length * length * hidden);
    examples.forEach((example, row) => {
      const cached = this.rows.get(example);
      if (!cached) throw new Error('prefix cache: an example was not cached before use');
      data.set(cached, row * length * hidden);
    });
    return tf.tensor3d(data, [examples.length, length, hidden], 'float32');
  }

  clear(): void {
    this.rows.clear();
  }
}
