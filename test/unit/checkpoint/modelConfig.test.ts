import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CheckpointError } from '../../../server/src/checkpoint/checkpointError';
import { readModelConfig } from '../../../server/src/checkpoint/modelConfig';
import { SHARED_MODEL, SHARED_MODEL_SKIP, tempDir } from './fakeCheckpoint';

function folderWith(files: Record<string, unknown>): string {
  const dir = tempDir('config');
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

function assertConfigError(dir: string, check: (error: CheckpointError) => void): void {
  assert.throws(
    () => readModelConfig(dir),
    (error: unknown) => {
      assert.ok(error instanceof CheckpointError, String(error));
      assert.ok(error.message.includes(error.file), `message names the file: ${error.message}`);
      check(error);
      return true;
    },
  );
}

test('the shared checkpoint config is read field by field, with tokenizer settings', { skip: SHARED_MODEL_SKIP }, () => {
  const raw = JSON.parse(fs.readFileSync(path.join(SHARED_MODEL, 'config.json'), 'utf8'));
  const config = readModelConfig(SHARED_MODEL);
  assert.equal(config.family, 'bert');
  assert.equal(config.modelType, raw.model_type);
  assert.deepEqual(config.architectures, raw.architectures);
  assert.equal(config.hiddenSize, raw.hidden_size);
  assert.equal(config.numHiddenLayers, raw.num_hidden_layers);
  assert.equal(config.numAttentionHeads, raw.num_attention_heads);
  assert.equal(config.headSize, raw.hidden_size / raw.num_attention_heads);
  assert.equal(config.intermediateSize, raw.intermediate_size);
  assert.equal(config.vocabSize, raw.vocab_size);
  assert.equal(config.maxPositionEmbeddings, raw.max_position_embeddings);
  assert.equal(config.maxSequenceLength, raw.max_position_embeddings, 'BERT has no reserved positions');
  assert.equal(config.typeVocabSize, raw.type_vocab_size);
  assert.equal(config.layerNormEps, raw.layer_norm_eps);
  assert.equal(config.hiddenAct, raw.hidden_act);
  assert.equal(config.padTokenId, raw.pad_token_id);
  assert.equal(config.doLowerCase, true);
  assert.equal(config.stripAccents, null);
  assert.deepEqual(config.defaulted, []);
  assert.equal(config.file, path.join(SHARED_MODEL, 'config.json'));
});

test('RoBERTa configs: family, reserved positions, pad id and XLM-R / CamemBERT as RoBERTa', () => {
  const roberta = readModelConfig(
    folderWith({
      'config.json': { model_type: 'roberta', architectures: ['RobertaForMaskedLM'], hidden_size: 16, num_attention_heads: 4, pad_token_id: 1, max_position_embeddings: 514, type_vocab_size: 1, layer_norm_eps: 1e-5 },
    }),
  );
  assert.equal(roberta.family, 'roberta');
  assert.equal(roberta.positionOffset, 2);
  assert.equal(roberta.maxSequenceLength, 512);
  assert.equal(roberta.typeVocabSize, 1);
  assert.equal(roberta.vocabSize, 50265, 'RobertaConfig default');
  assert.ok(roberta.defaulted.includes('vocab_size'));
  assert.equal(roberta.doLowerCase, undefined, 'no tokenizer_config.json');

  const xlmr = readModelConfig(folderWith({ 'config.json': { model_type: 'xlm-roberta', vocab_size: 250002 } }));
  assert.equal(xlmr.family, 'roberta');
  assert.equal(xlmr.modelType, 'xlm-roberta');
  assert.equal(xlmr.padTokenId, 1);

  const inferred = readModelConfig(folderWith({ 'config.json': { architectures: ['RobertaForSequenceClassification'], id2label: { '0': 'neg', '1': 'pos', '2': 'neutral' } } }));
  assert.equal(inferred.modelType, 'roberta');
  assert.equal(inferred.numLabels, 3);
  assert.deepEqual(inferred.labels, ['neg', 'pos', 'neutral']);
});

test('missing fields take the Hugging Face BERT defaults and are listed', () => {
  const config = readModelConfig(folderWith({ 'config.json': { model_type: 'bert', hidden_size: 64, num_attention_heads: 2 } }));
  assert.equal(config.hiddenSize, 64);
  assert.equal(config.numHiddenLayers, 12);
  assert.equal(config.intermediateSize, 3072);
  assert.equal(config.hiddenAct, 'gelu');
  assert.ok(config.defaulted.includes('num_hidden_layers'));
  assert.ok(!config.defaulted.includes('hidden_size'));
});

test('wrong types name the field, what was found and how to fix it', () => {
  assertConfigError(folderWith({ 'config.json': { model_type: 'bert', hidden_size: '64' } }), (error) => {
    assert.equal(error.field, 'hidden_size');
    assert.match(error.message, /"hidden_size" must be a positive integer, found the string "64" \(write 64 without quotes\)/);
  });
  assertConfigError(folderWith({ 'config.json': { model_type: 'bert', num_hidden_layers: 0, layer_norm_eps: -1 } }), (error) => {
    assert.equal(error.details.length, 2, 'every problem is reported at once');
    assert.match(error.message, /num_hidden_layers/);
    assert.match(error.message, /layer_norm_eps/);
  });
  assertConfigError(folderWith({ 'config.json': { model_type: 'bert', hidden_size: 100, num_attention_heads: 12 } }), (error) => {
    assert.match(error.message, /hidden_size 100 must be a multiple of num_attention_heads 12/);
  });
  assertConfigError(folderWith({ 'config.json': { model_type: 'distilbert' } }), (error) => {
    assert.equal(error.field, 'model_type');
    assert.match(error.message, /"distilbert" is not supported.*"bert".*"roberta"/);
  });
  assertConfigError(folderWith({ 'config.json': { hidden_size: 8 } }), (error) => {
    assert.match(error.message, /neither "model_type" nor "architectures"/);
  });
  assertConfigError(folderWith({ 'config.json': { model_type: 'bert', architectures: 'BertModel' } }), (error) => {
    assert.match(error.message, /"architectures" must be a list of strings/);
  });
  assertConfigError(folderWith({ 'config.json': { model_type: 'bert', id2label: { zero: 'a' } } }), (error) => {
    assert.match(error.message, /id2label/);
  });
});

test('unreadable config files: bad JSON with line and column, missing file, not an object', () => {
  assertConfigError(folderWith({ 'config.json': '{\n  "model_type": "bert",\n  "hidden_size": 64,,\n}' }), (error) => {
    assert.match(error.message, /config\.json:3:\d+: config\.json is not valid JSON/);
  });
  assertConfigError(folderWith({}), (error) => {
    assert.match(error.message, /config\.json does not exist: a Hugging Face model folder needs config\.json/);
  });
  assertConfigError(folderWith({ 'config.json': '[1, 2]' }), (error) => assert.match(error.message, /must hold a JSON object/));
  assertConfigError(path.join(tempDir('config'), 'nowhere'), (error) => assert.match(error.message, /model folder .* does not exist/));
});

test('tokenizer_config.json is validated too, naming its own file', () => {
  const dir = folderWith({ 'config.json': { model_type: 'bert' }, 'tokenizer_config.json': { do_lower_case: 'yes' } });
  assertConfigError(dir, (error) => {
    assert.equal(error.file, path.join(dir, 'tokenizer_config.json'));
    assert.equal(error.field, 'do_lower_case');
  });
  const cased = readModelConfig(folderWith({ 'config.json': { model_type: 'bert' }, 'tokenizer_config.json': { do_lower_case: false, strip_accents: true } }));
  assert.equal(cased.doLowerCase, false);
  assert.equal(cased.stripAccents, true);
});
