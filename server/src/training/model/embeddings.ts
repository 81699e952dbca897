// Word + position + token-type embeddings followed by LayerNorm.

import * as tf from '@tensorflow/tfjs-core';
import type { EncoderConfig } from './encoderConfig';
import { maxSequenceLength } from './encoderConfig';
import type { LayerNorm } from './layerNorm';

export interface EmbeddingTables {
  /** [vocab, hidden] */
  word: tf.Tensor2D;
  /** [maxPositions, hidden] */
  position: tf.Tensor2D;
  /** [typeVocab, hidden] */
  tokenType: tf.Tensor2D;
  layerNorm: LayerNorm;
}

/** Trainable stand-ins for the embedding tables and their LayerNorm (fine-tuning `also embeddings`). */
export interface EmbeddingOverride {
  word: tf.Tensor2D;
  position: tf.Tensor2D;
  tokenType: tf.Tensor2D;
}

export class Embeddings {
  private override: EmbeddingOverride | null = null;

  constructor(
    readonly config: EncoderConfig,
    readonly tables: EmbeddingTables,
  ) {}

  /** Uses `tables` instead of the frozen ones until called again with null (the LayerNorm has its own override). */
  setOverride(tables: EmbeddingOverride | null): void {
    this.override = tables;
  }

  /** ids, types: [batch, length] int32 → [batch, length, hidden]. */
  apply(inputIds: tf.Tensor2D, tokenTypeIds: tf.Tensor2D | undefined): tf.Tensor3D {
    const [batch, length] = inputIds.shape;
    if (length > maxSequenceLength(this.config)) {
      throw new Error(
        `the batch has sequences of ${length} tokens but this ${this.config.family} model embeds at most ${maxSequenceLength(this.config)}; truncate the inputs (max_length)`,
      );
    }
    const tables = this.override ?? this.tables;
    return tf.tidy(() => {
      const hidden = this.config.hiddenSize;
      const shape: [number, number, number] = [batch, length, hidden];
      const embed = (table: tf.Tensor2D, ids: tf.Tensor2D) => tf.reshape(tf.gather(table, tf.reshape(ids, [-1])), shape);
      const words = embed(tables.word, inputIds);
      // BERT positions are the same 0…length-1 for every row: one slice, broadcast over the batch.
      const positions =
        this.config.family === 'roberta'
          ? embed(tables.position, this.positionIds(inputIds))
          : tf.slice(tables.position, [0, 0], [length, hidden]);
      // Every token of type 0 (and RoBERTa's single type): one broadcast row instead of a gather.
      const types =
        tokenTypeIds && this.config.typeVocabSize > 1
          ? embed(tables.tokenType, tokenTypeIds)
          : tf.slice(tables.tokenType, [0, 0], [1, hidden]);
      return this.tables.layerNorm.apply(tf.add(tf.add(words, positions), types)) as tf.Tensor3D;
    });
  }

  /**
   * BERT: 0, 1, 2, … for every row. RoBERTa: padding_idx + 1 + (index among non-pad tokens)
   * for real tokens and padding_idx for pads, as fairseq numbers them.
   */
  positionIds(inputIds: tf.Tensor2D): tf.Tensor2D {
    const [batch, length] = inputIds.shape;
    return tf.tidy(() => {
      if (this.config.family !== 'roberta') {
        return tf.tile(tf.reshape(tf.range(0, length, 1, 'int32'), [1, length]), [batch, 1]) as tf.Tensor2D;
      }
      const pad = this.config.padTokenId;
      const notPad = tf.cast(tf.notEqual(inputIds, tf.scalar(pad, 'int32')), 'int32');
      const counted = tf.mul(tf.cumsum(notPad, 1), notPad);
      return tf.add(counted, tf.scalar(pad, 'int32')) as tf.Tensor2D;
    });
  }

  dispose(): void {
    this.tables.word.dispose();
    this.tables.position.dispose();
    this.tables.tokenType.dispose();
    this.tables.layerNorm.dispose();
  }
}
