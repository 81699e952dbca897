// Small random BERT/RoBERTa weights for tests that need a whole encoder but not a real checkpoint.

import type { EncoderConfig, EncoderFamily } from '../../../server/src/training/model/encoderConfig';
import { encoderParameterNames } from '../../../server/src/training/model/buildEncoder';
import { weightSourceFromMap, type WeightArray, type WeightSource } from '../../../server/src/training/model/weightSource';

/** mulberry32: tiny seeded PRNG, so the random weights are the same in every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function tinyConfig(family: EncoderFamily, overrides: Partial<EncoderConfig> = {}): EncoderConfig {
  return {
    family,
    hiddenSize: 8,
    numLayers: 2,
    numHeads: 2,
    intermediateSize: 16,
    vocabSize: 20,
    maxPositions: family === 'roberta' ? 18 : 16,
    typeVocabSize: family === 'roberta' ? 1 : 2,
    layerNormEps: 1e-12,
    padTokenId: family === 'roberta' ? 1 : 0,
    hiddenDropout: 0.1,
    attentionDropout: 0.1,
    initializerRange: 0.02,
    ...overrides,
  };
}

/** Expected shape of every tensor the encoder reads, in the checkpoint's PyTorch layout. */
function torchShape(name: string, config: EncoderConfig): number[] {
  const h = config.hiddenSize;
  if (name === 'embeddings.word_embeddings.weight') return [config.vocabSize, h];
  if (name === 'embeddings.position_embeddings.weight') return [config.maxPositions, h];
  if (name === 'embeddings.token_type_embeddings.weight') return [config.typeVocabSize, h];
  if (name.endsWith('intermediate.dense.weight')) return [config.intermediateSize, h];
  if (name.endsWith('intermediate.dense.bias')) return [config.intermediateSize];
  if (/layer\.\d+\.output\.dense\.weight$/.test(name)) return [h, config.intermediateSize];
  if (name.endsWith('.weight') && !name.includes('LayerNorm')) return [h, h];
  return [h];
}

export interface TinySourceOptions {
  seed?: number;
  withPooler?: boolean;
  /** Extra tensors (e.g. a classifier head) in PyTorch layout. */
  extra?: Record<string, WeightArray>;
}

export function tinyWeights(config: EncoderConfig, options: TinySourceOptions = {}): Map<string, WeightArray> {
  const random = seededRandom(options.seed ?? 1);
  const weights = new Map<string, WeightArray>();
  for (const name of encoderParameterNames(config, options.withPooler ?? true)) {
    const shape = torchShape(name, config);
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    const isScale = name.includes('LayerNorm') && name.endsWith('.weight');
    for (let i = 0; i < size; i++) values[i] = isScale ? 0.8 + 0.4 * random() : (random() - 0.5) * 0.8;
    weights.set(name, { shape, values });
  }
  for (const [name, value] of Object.entries(options.extra ?? {})) weights.set(name, value);
  return weights;
}

export function tinySource(config: EncoderConfig, options: TinySourceOptions = {}): WeightSource {
  return weightSourceFromMap(`tiny-${config.family}`, config, tinyWeights(config, options));
}
