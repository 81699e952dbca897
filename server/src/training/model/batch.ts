// A batch of token sequences as the encoder takes it, with dynamic padding: every batch is
// padded to its own longest sequence, not to a fixed maximum, so short batches cost less.

import * as tf from '@tensorflow/tfjs-core';

export interface EncoderBatch {
  /** [batch, length] int32 token ids, padded with the model's pad id. */
  inputIds: tf.Tensor2D;
  /** [batch, length] int32 segment ids; all zeros when omitted (and always for RoBERTa). */
  tokenTypeIds?: tf.Tensor2D;
  /** [batch, length] 1 for real tokens, 0 for padding (int32 or float32). */
  attentionMask: tf.Tensor2D;
}

/** One encoded sequence, special tokens included (what a tokenizer's `encode` returns). */
export interface EncodedSequence {
  ids: readonly number[];
  tokenTypeIds?: readonly number[];
}

/** Pads sequences to the longest one and builds the batch tensors; free them with disposeBatch. */
export function padBatch(sequences: readonly EncodedSequence[], padTokenId: number): EncoderBatch {
  if (sequences.length === 0) throw new Error('padBatch: a batch needs at least one sequence');
  const length = Math.max(...sequences.map((s) => s.ids.length));
  if (length === 0) throw new Error('padBatch: every sequence is empty; encode texts with their special tokens ([CLS] … [SEP])');
  const size = sequences.length * length;
  const ids = new Int32Array(size).fill(padTokenId);
  const types = new Int32Array(size);
  const mask = new Int32Array(size);
  sequences.forEach((sequence, row) => {
    if (sequence.tokenTypeIds && sequence.tokenTypeIds.length !== sequence.ids.length) {
      throw new Error(`padBatch: sequence ${row} has ${sequence.ids.length} ids but ${sequence.tokenTypeIds.length} token type ids`);
    }
    const offset = row * length;
    for (let i = 0; i < sequence.ids.length; i++) {
      ids[offset + i] = sequence.ids[i];
      types[offset + i] = sequence.tokenTypeIds?.[i] ?? 0;
      mask[offset + i] = 1;
    }
  });
  const shape: [number, number] = [sequences.length, length];
  return {
    inputIds: tf.tensor2d(ids, shape, 'int32'),
    tokenTypeIds: tf.tensor2d(types, shape, 'int32'),
    attentionMask: tf.tensor2d(mask, shape, 'int32'),
  };
}

export function disposeBatch(batch: EncoderBatch): void {
  batch.inputIds.dispose();
  batch.tokenTypeIds?.dispose();
  batch.attentionMask.dispose();
}
