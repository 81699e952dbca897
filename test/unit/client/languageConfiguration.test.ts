import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const config = JSON.parse(readFileSync(path.join(__dirname, '../../../client/language-configuration.json'), 'utf8'));

test('comments are // and /* */', () => {
  assert.equal(config.comments.lineComment, '//');
  assert.deepEqual(config.comments.blockComment, ['/*', '*/']);
});

test('Enter indents after an opening brace that stays open, and } outdents', () => {
  const increase = new RegExp(config.indentationRules.increaseIndentPattern);
  const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
  for (const line of ['experiment a {', '  method mask {', '  task glue.sst2 {   // the task', 'sweep s of a {']) {
    assert.ok(increase.test(line), line);
  }
  for (const line of ['  train { epochs 3 }', '  model "weights{1}"', '// experiment a {', '  lr 1e-3']) {
    assert.ok(!increase.test(line), line);
  }
  assert.ok(decrease.test('  }'));
  assert.ok(!decrease.test('  train { epochs 3 }'));
});

test('words stop at dots, and numbers with exponents or percent are one word', () => {
  const word = new RegExp(config.wordPattern, 'g');
  const words = (text: string) => text.match(word);
  assert.deepEqual(words('task glue.sst2'), ['task', 'glue', 'sst2']);
  assert.deepEqual(words('lr 1e-3'), ['lr', '1e-3']);
  assert.deepEqual(words('initial_sparsity 5%'), ['initial_sparsity', '5%']);
  assert.deepEqual(words('blocks 2..11'), ['blocks', '2', '11']);
});

test('quotes auto-close outside strings and comments; braces always', () => {
  const pairs = config.autoClosingPairs as { open: string; close: string; notIn?: string[] }[];
  assert.ok(pairs.some((p) => p.open === '{' && p.close === '}'));
  const quote = pairs.find((p) => p.open === '"');
  assert.deepEqual(quote?.notIn, ['string', 'comment']);
});

test('folding markers are // region and // endregion', () => {
  assert.ok(new RegExp(config.folding.markers.start).test('  // region data'));
  assert.ok(new RegExp(config.folding.markers.end).test('// #endregion'));
  assert.ok(!new RegExp(config.folding.markers.start).test('// regional'));
});
