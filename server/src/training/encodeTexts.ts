// Texts in, token ids and [CLS] vectors out: the engine behind `masklab encode`, usable by
// anything that wants sentence vectors from a checkpoint without training.

import * as tf from '@tensorflow/tfjs-core';
import type { Checkpoint } from '../checkpoint';
import type { BackendRequest } from './backend/packages';
import { disposeBatch, padBatch } from './model/batch';
import { loadEncoder } from './model/loadEncoder';
import { loadTokenizer } from './tokenizer';

export interface TextInput {
  text: string;
  /** Second segment of a sentence pair. */
  pair?: string;
}

export interface EncodedText {
  /** The input text, or [text, pair] for a pair. */
  text: string | [string, string];
  /** Token ids including special tokens. */
  ids: number[];
  /** Final-layer hidden state of the first token ([CLS] / <s>), before the pooler. */
  cls: number[];
}

export interface EncodeTextsOptions {
  backend?: BackendRequest;
  requireGpu?: boolean;
  /** Truncation length; never more than the model's position table allows. */
  maxLength?: number;
  batchSize?: number;
  onBackend?: (detail: string) => void;
  /** A one-line warning about the backend (native kernels built but unusable). */
  onWarning?: (message: string) => void;
  onProgress?: (done: number, total: number) => void;
}

export async function encodeTexts(checkpoint: Checkpoint, inputs: readonly TextInput[], options: EncodeTextsOptions = {}): Promise<EncodedText[]> {
  const tokenizer = loadTokenizer(checkpoint.dir);
  const modelLimit = checkpoint.config.maxSequenceLength;
  const maxLength = Math.min(options.maxLength ?? modelLimit, modelLimit);
  const encodings = inputs.map((input) => tokenizer.encode(input.text, input.pair, maxLength));
  const encoder = await loadEncoder(checkpoint.dir, { backend: options.backend, requireGpu: options.requireGpu, checkpoint });
  try {
    if (encoder.backend) options.onBackend?.(encoder.backend.detail);
    if (encoder.backend?.nativeWarning) options.onWarning?.(encoder.backend.nativeWarning);
    const batchSize = Math.max(1, options.batchSize ?? 32);
    const results: EncodedText[] = [];
    for (let start = 0; start < encodings.length; start += batchSize) {
      const slice = encodings.slice(start, start + batchSize);
      const batch = padBatch(slice, tokenizer.padId);
      try {
        const { hidden, pooled } = encoder.forward(batch, { pool: false });
        const cls = tf.tidy(() => tf.reshape(tf.slice(hidden, [0, 0, 0], [slice.length, 1, encoder.config.hiddenSize]), [slice.length, encoder.config.hiddenSize]));
        const rows = (await cls.array()) as number[][];
        tf.dispose([hidden, cls, ...(pooled ? [pooled] : [])]);
        slice.forEach((encoding, i) => {
          const input = inputs[start + i];
          results.push({ text: input.pair === undefined ? input.text : [input.text, input.pair], ids: encoding.ids, cls: rows[i] });
        });
      } finally {
        disposeBatch(batch);
      }
      options.onProgress?.(Math.min(start + batchSize, encodings.length), encodings.length);
    }
    return results;
  } finally {
    encoder.dispose();
  }
}
