// A tiny BERT with its masked-LM head, and a toy corpus whose masked tokens are predictable, for
// the pretraining tests.

import type { BackendInfo } from '../../../../server/src/training/backend/selectBackend';
import type { EncoderConfig } from '../../../../server/src/training/model/encoderConfig';
import { weightSourceFromMap, type WeightArray } from '../../../../server/src/training/model/weightSource';
import { BERT_MASKING, type MaskingSpec } from '../../../../server/src/training/pretraining/maskTokens';
import { MaskedLmModel } from '../../../../server/src/training/pretraining/maskedLmModel';
import { createRandom } from '../../../../server/src/training/random';
import { seededRandom, tinyConfig, tinyWeights } from '../tinyEncoder';

export const SPECIAL_IDS = new Set([0, 1, 2, 3, 4]);

export function tinyMlmConfig(overrides: Partial<EncoderConfig> = {}): EncoderConfig {
  return tinyConfig('bert', { hiddenSize: 16, intermediateSize: 32, vocabSize: 24, maxPositions: 16, ...overrides });
}

/** Encoder weights of tinyEncoder.ts plus a masked-LM head, all in checkpoint layout. */
export function tinyMlmWeights(config: EncoderConfig, seed = 1): Map<string, WeightArray> {
  const random = seededRandom(seed + 100);
  const h = config.hiddenSize;
  const values = (size: number, scale: number, offset = 0) => Float32Array.from({ length: size }, () => offset + (random() - 0.5) * scale);
  return tinyWeights(config, {
    seed,
    extra: {
      'cls.predictions.transform.dense.weight': { shape: [h, h], values: values(h * h, 0.6) },
      'cls.predictions.transform.dense.bias': { shape: [h], values: values(h, 0.1) },
      'cls.predictions.transform.LayerNorm.weight': { shape: [h], values: values(h, 0.2, 1) },
      'cls.predictions.transform.LayerNorm.bias': { shape: [h], values: values(h, 0.1) },
      'cls.predictions.bias': { shape: [config.vocabSize], values: values(config.vocabSize, 0.1) },
    },
  });
}

export function tinyMlmModel(config = tinyMlmConfig(), seed = 1, backend?: BackendInfo): MaskedLmModel {
  return MaskedLmModel.fromWeights(weightSourceFromMap('tiny-mlm', config, tinyMlmWeights(config, seed)), backend);
}

export function masking(config: EncoderConfig): MaskingSpec {
  return { ...BERT_MASKING, maskId: 4, vocabSize: config.vocabSize, specialIds: SPECIAL_IDS };
}

/**
 * [CLS] a a+1 a+2 … [SEP] over the ordinary ids 5…vocab-1 (wrapping): each token follows from
 * its neighbours, so a model that learns anything lowers the masked-LM loss.
 */
export function countingCorpus(count: number, config: EncoderConfig, seed: number): number[][] {
  const random = createRandom(seed);
  const ordinary = config.vocabSize - SPECIAL_IDS.size;
  return Array.from({ length: count }, () => {
    const start = Math.floor(random() * ordinary);
    const length = 4 + Math.floor(random() * (config.maxPositions - 6));
    return [2, ...Array.from({ length }, (_, i) => SPECIAL_IDS.size + ((start + i) % ordinary)), 3];
  });
}
