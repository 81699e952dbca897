// Builds the tfjs encoder from a WeightSource: reads only the tensors the encoder uses (no
// masked-LM head, no classifier), checks every shape against the config, and converts PyTorch
// Linear weights [out, in] to the [in, out] layout Linear keeps.

import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo } from '../backend/selectBackend';
import { Embeddings } from './embeddings';
import { Encoder } from './encoder';
import { EncoderBlock } from './encoderBlock';
import { checkEncoderConfig, type EncoderConfig } from './encoderConfig';
import { LayerNorm } from './layerNorm';
import { Linear, type LinearRole } from './linear';
import {
  BLOCK_LINEAR_SUFFIXES,
  EMBEDDING_NAMES,
  POOLER_STEM,
  attentionLayerNormStem,
  blockLinearStem,
  layerNormParameterNames,
  outputLayerNormStem,
} from './parameterNames';
import { SelfAttention } from './selfAttention';
import type { WeightSource } from './weightSource';

export class WeightShapeError extends Error {
  override name = 'WeightShapeError';
}

/**
 * Reads the encoder's weights into tensors on the current tfjs backend. Every tensor created
 * is owned by the returned Encoder (dispose it when done); on failure nothing leaks.
 */
export function buildEncoder(source: WeightSource, backend?: BackendInfo): Encoder {
  const config = source.config;
  const problems = checkEncoderConfig(config);
  if (problems.length > 0) throw new WeightShapeError(`${source.location}: unusable config: ${problems.join('; ')}`);
  const created: tf.Tensor[] = [];
  try {
    const reader = new TensorReader(source, created);
    const { hiddenSize: h, intermediateSize: ffn } = config;
    const embeddings = new Embeddings(config, {
      word: reader.matrix(EMBEDDING_NAMES.word, [config.vocabSize, h]),
      position: reader.matrix(EMBEDDING_NAMES.position, [config.maxPositions, h]),
      tokenType: reader.matrix(EMBEDDING_NAMES.tokenType, [config.typeVocabSize, h]),
      layerNorm: reader.layerNorm(EMBEDDING_NAMES.layerNorm, h),
    });
    const blocks: EncoderBlock[] = [];
    for (let layer = 0; layer < config.numLayers; layer++) {
      const linear = (role: LinearRole, inputs: number, outputs: number) =>
        reader.linear(blockLinearStem(layer, role), role, inputs, outputs, layer);
      const attention = new SelfAttention(config.numHeads, {
        query: linear('query', h, h),
        key: linear('key', h, h),
        value: linear('value', h, h),
        output: linear('attentionOutput', h, h),
        layerNorm: reader.layerNorm(attentionLayerNormStem(layer), h),
      });
      blocks.push(
        new EncoderBlock(layer, attention, {
          intermediate: linear('intermediate', h, ffn),
          output: linear('output', ffn, h),
          layerNorm: reader.layerNorm(outputLayerNormStem(layer), h),
        }, config.hiddenAct),
      );
    }
    const pooler = source.has(`${POOLER_STEM}.weight`) ? reader.linear(POOLER_STEM, 'pooler', h, h) : null;
    return new Encoder(config, embeddings, blocks, pooler, backend);
  } catch (error) {
    for (const tensor of created) tensor.dispose();
    throw error;
  }
}

/** Every tensor name buildEncoder reads for this config (for `masklab model` and tests). */
export function encoderParameterNames(config: EncoderConfig, withPooler: boolean): string[] {
  const names: string[] = [EMBEDDING_NAMES.word, EMBEDDING_NAMES.position, EMBEDDING_NAMES.tokenType];
  const pair = (stem: string) => [`${stem}.weight`, `${stem}.bias`];
  names.push(...pair(EMBEDDING_NAMES.layerNorm));
  for (let layer = 0; layer < config.numLayers; layer++) {
    for (const [role] of BLOCK_LINEAR_SUFFIXES) {
      names.push(...pair(blockLinearStem(layer, role)));
      if (role === 'attentionOutput') names.push(...pair(attentionLayerNormStem(layer)));
    }
    names.push(...pair(outputLayerNormStem(layer)));
  }
  if (withPooler) names.push(...pair(POOLER_STEM));
  return names;
}

/** Reads tensors from a source with shape checks, recording each created tensor. */
export class TensorReader {
  constructor(
    private readonly source: WeightSource,
    private readonly created: tf.Tensor[],
  ) {}

  private fetch(names: string[], expected: number[]): Float32Array {
    const name = names.find((n) => this.source.has(n));
    if (!name) {
      throw new WeightShapeError(`${this.source.location}: missing tensor '${names[0]}' (expected shape [${expected.join(', ')}]); is this a ${this.source.config.family} checkpoint?`);
    }
    const { shape, values } = this.source.read(name);
    if (shape.length !== expected.length || shape.some((d, i) => d !== expected[i])) {
      throw new WeightShapeError(`${this.source.location}: tensor '${name}' has shape [${shape.join(', ')}], expected [${expected.join(', ')}] from config.json`);
    }
    return values;
  }

  private keep<T extends tf.Tensor>(tensor: T): T {
    this.created.push(tensor);
    return tensor;
  }

  matrix(name: string, shape: [number, number]): tf.Tensor2D {
    return this.keep(tf.tensor2d(this.fetch([name], shape), shape, 'float32'));
  }

  vector(names: string[], size: number): tf.Tensor1D {
    return this.keep(tf.tensor1d(this.fetch(names, [size]), 'float32'));
  }

  layerNorm(stem: string, size: number): LayerNorm {
    const names = layerNormParameterNames(stem);
    return new LayerNorm(stem, this.vector(names.scale, size), this.vector(names.shift, size), this.source.config.layerNormEps);
  }

  /** PyTorch Linear: weight [out, in] in the file, kept as [in, out]. */
  linear(stem: string, role: LinearRole, inputs: number, outputs: number, layerIndex?: number): Linear {
    const torchLayout = this.fetch([`${stem}.weight`], [outputs, inputs]);
    const weight = this.keep(tf.tidy(() => tf.transpose(tf.tensor2d(torchLayout, [outputs, inputs], 'float32')) as tf.Tensor2D));
    const bias = this.source.has(`${stem}.bias`) ? this.vector([`${stem}.bias`], outputs) : null;
    return new Linear({ name: stem, role, layerIndex }, weight, bias);
  }
}
