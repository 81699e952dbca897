// Writes a tiny but complete Hugging Face BERT/RoBERTa folder (config.json, vocab, safetensors)
// to a temporary directory, so CLI and loading tests run without the shared checkpoint.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSafetensors } from '../../../server/src/checkpoint';
import type { EncoderConfig, EncoderFamily } from '../../../server/src/training/model/encoderConfig';
import { weightSourceFromMap, type WeightSource } from '../../../server/src/training/model/weightSource';
import { tinyConfig, tinyWeights } from './tinyEncoder';

/** 20 entries, matching tinyConfig('bert').vocabSize. */
export const TINY_BERT_VOCAB = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'sat', 'on', 'mat', 'a', 'dog', 'ran', '##s', '.', ',', 'play', '##ing', 'good', 'movie',
];

export interface TinyCheckpoint {
  dir: string;
  config: EncoderConfig;
  /** The same weights as written, canonical names, for computing expectations. */
  source: WeightSource;
  remove(): void;
}

/** `prefixed: false` writes a bare BertModel / RobertaModel (no `bert.` / `roberta.` prefix). */
export function writeTinyCheckpoint(family: EncoderFamily = 'bert', seed = 21, prefixed = true): TinyCheckpoint {
  const config = tinyConfig(family);
  const weights = tinyWeights(config, { seed });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `masklab-tiny-${family}-`));
  const prefix = !prefixed ? '' : family === 'roberta' ? 'roberta.' : 'bert.';
  writeSafetensors(
    path.join(dir, 'model.safetensors'),
    [...weights].map(([name, w]) => ({ name: prefix + name, dtype: 'F32' as const, shape: w.shape, data: w.values })),
  );
  const configJson = {
    architectures: [family === 'roberta' ? 'RobertaModel' : 'BertModel'],
    model_type: family,
    hidden_size: config.hiddenSize,
    num_hidden_layers: config.numLayers,
    num_attention_heads: config.numHeads,
    intermediate_size: config.intermediateSize,
    hidden_act: 'gelu',
    hidden_dropout_prob: config.hiddenDropout,
    attention_probs_dropout_prob: config.attentionDropout,
    max_position_embeddings: config.maxPositions,
    type_vocab_size: config.typeVocabSize,
    initializer_range: config.initializerRange,
    layer_norm_eps: config.layerNormEps,
    pad_token_id: config.padTokenId,
    position_embedding_type: 'absolute',
    vocab_size: config.vocabSize,
  };
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(configJson, null, 2));
  if (family === 'bert') {
    fs.writeFileSync(path.join(dir, 'vocab.txt'), TINY_BERT_VOCAB.join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: true }));
  }
  return {
    dir,
    config,
    source: weightSourceFromMap(dir, config, weights),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
