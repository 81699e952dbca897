// The bridge from the checkpoint module (config.json + safetensors, tfjs-free) to the encoder:
// an EncoderConfig from the normalised config, and a WeightSource that reads single tensors by
// their canonical names (prefix stripped), so only the tensors the encoder needs are read.

import type { Checkpoint, ModelConfig } from '../../checkpoint';
import { readTensorFloat32 } from '../../checkpoint';
import { SUPPORTED_ACTIVATIONS, type EncoderConfig, type HiddenActivation } from './encoderConfig';
import type { WeightSource } from './weightSource';

/** config.json says something this engine cannot compute; the message names the field and file. */
export class UnsupportedModelError extends Error {
  override name = 'UnsupportedModelError';
}

export function encoderConfigFrom(config: ModelConfig): EncoderConfig {
  if (!(SUPPORTED_ACTIVATIONS as readonly string[]).includes(config.hiddenAct)) {
    throw new UnsupportedModelError(
      `${config.file}: "hidden_act" is "${config.hiddenAct}"; Masklab's encoder computes ${SUPPORTED_ACTIVATIONS.map((a) => `"${a}"`).join(', ')}`,
    );
  }
  if (config.positionEmbeddingType !== 'absolute') {
    throw new UnsupportedModelError(
      `${config.file}: "position_embedding_type" is "${config.positionEmbeddingType}"; Masklab's encoder supports "absolute" position embeddings only`,
    );
  }
  return {
    family: config.family,
    hiddenSize: config.hiddenSize,
    numLayers: config.numHiddenLayers,
    numHeads: config.numAttentionHeads,
    intermediateSize: config.intermediateSize,
    vocabSize: config.vocabSize,
    maxPositions: config.maxPositionEmbeddings,
    typeVocabSize: config.typeVocabSize,
    layerNormEps: config.layerNormEps,
    hiddenAct: config.hiddenAct as HiddenActivation,
    padTokenId: config.padTokenId,
    hiddenDropout: config.hiddenDropoutProb,
    attentionDropout: config.attentionDropoutProb,
    initializerRange: config.initializerRange,
  };
}

export function checkpointWeightSource(checkpoint: Checkpoint): WeightSource {
  const config = encoderConfigFrom(checkpoint.config);
  return {
    location: checkpoint.weightFiles.length === 1 ? checkpoint.weightFiles[0] : checkpoint.dir,
    config,
    has: (name) => checkpoint.get(name) !== undefined,
    read: (name) => {
      const info = checkpoint.get(name);
      if (!info) throw new Error(`${checkpoint.dir}: no tensor named '${name}' (prefix '${checkpoint.prefix}' stripped)`);
      return { shape: info.shape, values: readTensorFloat32(info) };
    },
  };
}
