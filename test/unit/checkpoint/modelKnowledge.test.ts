import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openCheckpoint } from '../../../server/src/checkpoint/checkpoint';
import {
  FileSystemModelKnowledge,
  isModelProblem,
  watchedFiles,
  type ModelDescription,
  type ModelProblem,
} from '../../../server/src/checkpoint/modelKnowledge';
import { writeSafetensors } from '../../../server/src/checkpoint/safetensors';
import { SHARED_MODEL, SHARED_MODEL_SKIP, fakeConfig, fakeTensors, tempDir, writeFakeModel } from './fakeCheckpoint';

/** Knowledge whose disk reads are counted. */
function countingKnowledge(): { knowledge: FileSystemModelKnowledge; opens: () => number } {
  let count = 0;
  const knowledge = new FileSystemModelKnowledge({
    open: (dir) => {
      count++;
      return openCheckpoint(dir);
    },
  });
  return { knowledge, opens: () => count };
}

function expectDescription(answer: ModelDescription | ModelProblem): ModelDescription {
  assert.ok(!isModelProblem(answer), isModelProblem(answer) ? answer.problem : '');
  return answer as ModelDescription;
}

function expectProblem(answer: ModelDescription | ModelProblem, pattern: RegExp): ModelProblem {
  assert.ok(isModelProblem(answer), 'expected a problem');
  assert.match((answer as ModelProblem).problem, pattern);
  return answer as ModelProblem;
}

/** Moves a file's mtime forward so the change is visible even on coarse-timestamp file systems. */
function bumpMtime(file: string, seconds = 10): void {
  const stat = fs.statSync(file);
  const later = new Date(stat.mtimeMs + seconds * 1000);
  fs.utimesSync(file, later, later);
}

test('describes the shared checkpoint', { skip: SHARED_MODEL_SKIP }, () => {
  const description = expectDescription(new FileSystemModelKnowledge().describe(SHARED_MODEL));
  assert.equal(description.family, 'bert');
  assert.equal(description.prefix, 'bert.');
  assert.equal(description.totalParameters, description.parameters.reduce((sum, p) => sum + p.count, 0));
  assert.ok(description.totalParameters > 4.3e6 && description.totalParameters < 4.5e6);
});

test('answers from the cache until a watched file changes on disk', () => {
  const dir = path.join(tempDir('knowledge'), 'model');
  writeFakeModel(dir);
  const { knowledge, opens } = countingKnowledge();
  const first = expectDescription(knowledge.describe(dir));
  assert.equal(knowledge.describe(dir), first, 'same answer object from the cache');
  assert.equal(knowledge.describe(`${dir}/`), first, 'the folder is keyed by its resolved path');
  assert.equal(opens(), 1);

  // Same size, new content and mtime: a different hidden size would be noticed.
  const configFile = path.join(dir, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify(fakeConfig({ config: { hidden_act: 'relu' } })));
  bumpMtime(configFile);
  const second = expectDescription(knowledge.describe(dir));
  assert.equal(opens(), 2);
  assert.equal(second.config.hiddenAct, 'relu');

  // Only the mtime of the weights changes: re-read (the header may differ even at the same size).
  bumpMtime(path.join(dir, 'model.safetensors'), 20);
  knowledge.describe(dir);
  assert.equal(opens(), 3);

  // Replacing the weights with a mismatching file turns the answer into a problem.
  writeSafetensors(path.join(dir, 'model.safetensors'), fakeTensors({ hidden: 4, heads: 2 }));
  expectProblem(knowledge.describe(dir), /disagree with its config\.json/);
  assert.equal(opens(), 4);
  knowledge.describe(dir);
  assert.equal(opens(), 4, 'problems are cached too');

  knowledge.forget(dir);
  knowledge.describe(dir);
  assert.equal(opens(), 5);
});

test('a problem clears once the folder is fixed', () => {
  const dir = path.join(tempDir('knowledge'), 'model');
  const knowledge = new FileSystemModelKnowledge();
  const missing = expectProblem(knowledge.describe(dir), /model folder .* does not exist/);
  assert.equal(missing.file, dir);
  writeFakeModel(dir);
  expectDescription(knowledge.describe(dir));
  fs.rmSync(path.join(dir, 'model.safetensors'));
  expectProblem(knowledge.describe(dir), /has no weights/);
});

test('never throws: every kind of broken folder becomes one problem sentence naming a file', () => {
  const root = tempDir('broken');
  const knowledge = new FileSystemModelKnowledge();

  const file = path.join(root, 'a-file');
  fs.writeFileSync(file, 'x');
  expectProblem(knowledge.describe(file), /is a file, but the model path must name a Hugging Face model folder/);

  const configFolder = path.join(root, 'config-folder');
  writeFakeModel(configFolder);
  fs.rmSync(path.join(configFolder, 'config.json'));
  fs.mkdirSync(path.join(configFolder, 'config.json'));
  expectProblem(knowledge.describe(configFolder), /config\.json is a folder/);

  const weightsFolder = path.join(root, 'weights-folder');
  writeFakeModel(weightsFolder);
  fs.rmSync(path.join(weightsFolder, 'model.safetensors'));
  fs.mkdirSync(path.join(weightsFolder, 'model.safetensors'));
  expectProblem(knowledge.describe(weightsFolder), /model\.safetensors is a folder/);

  const configLoop = path.join(root, 'config-loop');
  writeFakeModel(configLoop);
  fs.rmSync(path.join(configLoop, 'config.json'));
  fs.symlinkSync('config.json', path.join(configLoop, 'config.json'));
  const loop = expectProblem(knowledge.describe(configLoop), /symbolic link loop/);
  assert.equal(loop.file, path.join(configLoop, 'config.json'));

  const folderLoop = path.join(root, 'folder-loop');
  fs.symlinkSync(folderLoop, folderLoop);
  expectProblem(knowledge.describe(folderLoop), /symbolic link loop/);

  const corrupt = path.join(root, 'corrupt');
  writeFakeModel(corrupt);
  fs.writeFileSync(path.join(corrupt, 'model.safetensors'), Buffer.from([255, 255, 255, 255, 0, 0, 0, 0, 1, 2]));
  const header = expectProblem(knowledge.describe(corrupt), /header length .* runs past the end of the file/);
  assert.equal(header.file, path.join(corrupt, 'model.safetensors'));

  const unexpected = new FileSystemModelKnowledge({
    open: () => {
      throw new TypeError('boom');
    },
  });
  expectProblem(unexpected.describe(corrupt), /failed unexpectedly: boom/);
});

test('watchedFiles lists config, tokenizer config, weights and shards, existing or not', () => {
  const dir = path.join(tempDir('watch'), 'model');
  const names = (files: string[]): string[] => files.map((f) => path.relative(dir, f));
  assert.deepEqual(names(watchedFiles(dir)), ['config.json', 'tokenizer_config.json', 'model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin']);
  fs.mkdirSync(dir);
  fs.writeFileSync(
    path.join(dir, 'model.safetensors.index.json'),
    JSON.stringify({ weight_map: { a: 'model-00001-of-00002.safetensors', b: 'model-00002-of-00002.safetensors', c: 'model-00002-of-00002.safetensors' } }),
  );
  assert.deepEqual(names(new FileSystemModelKnowledge().watchedFiles(dir)).slice(5), ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
});

test('a shard edit invalidates the cache of a sharded checkpoint', () => {
  const dir = path.join(tempDir('sharded'), 'model');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(fakeConfig()));
  const tensors = fakeTensors();
  writeSafetensors(path.join(dir, 'one.safetensors'), tensors.slice(0, 10));
  writeSafetensors(path.join(dir, 'two.safetensors'), tensors.slice(10));
  fs.writeFileSync(
    path.join(dir, 'model.safetensors.index.json'),
    JSON.stringify({ weight_map: Object.fromEntries(tensors.map((t, i) => [t.name, i < 10 ? 'one.safetensors' : 'two.safetensors'])) }),
  );
  const { knowledge, opens } = countingKnowledge();
  expectDescription(knowledge.describe(dir));
  fs.truncateSync(path.join(dir, 'two.safetensors'), 100);
  expectProblem(knowledge.describe(dir), /two\.safetensors/);
  assert.equal(opens(), 2);
});
