// The task model's forward pass for a batch of encoded examples — embeddings (or the cached
// frozen prefix), the encoder blocks, the pooler and the head — and the task loss. Training and
// evaluation, in the run and in evaluateArtifact, all go through here, so they compute alike.

import * as tf from '@tensorflow/tfjs-core';
import { dropout } from '../model/activations';
import { disposeBatch, padBatch } from '../model/batch';
import { firstToken } from '../model/encoder';
import { attentionMaskBias, type AttentionContext } from '../model/selfAttention';
import type { TaskModel } from '../methods/taskModel';
import { PREFIX_CACHE_BUDGET_BYTES, PrefixCache } from './prefixCache';
import type { EncodedExample } from './taskData';

export interface ForwardOptions {
  training: boolean;
  nextSeed?: () => number;
}

export class TaskForward {
  private cache: PrefixCache | null = null;

  constructor(
    readonly model: TaskModel,
    readonly padId: number,
  ) {}

  /** The cached prefix in use (null: every pass starts at the embeddings). */
  get prefix(): PrefixCache | null {
    return this.cache;
  }

  /**
   * Caches the frozen blocks below `firstChangedBlock` for `examples` when it pays and fits
   * (at least one block below, within PREFIX_CACHE_BUDGET_BYTES); a different block than the
   * cache's drops it. Returns whether a cache is in use.
   */
  usePrefix(firstChangedBlock: number, examples: readonly EncodedExample[], batch: number): boolean {
    const start = Math.min(firstChangedBlock, this.model.encoder.blocks.length);
    if (this.cache && this.cache.startBlock !== start) this.dropPrefix();
    if (start < 1) return false;
    const missing = examples.filter((e) => !this.cache?.has(e));
    const bytes = (this.cache?.bytes ?? 0) + PrefixCache.bytesFor(missing, this.model.encoder.config.hiddenSize);
    if (bytes > PREFIX_CACHE_BUDGET_BYTES) return false;
    this.cache ??= new PrefixCache(this.model.encoder, start, this.padId);
    this.cache.fill(missing, batch);
    return true;
  }

  dropPrefix(): void {
    this.cache?.clear();
    this.cache = null;
  }

  /** Logits [batch, numLabels]; the caller disposes them. Safe inside a gradient tape. */
  logits(examples: readonly EncodedExample[], options: ForwardOptions): tf.Tensor2D {
    const batch = padBatch(examples, this.padId);
    try {
      return tf.tidy(() => {
        const { encoder, head } = this.model;
        const config = encoder.config;
        const training = options.training;
        const context: AttentionContext = {
          maskBias: attentionMaskBias(batch.attentionMask),
          training,
          hiddenDropout: config.hiddenDropout,
          attentionDropout: config.attentionDropout,
          nextSeed: options.nextSeed,
        };
        const cache = this.cache && examples.every((e) => this.cache?.has(e)) ? this.cache : null;
        let state: tf.Tensor3D;
        let first = 0;
        if (cache) {
          state = cache.assemble(examples, batch.inputIds.shape[1]);
          first = cache.startBlock;
        } else {
          state = encoder.embeddings.apply(batch.inputIds, batch.tokenTypeIds);
          if (training && config.hiddenDropout > 0) state = dropout(state, config.hiddenDropout, training, options.nextSeed?.());
        }
        for (let b = first; b < encoder.blocks.length; b++) state = encoder.blocks[b].apply(state, context);
        const pooler = encoder.pooler;
        const pooled = pooler ? (tf.tanh(pooler.apply(firstToken(state))) as tf.Tensor2D) : null;
        return head.apply({ hidden: state, pooled }, { training, nextSeed: options.nextSeed });
      });
    } finally {
      disposeBatch(batch);
    }
  }
}

/** Mean loss over the batch: cross-entropy for classes, squared error for regression. */
export function taskLoss(logits: tf.Tensor2D, labels: readonly number[], regression: boolean): tf.Scalar {
  return tf.tidy(() => {
    if (regression) {
      const predictions = tf.reshape(tf.slice(logits, [0, 0], [logits.shape[0], 1]), [-1]);
      return tf.mean(tf.square(tf.sub(predictions, tf.tensor1d(labels as number[], 'float32')))) as tf.Scalar;
    }
    const targets = tf.oneHot(tf.tensor1d(labels as number[], 'int32'), logits.shape[1]);
    return tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  });
}

/** Loss of one example from its logits row, in Float64 (evaluation reads logits back anyway). */
export function exampleLoss(row: ArrayLike<number>, label: number, regression: boolean): number {
  if (regression) return (row[0] - label) ** 2;
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) max = Math.max(max, row[i]);
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp(row[i] - max);
  return max + Math.log(sum) - row[label];
}

export { PREFIX_CACHE_BUDGET_BYTES };
