// Sequence-classification heads of the BERT family. BERT classifies the pooled [CLS] vector with
// one linear layer; RoBERTa classifies the <s> hidden state with dense → tanh → out_proj.
// A head comes from the checkpoint when it has one (…ForSequenceClassification), otherwise it is
// initialised from a seed, as the methods require (N(0, initializer_range²) weights, zero bias).

import * as tf from '@tensorflow/tfjs-core';
import { dropout } from './activations';
import { firstToken, type EncoderOutput } from './encoder';
import type { EncoderConfig, EncoderFamily } from './encoderConfig';
import { Linear } from './linear';
import { CLASSIFIER_NAMES } from './parameterNames';
import { TensorReader } from './buildEncoder';
import type { WeightSource } from './weightSource';

export interface HeadForwardOptions {
  training?: boolean;
  nextSeed?: () => number;
}

export class ClassifierHead {
  constructor(
    readonly family: EncoderFamily,
    readonly hiddenDropout: number,
    /** RoBERTa's dense layer before the output projection; null for BERT. */
    readonly dense: Linear | null,
    readonly out: Linear,
  ) {}

  get numLabels(): number {
    return this.out.outFeatures;
  }

  /** → logits [batch, numLabels]. */
  apply(encoded: EncoderOutput, options: HeadForwardOptions = {}): tf.Tensor2D {
    const training = options.training === true;
    return tf.tidy(() => {
      const drop = (x: tf.Tensor2D) => dropout(x, this.hiddenDropout, training, options.nextSeed?.());
      if (this.dense) {
        const features = drop(firstToken(encoded.hidden));
        return this.out.apply(drop(tf.tanh(this.dense.apply(features))));
      }
      if (!encoded.pooled) {
        throw new Error('a BERT classification head reads the pooled [CLS] vector, but the encoder has no pooler (pooler.dense.* missing from the checkpoint)');
      }
      return this.out.apply(drop(encoded.pooled));
    });
  }

  linears(): Linear[] {
    return this.dense ? [this.dense, this.out] : [this.out];
  }

  dispose(): void {
    for (const linear of this.linears()) linear.dispose();
  }
}

/** A freshly initialised head; the same seed gives the same weights on every backend. */
export function createClassifierHead(config: EncoderConfig, numLabels: number, seed: number): ClassifierHead {
  if (!Number.isInteger(numLabels) || numLabels < 1) throw new Error(`a classification head needs at least one label, got ${numLabels}`);
  const h = config.hiddenSize;
  const init = (stem: string, role: 'classifier' | 'classifierDense', inputs: number, outputs: number, offset: number) =>
    new Linear(
      { name: stem, role },
      tf.randomNormal([inputs, outputs], 0, config.initializerRange, 'float32', seed + offset) as tf.Tensor2D,
      tf.zeros([outputs], 'float32') as tf.Tensor1D,
    );
  if (config.family === 'roberta') {
    const names = CLASSIFIER_NAMES.roberta;
    return new ClassifierHead('roberta', config.hiddenDropout, init(names.dense, 'classifierDense', h, h, 0), init(names.out, 'classifier', h, numLabels, 1));
  }
  return new ClassifierHead('bert', config.hiddenDropout, null, init(CLASSIFIER_NAMES.bert.out, 'classifier', h, numLabels, 0));
}

/**
 * The head stored in the checkpoint, or null when it has none. Its label count comes from the
 * stored weight; a caller expecting another count should create a fresh head instead.
 */
export function loadClassifierHead(source: WeightSource): ClassifierHead | null {
  const config = source.config;
  const h = config.hiddenSize;
  const outStem = config.family === 'roberta' ? CLASSIFIER_NAMES.roberta.out : CLASSIFIER_NAMES.bert.out;
  if (!source.has(`${outStem}.weight`)) return null;
  const numLabels = source.read(`${outStem}.weight`).shape[0];
  const created: tf.Tensor[] = [];
  try {
    const reader = new TensorReader(source, created);
    const dense = config.family === 'roberta' ? reader.linear(CLASSIFIER_NAMES.roberta.dense, 'classifierDense', h, h) : null;
    return new ClassifierHead(config.family, config.hiddenDropout, dense, reader.linear(outStem, 'classifier', h, numLabels));
  } catch (error) {
    for (const tensor of created) tensor.dispose();
    throw error;
  }
}
