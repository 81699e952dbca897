// A BERT whose every pretrained parameter is a trainable tf.Variable, plus its masked-LM head:
// what masked-language-modelling pretraining updates. The fine-tuning path (methods/) wraps a
// frozen encoder in trainable copies instead; pretraining owns its weights outright, so the
// encoder is assembled here directly from variables with the model/ classes, and the same
// forward code serves pretraining and every method.
//
// Weights come from a WeightSource with canonical names (`encoder.layer.0.…`, `cls.predictions.…`)
// in the checkpoint's layout; checkpointTensors() returns them in that layout again, Hugging
// Face BertForMaskedLM names included, ready for writeSafetensors.

import * as tf from '@tensorflow/tfjs-core';
import type { TensorToWrite } from '../../checkpoint/safetensors';
import type { BackendInfo } from '../backend/selectBackend';
import { Embeddings } from '../model/embeddings';
import { Encoder } from '../model/encoder';
import { EncoderBlock } from '../model/encoderBlock';
import { checkEncoderConfig, type EncoderConfig } from '../model/encoderConfig';
import { LayerNorm } from '../model/layerNorm';
import { Linear, type LinearRole } from '../model/linear';
import {
  EMBEDDING_NAMES,
  POOLER_STEM,
  attentionLayerNormStem,
  blockLinearStem,
  outputLayerNormStem,
} from '../model/parameterNames';
import { SelfAttention } from '../model/selfAttention';
import type { WeightArray, WeightSource } from '../model/weightSource';
import { MASKED_LM_HEAD_NAMES, MaskedLmHead } from './maskedLmHead';

export interface PretrainedParameter {
  /** Canonical checkpoint name (no family prefix). */
  name: string;
  variable: tf.Variable;
  /** Weight decay applies (matrices and embedding tables; not biases or LayerNorm). */
  decay: boolean;
  /** Held as [in, out] (a Linear weight); the checkpoint stores [out, in]. */
  transposed: boolean;
}

/** tfjs variable names are process-global; a counter keeps two models in one process apart. */
let modelsCreated = 0;

export class MaskedLmModel {
  private constructor(
    readonly encoder: Encoder,
    readonly head: MaskedLmHead,
    readonly parameters: readonly PretrainedParameter[],
    /** Tensors carried through unchanged (the pooler: BertForMaskedLM never trains it). */
    private readonly untouched: ReadonlyMap<string, WeightArray>,
  ) {}

  /**
   * Builds the model on the current tfjs backend from `source` (a BERT: RoBERTa's position
   * numbering and head names differ). Needs every encoder tensor and the masked-LM head.
   */
  static fromWeights(source: WeightSource, backend?: BackendInfo): MaskedLmModel {
    const config = source.config;
    if (config.family !== 'bert') throw new Error(`${source.location}: masked-LM pretraining builds BERT models; this source describes a ${config.family} model`);
    const problems = checkEncoderConfig(config);
    if (problems.length > 0) throw new Error(`${source.location}: unusable config: ${problems.join('; ')}`);
    const label = `mlm${++modelsCreated}`;
    const parameters: PretrainedParameter[] = [];
    try {
      const read = (name: string, shape: number[]): Float32Array => {
        if (!source.has(name)) throw new Error(`${source.location}: missing tensor '${name}' (shape [${shape.join(', ')}]); masked-LM pretraining needs the whole BertForMaskedLM`);
        const { shape: found, values } = source.read(name);
        if (found.length !== shape.length || found.some((d, i) => d !== shape[i])) {
          throw new Error(`${source.location}: tensor '${name}' has shape [${found.join(', ')}], expected [${shape.join(', ')}]`);
        }
        return values;
      };
      const variable = (name: string, values: Float32Array, shape: number[], decay: boolean, transposed = false): tf.Variable => {
        const initial = transposed
          ? tf.tidy(() => tf.transpose(tf.tensor2d(values, [shape[0], shape[1]], 'float32')))
          : tf.tensor(values, shape, 'float32');
        const created = tf.variable(initial, true, `${label}/${name}`);
        initial.dispose();
        parameters.push({ name, variable: created, decay, transposed });
        return created;
      };
      const matrix = (name: string, shape: [number, number]) => variable(name, read(name, shape), shape, true) as tf.Tensor as tf.Tensor2D;
      const vector = (name: string, size: number) => variable(name, read(name, [size]), [size], false) as tf.Tensor as tf.Tensor1D;
      const layerNorm = (stem: string, size: number) => new LayerNorm(stem, vector(`${stem}.weight`, size), vector(`${stem}.bias`, size), config.layerNormEps);
      const linear = (stem: string, role: LinearRole, inputs: number, outputs: number, layerIndex?: number): Linear => {
        const weight = variable(`${stem}.weight`, read(`${stem}.weight`, [outputs, inputs]), [outputs, inputs], true, true) as tf.Tensor as tf.Tensor2D;
        return new Linear({ name: stem, role, layerIndex }, weight, vector(`${stem}.bias`, outputs));
      };

      const h = config.hiddenSize;
      const word = matrix(EMBEDDING_NAMES.word, [config.vocabSize, h]);
      const embeddings = new Embeddings(config, {
        word,
        position: matrix(EMBEDDING_NAMES.position, [config.maxPositions, h]),
        tokenType: matrix(EMBEDDING_NAMES.tokenType, [config.typeVocabSize, h]),
        layerNorm: layerNorm(EMBEDDING_NAMES.layerNorm, h),
      });
      const blocks: EncoderBlock[] = [];
      for (let layer = 0; layer < config.numLayers; layer++) {
        const block = (role: LinearRole, inputs: number, outputs: number) => linear(blockLinearStem(layer, role), role, inputs, outputs, layer);
        const attention = new SelfAttention(config.numHeads, {
          query: block('query', h, h),
          key: block('key', h, h),
          value: block('value', h, h),
          output: block('attentionOutput', h, h),
          layerNorm: layerNorm(attentionLayerNormStem(layer), h),
        });
        const feedForward = {
          intermediate: block('intermediate', h, config.intermediateSize),
          output: block('output', config.intermediateSize, h),
          layerNorm: layerNorm(outputLayerNormStem(layer), h),
        };
        blocks.push(new EncoderBlock(layer, attention, feedForward, config.hiddenAct));
      }
      const head = new MaskedLmHead(
        // The transform is no block matrix; 'classifierDense' is the nearest role and no method targets it here.
        linear(MASKED_LM_HEAD_NAMES.transform, 'classifierDense', h, h),
        layerNorm(MASKED_LM_HEAD_NAMES.layerNorm, h),
        vector(MASKED_LM_HEAD_NAMES.bias, config.vocabSize),
        word,
        config.hiddenAct,
      );
      const untouched = new Map<string, WeightArray>();
      for (const name of [`${POOLER_STEM}.weight`, `${POOLER_STEM}.bias`]) {
        if (source.has(name)) untouched.set(name, source.read(name));
      }
      // No pooler in the encoder: pretraining never computes it (it is carried through as is).
      return new MaskedLmModel(new Encoder(config, embeddings, blocks, null, backend), head, parameters, untouched);
    } catch (error) {
      for (const p of parameters) p.variable.dispose();
      throw error;
    }
  }

  get config(): EncoderConfig {
    return this.encoder.config;
  }

  variables(): tf.Variable[] {
    return this.parameters.map((p) => p.variable);
  }

  /** Trained entries (the carried-through pooler not counted). */
  get parameterCount(): number {
    return this.parameters.reduce((sum, p) => sum + p.variable.size, 0);
  }

  /**
   * Every tensor in the checkpoint's layout and naming: the encoder and pooler under
   * `familyPrefix` (`bert.`), the head under `cls.`, in a stable order (encoder, pooler, head).
   */
  checkpointTensors(familyPrefix = 'bert.'): TensorToWrite[] {
    const named = (name: string) => (name.startsWith('cls.') ? name : `${familyPrefix}${name}`);
    const tensors: TensorToWrite[] = [];
    const fromParameter = (p: PretrainedParameter): TensorToWrite => {
      if (!p.transposed) return { name: named(p.name), dtype: 'F32', shape: [...p.variable.shape], data: new Float32Array(p.variable.dataSync() as Float32Array) };
      const data = tf.tidy(() => tf.transpose(p.variable).dataSync() as Float32Array);
      const [inputs, outputs] = p.variable.shape;
      return { name: named(p.name), dtype: 'F32', shape: [outputs, inputs], data: new Float32Array(data) };
    };
    const encoderParameters = this.parameters.filter((p) => !p.name.startsWith('cls.'));
    const headParameters = this.parameters.filter((p) => p.name.startsWith('cls.'));
    tensors.push(...encoderParameters.map(fromParameter));
    for (const [name, weights] of this.untouched) tensors.push({ name: named(name), dtype: 'F32', shape: [...weights.shape], data: new Float32Array(weights.values) });
    tensors.push(...headParameters.map(fromParameter));
    return tensors;
  }

  dispose(): void {
    for (const p of this.parameters) p.variable.dispose();
  }
}
