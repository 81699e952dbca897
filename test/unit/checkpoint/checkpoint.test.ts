import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openCheckpoint } from '../../../server/src/checkpoint/checkpoint';
import { CheckpointError } from '../../../server/src/checkpoint/checkpointError';
import { readTensorFloat32, writeSafetensors } from '../../../server/src/checkpoint/safetensors';
import { SHARED_MODEL, SHARED_MODEL_SKIP, fakeConfig, fakeTensors, tempDir, writeFakeModel, type FakeModelOptions } from './fakeCheckpoint';

function fakeModel(options: FakeModelOptions = {}): string {
  const dir = path.join(tempDir('model'), 'model');
  writeFakeModel(dir, options);
  return dir;
}

function assertOpenError(dir: string, pattern: RegExp): CheckpointError {
  let caught: CheckpointError | undefined;
  assert.throws(
    () => openCheckpoint(dir),
    (error: unknown) => {
      assert.ok(error instanceof CheckpointError, String(error));
      assert.match(error.message, pattern);
      caught = error;
      return true;
    },
  );
  return caught as CheckpointError;
}

/** Parameters of a BERT with this config, counted from the architecture (not from the file). */
function expectedBertParameters(c: Record<string, number>, withMlmHead: boolean): number {
  const h = c.hidden_size;
  const block = 4 * (h * h + h) + 2 * (2 * h) + (c.intermediate_size * h + c.intermediate_size) + (h * c.intermediate_size + h);
  const embeddings = (c.vocab_size + c.max_position_embeddings + c.type_vocab_size) * h + 2 * h;
  const pooler = h * h + h;
  const mlm = withMlmHead ? h * h + h + 2 * h + c.vocab_size : 0;
  return embeddings + c.num_hidden_layers * block + pooler + mlm;
}

test('opens the shared checkpoint: prefix, family, 4.4 M parameters, lookups by either name', { skip: SHARED_MODEL_SKIP }, () => {
  const raw = JSON.parse(fs.readFileSync(path.join(SHARED_MODEL, 'config.json'), 'utf8'));
  const checkpoint = openCheckpoint(SHARED_MODEL);
  assert.equal(checkpoint.prefix, 'bert.');
  assert.equal(checkpoint.family, 'bert');
  assert.equal(checkpoint.totalParameters, expectedBertParameters(raw, true));
  assert.ok(checkpoint.totalParameters > 4.3e6 && checkpoint.totalParameters < 4.5e6);
  assert.equal(checkpoint.parameters.length, 5 + 16 * raw.num_hidden_layers + 2 + 5);
  assert.equal(checkpoint.tensors.length, checkpoint.parameters.length);
  const byCanonical = checkpoint.get('encoder.layer.1.attention.self.query.weight');
  assert.equal(byCanonical, checkpoint.get('bert.encoder.layer.1.attention.self.query.weight'));
  assert.deepEqual(byCanonical?.shape, [raw.hidden_size, raw.hidden_size]);
  assert.equal(checkpoint.parameter('embeddings.word_embeddings.weight')?.count, raw.vocab_size * raw.hidden_size);
  const matrices = checkpoint.parameters.filter((p) => p.role === 'weight' && p.block !== undefined);
  assert.equal(matrices.length, 6 * raw.num_hidden_layers);
});

test('bare BertModel naming (no prefix) and BertForSequenceClassification heads', () => {
  const bare = openCheckpoint(fakeModel({ prefix: '', head: 'none' }));
  assert.equal(bare.prefix, '');
  assert.equal(bare.parameter('encoder.layer.1.output.dense.weight')?.name, 'encoder.layer.1.output.dense.weight');

  const classifier = openCheckpoint(fakeModel({ head: 'classifier', numLabels: 3, config: { id2label: { 0: 'a', 1: 'b', 2: 'c' } } }));
  assert.deepEqual(classifier.parameter('classifier.weight')?.shape, [3, 8]);
  assert.equal(classifier.parameter('classifier.weight')?.matrix, 'head');
});

test('RoBERTa naming: roberta. prefix, lm_head and classifier.dense / out_proj', () => {
  const mlm = openCheckpoint(fakeModel({ family: 'roberta', pooler: false }));
  assert.equal(mlm.family, 'roberta');
  assert.equal(mlm.prefix, 'roberta.');
  assert.equal(mlm.config.positionOffset, 2);
  assert.equal(mlm.parameter('lm_head.dense.weight')?.component, 'pretraining_head');
  const tensorNames = fakeTensors({ family: 'roberta', pooler: false }).map((t) => t.name);
  assert.deepEqual(new Set(mlm.tensors.map((t) => t.name)), new Set(tensorNames));

  const classification = openCheckpoint(fakeModel({ family: 'roberta', head: 'classifier', numLabels: 4 }));
  assert.deepEqual(
    classification.parameters.filter((p) => p.matrix === 'head' && p.role === 'weight').map((p) => [p.canonical, p.shape]),
    [
      ['classifier.dense.weight', [8, 8]],
      ['classifier.out_proj.weight', [4, 8]],
    ],
  );
});

test('sharded checkpoints: the index maps each tensor to its shard, data reads from the right file', () => {
  const dir = path.join(tempDir('sharded'), 'model');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(fakeConfig()));
  const tensors = fakeTensors();
  const half = Math.floor(tensors.length / 2);
  const shards = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
  writeSafetensors(path.join(dir, shards[0]), tensors.slice(0, half));
  writeSafetensors(path.join(dir, shards[1]), tensors.slice(half));
  const weightMap = Object.fromEntries(tensors.map((t, i) => [t.name, shards[i < half ? 0 : 1]]));
  fs.writeFileSync(path.join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }));

  const checkpoint = openCheckpoint(dir);
  assert.deepEqual(checkpoint.weightFiles, shards.map((s) => path.join(dir, s)));
  assert.equal(checkpoint.tensors.length, tensors.length);
  const last = tensors[tensors.length - 1];
  const info = checkpoint.get(last.name);
  assert.equal(info?.file, path.join(dir, shards[1]));
  assert.deepEqual([...readTensorFloat32(info!)], [...last.data]);

  fs.writeFileSync(path.join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { ...weightMap, 'bert.extra.weight': shards[0] } }));
  assertOpenError(dir, /says tensor "bert\.extra\.weight" is in model-00001-of-00002\.safetensors, but that shard has no such tensor/);
  fs.writeFileSync(path.join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { ...weightMap, [last.name]: '../elsewhere.safetensors' } }));
  assertOpenError(dir, /expected a shard file name inside the model folder/);
  fs.writeFileSync(path.join(dir, 'model.safetensors.index.json'), JSON.stringify({ weights: {} }));
  assertOpenError(dir, /"weight_map"/);
});

test('PyTorch .bin and missing weights are refused with the way forward', () => {
  const dir = path.join(tempDir('bin'), 'model');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(fakeConfig()));
  assertOpenError(dir, /has no weights: expected model\.safetensors/);
  fs.writeFileSync(path.join(dir, 'pytorch_model.bin'), 'not really');
  assertOpenError(dir, /PyTorch \.bin checkpoint, which is not supported.*convert it to safetensors.*save_file/);
});

test('shapes that disagree with config.json are reported by tensor and config field', () => {
  const error = assertOpenError(
    fakeModel({ reshape: { 'encoder.layer.1.attention.self.query.weight': [8, 4] } }),
    /bert\.encoder\.layer\.1\.attention\.self\.query\.weight has shape \[8, 4\], but config\.json implies \[hidden_size 8, hidden_size 8\]/,
  );
  assert.equal(error.tensor, 'bert.encoder.layer.1.attention.self.query.weight');

  assertOpenError(fakeModel({ reshape: { 'embeddings.word_embeddings.weight': [21, 8] } }), /\[vocab_size 20, hidden_size 8\]/);
  assertOpenError(fakeModel({ reshape: { 'encoder.layer.0.intermediate.dense.weight': [8, 16] } }), /\[intermediate_size 16, hidden_size 8\]/);
  // config.json says one block, the weights hold two.
  const extraBlock = fakeModel({ layers: 2 });
  fs.writeFileSync(path.join(extraBlock, 'config.json'), JSON.stringify(fakeConfig({ layers: 1 })));
  assertOpenError(extraBlock, /hold block 1 \(e\.g\. bert\.encoder\.layer\.1\.attention\.self\.query\.weight\), but config\.json says num_hidden_layers = 1; if the weights are right, set num_hidden_layers to 2/);
  assertOpenError(fakeModel({ omit: ['encoder.layer.1.output.dense.weight'] }), /lack 1 tensor .*encoder\.layer\.1\.output\.dense\.weight/);
  assertOpenError(fakeModel({ head: 'classifier', numLabels: 3, config: { id2label: { 0: 'a', 1: 'b' } } }), /classifier\.weight has shape \[3, 8\], but config\.json implies \[id2label 2, hidden_size 8\]/);
});

test('naming that contradicts config.json or repeats a parameter is an error', () => {
  const dir = fakeModel({ family: 'roberta', pooler: false });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(fakeConfig({ family: 'bert', maxPositions: 14, typeVocab: 1 })));
  assertOpenError(dir, /says model_type "bert", but the tensors .* are named roberta\./);

  const twice = path.join(tempDir('twice'), 'model');
  writeFakeModel(twice);
  const tensors = fakeTensors();
  tensors.push({ ...tensors[0], name: 'embeddings.word_embeddings.weight' });
  writeSafetensors(path.join(twice, 'model.safetensors'), tensors);
  assertOpenError(twice, /holds both "bert\.embeddings\.word_embeddings\.weight" and "embeddings\.word_embeddings\.weight"/);
});

test('half-precision checkpoints open and read as float32', () => {
  const dir = fakeModel({ dtype: 'BF16' });
  const checkpoint = openCheckpoint(dir);
  const info = checkpoint.get('embeddings.LayerNorm.weight');
  assert.equal(info?.dtype, 'BF16');
  const values = readTensorFloat32(info!);
  const expected = fakeTensors({ dtype: 'BF16' }).find((t) => t.name === 'bert.embeddings.LayerNorm.weight')!.data;
  values.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= Math.abs(expected[i]) * 2 ** -8));
});
