// A randomly initialised BERT in Hugging Face BertForMaskedLM layout: the parameter names, shapes
// ([out, in] for linear weights) and initialisation of transformers' BertPreTrainedModel
// (weights ~ N(0, initializer_range²), padding row of the word embeddings zero, biases zero,
// LayerNorm weight 1 and bias 0). The masked-LM decoder is tied to the word embeddings, so it is
// not stored. Kept separate from the file writing so a future pretraining step can start from
// these tensors.

import type { TensorToWrite } from '../../server/src/checkpoint/safetensors';
import type { SeededRandom } from './seededRandom';

export interface BertShape {
  vocabSize: number;
  hiddenSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  intermediateSize: number;
  maxPositionEmbeddings: number;
  typeVocabSize: number;
  initializerRange: number;
  padTokenId: number;
}

/** config.json of a BertForMaskedLM with this shape, as transformers writes it. */
export function bertConfigJson(shape: BertShape): Record<string, unknown> {
  return {
    architectures: ['BertForMaskedLM'],
    model_type: 'bert',
    vocab_size: shape.vocabSize,
    hidden_size: shape.hiddenSize,
    num_hidden_layers: shape.numHiddenLayers,
    num_attention_heads: shape.numAttentionHeads,
    intermediate_size: shape.intermediateSize,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    max_position_embeddings: shape.maxPositionEmbeddings,
    type_vocab_size: shape.typeVocabSize,
    initializer_range: shape.initializerRange,
    layer_norm_eps: 1e-12,
    pad_token_id: shape.padTokenId,
    position_embedding_type: 'absolute',
    torch_dtype: 'float32',
  };
}

/**
 * Every BertForMaskedLM tensor (plus the pooler, which BertModel has), freshly initialised. Each
 * tensor draws from its own stream forked by name, so adding a tensor never changes the others.
 */
export function randomBertForMaskedLM(shape: BertShape, random: SeededRandom): TensorToWrite[] {
  const h = shape.hiddenSize;
  const tensors: TensorToWrite[] = [];
  const normal = (name: string, dims: number[]): void => {
    const stream = random.fork(name);
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = stream.normal(0, shape.initializerRange);
    tensors.push({ name, dtype: 'F32', shape: dims, data });
  };
  const constant = (name: string, dims: number[], value: number): void => {
    tensors.push({ name, dtype: 'F32', shape: dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(value) });
  };
  const linear = (name: string, out: number, inputs: number): void => {
    normal(`${name}.weight`, [out, inputs]);
    constant(`${name}.bias`, [out], 0);
  };
  const layerNorm = (name: string): void => {
    constant(`${name}.weight`, [h], 1);
    constant(`${name}.bias`, [h], 0);
  };

  normal('bert.embeddings.word_embeddings.weight', [shape.vocabSize, h]);
  // nn.Embedding(padding_idx=pad) keeps the padding row at zero.
  tensors[tensors.length - 1].data.fill(0, shape.padTokenId * h, (shape.padTokenId + 1) * h);
  normal('bert.embeddings.position_embeddings.weight', [shape.maxPositionEmbeddings, h]);
  normal('bert.embeddings.token_type_embeddings.weight', [shape.typeVocabSize, h]);
  layerNorm('bert.embeddings.LayerNorm');
  for (let block = 0; block < shape.numHiddenLayers; block++) {
    const layer = `bert.encoder.layer.${block}`;
    linear(`${layer}.attention.self.query`, h, h);
    linear(`${layer}.attention.self.key`, h, h);
    linear(`${layer}.attention.self.value`, h, h);
    linear(`${layer}.attention.output.dense`, h, h);
    layerNorm(`${layer}.attention.output.LayerNorm`);
    linear(`${layer}.intermediate.dense`, shape.intermediateSize, h);
    linear(`${layer}.output.dense`, h, shape.intermediateSize);
    layerNorm(`${layer}.output.LayerNorm`);
  }
  linear('bert.pooler.dense', h, h);
  linear('cls.predictions.transform.dense', h, h);
  layerNorm('cls.predictions.transform.LayerNorm');
  constant('cls.predictions.bias', [shape.vocabSize], 0);
  return tensors;
}
