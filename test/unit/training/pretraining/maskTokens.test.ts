// BERT's masked-LM corruption: the 15 % / 80-10-10 statistics, special tokens never touched,
// at least one prediction per sequence, and the same corruption from the same seed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BERT_MASKING, checkMaskingSpec, maskSequence, type MaskingSpec } from '../../../../server/src/training/pretraining/maskTokens';
import { createRandom } from '../../../../server/src/training/random';

const SPECIALS = new Set([0, 1, 2, 3, 4]);
const SPEC: MaskingSpec = { ...BERT_MASKING, maskId: 4, vocabSize: 50, specialIds: SPECIALS };

/** [CLS] w… [SEP] with ordinary ids drawn from 5…49. */
function sequences(count: number, length: number, seed: number): number[][] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => [2, ...Array.from({ length }, () => 5 + Math.floor(random() * 45)), 3]);
}

test('15 % of ordinary tokens are chosen; of those 80 % become [MASK], 10 % a random word, 10 % stay', () => {
  const random = createRandom(7);
  let candidates = 0;
  const counts = { mask: 0, random: 0, kept: 0 };
  for (const ids of sequences(3000, 30, 1)) {
    const masked = maskSequence(ids, SPEC, random);
    candidates += ids.length - 2;
    masked.positions.forEach((position, i) => {
      const kind = masked.corruptions[i];
      counts[kind]++;
      assert.equal(masked.labels[i], ids[position], 'the label is the original token');
      const input = masked.inputIds[position];
      if (kind === 'mask') assert.equal(input, SPEC.maskId);
      if (kind === 'kept') assert.equal(input, ids[position]);
      if (kind === 'random') assert.ok(!SPECIALS.has(input) && input < SPEC.vocabSize, `random replacement ${input} is an ordinary id`);
    });
    for (let p = 0; p < ids.length; p++) {
      if (!masked.positions.includes(p)) assert.equal(masked.inputIds[p], ids[p], 'unchosen tokens are untouched');
    }
  }
  const chosen = counts.mask + counts.random + counts.kept;
  assert.ok(Math.abs(chosen / candidates - 0.15) < 0.006, `chosen share ${(chosen / candidates).toFixed(4)}`);
  assert.ok(Math.abs(counts.mask / chosen - 0.8) < 0.015, `[MASK] share ${(counts.mask / chosen).toFixed(4)}`);
  assert.ok(Math.abs(counts.random / chosen - 0.1) < 0.012, `random share ${(counts.random / chosen).toFixed(4)}`);
  assert.ok(Math.abs(counts.kept / chosen - 0.1) < 0.012, `kept share ${(counts.kept / chosen).toFixed(4)}`);
});

test('special tokens are never chosen, and every sequence gets at least one prediction', () => {
  const random = createRandom(3);
  // Short sequences: the 15 % draw often chooses nothing; [UNK] inside the text is special too.
  for (const ids of sequences(500, 2, 2).map((s) => [...s.slice(0, 2), 1, ...s.slice(2)])) {
    const masked = maskSequence(ids, SPEC, random);
    assert.ok(masked.positions.length >= 1, `no prediction in ${ids.join(' ')}`);
    for (const p of masked.positions) assert.ok(!SPECIALS.has(ids[p]), `special ${ids[p]} at ${p} was chosen`);
    assert.deepEqual(masked.positions, [...masked.positions].sort((a, b) => a - b), 'positions ascend');
  }
  // Only specials: nothing to predict, nothing changed.
  const empty = maskSequence([2, 3], SPEC, random);
  assert.deepEqual(empty.positions, []);
  assert.deepEqual(empty.inputIds, [2, 3]);
});

test('the same seed gives the same corruption; another seed another', () => {
  const data = sequences(50, 20, 5);
  const run = (seed: number) => {
    const random = createRandom(seed);
    return data.map((ids) => maskSequence(ids, SPEC, random));
  };
  assert.deepEqual(run(11), run(11));
  assert.notDeepEqual(run(11), run(12));
});

test('masking specs that cannot work are refused with the reason', () => {
  assert.throws(() => checkMaskingSpec({ ...SPEC, probability: 0 }), /probability/);
  assert.throws(() => checkMaskingSpec({ ...SPEC, maskShare: 0.9, randomShare: 0.2 }), /sum to at most 1/);
  assert.throws(() => checkMaskingSpec({ ...SPEC, maskId: 7 }), /\[MASK\] id 7/);
  assert.throws(() => checkMaskingSpec({ ...SPEC, vocabSize: 5 }), /no ordinary token/);
  checkMaskingSpec(SPEC);
});
