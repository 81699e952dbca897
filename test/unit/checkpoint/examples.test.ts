// The repository's example model and data (examples/models/tiny-random, examples/data/sentiment):
// they must be exactly what the generator produces, open as a valid checkpoint, and fit the
// quickstart.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openCheckpoint } from '../../../server/src/checkpoint/checkpoint';
import { readTensorFloat32 } from '../../../server/src/checkpoint/safetensors';
import { repoRoot, tempDir } from './fakeCheckpoint';

const ROOT = repoRoot();
const EXAMPLES = path.join(ROOT, 'examples');
const MODEL = path.join(EXAMPLES, 'models', 'tiny-random');
const DATA = path.join(EXAMPLES, 'data', 'sentiment');
const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

/** Runs the generator the way a developer does (it lives outside the test project's sources). */
function generate(out: string): void {
  const args = ['--import', 'tsx', path.join(EXAMPLES, 'generate', 'main.ts'), '--out', out];
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: 'pipe' });
}

/** BERT's basic tokenizer for lower-case ASCII, then greedy longest-match WordPiece (written here independently of the generator). */
function tokenize(sentence: string, vocabulary: ReadonlySet<string>): string[] {
  const words = sentence.split(/\s+/).flatMap((w) => w.split(/([!-\/:-@\[-`{-~])/)).filter((w) => w !== '');
  return words.flatMap((word) => {
    const pieces: string[] = [];
    for (let start = 0; start < word.length; ) {
      let end = word.length;
      while (end > start && !vocabulary.has((start > 0 ? '##' : '') + word.slice(start, end))) end--;
      if (end === start) return ['[UNK]'];
      pieces.push((start > 0 ? '##' : '') + word.slice(start, end));
      start = end;
    }
    return pieces;
  });
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

function folderBytes(dir: string): number {
  return filesUnder(dir).reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
}

function readRows(file: string): Array<{ sentence: string; label: string }> {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
  assert.equal(header, 'sentence\tlabel');
  return lines.map((line) => {
    const cells = line.split('\t');
    assert.equal(cells.length, 2, line);
    return { sentence: cells[0], label: cells[1] };
  });
}

test('the committed example files are exactly what the generator writes (deterministic)', () => {
  const out = tempDir('examples');
  generate(out);
  for (const [committed, generated] of [
    [MODEL, path.join(out, 'models', 'tiny-random')],
    [DATA, path.join(out, 'data', 'sentiment')],
  ]) {
    assert.deepEqual(filesUnder(generated), filesUnder(committed));
    for (const file of filesUnder(committed)) {
      assert.ok(fs.readFileSync(path.join(committed, file)).equals(fs.readFileSync(path.join(generated, file))), `${file} differs: rerun node --import tsx examples/generate/main.ts`);
    }
  }
});

test('tiny-random is a valid BertForMaskedLM checkpoint with the promised shape and init', () => {
  assert.ok(folderBytes(MODEL) < 1_000_000, `model folder is ${folderBytes(MODEL)} bytes`);
  const checkpoint = openCheckpoint(MODEL);
  const { config } = checkpoint;
  assert.equal(checkpoint.prefix, 'bert.');
  assert.deepEqual(config.architectures, ['BertForMaskedLM']);
  assert.equal(config.hiddenSize, 64);
  assert.equal(config.numHiddenLayers, 2);
  assert.equal(config.numAttentionHeads, 2);
  assert.equal(config.intermediateSize, 128);
  assert.equal(config.maxPositionEmbeddings, 64);
  assert.equal(config.typeVocabSize, 2);
  assert.equal(config.doLowerCase, true);
  for (const name of ['pooler.dense.weight', 'cls.predictions.transform.dense.weight', 'cls.predictions.transform.LayerNorm.weight', 'cls.predictions.bias']) {
    assert.ok(checkpoint.get(name), `has ${name}`);
  }
  assert.ok(checkpoint.tensors.every((t) => t.dtype === 'F32'));

  const words = readTensorFloat32(checkpoint.get('embeddings.word_embeddings.weight')!);
  const h = config.hiddenSize;
  assert.ok(words.subarray(0, h).every((v) => v === 0), 'the [PAD] row is zero');
  const rest = words.subarray(h);
  const mean = rest.reduce((a, b) => a + b, 0) / rest.length;
  const std = Math.sqrt(rest.reduce((a, b) => a + (b - mean) ** 2, 0) / rest.length);
  assert.ok(Math.abs(mean) < 0.002, `mean ${mean}`);
  assert.ok(Math.abs(std - 0.02) < 0.002, `std ${std}`);
  assert.ok(readTensorFloat32(checkpoint.get('encoder.layer.1.output.LayerNorm.weight')!).every((v) => v === 1));
  assert.ok(readTensorFloat32(checkpoint.get('encoder.layer.1.output.dense.bias')!).every((v) => v === 0));
  const query0 = readTensorFloat32(checkpoint.get('encoder.layer.0.attention.self.query.weight')!);
  const query1 = readTensorFloat32(checkpoint.get('encoder.layer.1.attention.self.query.weight')!);
  assert.notDeepEqual(query0, query1, 'each tensor has its own random stream');
});

test('the vocabulary starts with the special tokens and covers the data without [UNK]', () => {
  const vocabulary = fs.readFileSync(path.join(MODEL, 'vocab.txt'), 'utf8').replace(/\n$/, '').split('\n');
  assert.deepEqual(vocabulary.slice(0, 5), SPECIAL_TOKENS);
  assert.equal(new Set(vocabulary).size, vocabulary.length, 'no duplicates');
  assert.equal(openCheckpoint(MODEL).config.vocabSize, vocabulary.length);
  assert.ok(vocabulary.length >= 200 && vocabulary.length <= 2000, `${vocabulary.length} entries`);

  const lookup = new Set(vocabulary);
  let split = 0;
  let longest = 0;
  for (const file of ['train.tsv', 'dev.tsv']) {
    for (const { sentence } of readRows(path.join(DATA, file))) {
      const pieces = tokenize(sentence, lookup);
      split += pieces.filter((p) => p.startsWith('##')).length;
      assert.ok(!pieces.includes('[UNK]'), sentence);
      longest = Math.max(longest, pieces.length + 2);
    }
  }
  assert.ok(split > 100, 'WordPiece splitting is exercised');
  assert.ok(longest <= 32, `longest input is ${longest} tokens with [CLS] and [SEP]; quickstart uses max_length 32`);
});

test('the sentiment data: SST-2 format, balanced, disjoint splits, not one-word trivial', () => {
  assert.ok(folderBytes(DATA) < 200_000, `data folder is ${folderBytes(DATA)} bytes`);
  const train = readRows(path.join(DATA, 'train.tsv'));
  const dev = readRows(path.join(DATA, 'dev.tsv'));
  assert.equal(train.length, 2000);
  assert.equal(dev.length, 300);
  for (const rows of [train, dev]) {
    assert.ok(rows.every((r) => r.label === '0' || r.label === '1'));
    const positives = rows.filter((r) => r.label === '1').length;
    assert.ok(Math.abs(positives - rows.length / 2) <= 1, `${positives} of ${rows.length} positive`);
  }
  const trainSentences = new Set(train.map((r) => r.sentence));
  assert.equal(trainSentences.size, train.length, 'no duplicates in train');
  assert.ok(dev.every((r) => !trainSentences.has(r.sentence)), 'dev is disjoint from train');

  // No single word predicts the label well: the best one-word rule stays far from perfect.
  const rows = train.map((r) => ({ words: new Set(r.sentence.split(' ')), positive: r.label === '1' }));
  const words = new Set(rows.flatMap((r) => [...r.words]));
  let best = 0;
  for (const word of words) {
    const correct = rows.filter((r) => r.words.has(word) === r.positive).length;
    best = Math.max(best, correct, train.length - correct);
  }
  assert.ok(best / train.length < 0.75, `one word predicts ${((100 * best) / train.length).toFixed(1)} % of the labels`);
  assert.ok(train.some((r) => /\bnot\b|n't|never|hardly/.test(r.sentence) && r.label === '1'), 'negated negatives are positive');
});
