// Seeded shuffling: the same seed gives the same order everywhere, epochs differ, and the
// generator is the published mulberry32 (its first outputs pinned from an independent
// implementation, so a changed generator cannot slip through).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { epochOrder, shuffleForEpoch } from '../../../../server/src/training/data';
import { createRandom, shuffled } from '../../../../server/src/training/random';

test('mulberry32 stream for seed 42 (reference: a Python transcription of the C original)', () => {
  const random = createRandom(42);
  const got = Array.from({ length: 3 }, () => Math.round(random() * 4294967296));
  assert.deepEqual(got, MULBERRY32_SEED_42);
});

test('epoch orders are permutations, repeat for the same (seed, epoch) and differ otherwise', () => {
  const a = epochOrder(1000, 7, 0);
  assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 1000 }, (_, i) => i));
  assert.deepEqual(epochOrder(1000, 7, 0), a);
  assert.notDeepEqual(epochOrder(1000, 7, 1), a);
  assert.notDeepEqual(epochOrder(1000, 8, 0), a);
  assert.deepEqual(shuffleForEpoch(['a', 'b', 'c'], 3, 2), epochOrder(3, 3, 2).map((i) => ['a', 'b', 'c'][i]));
});

test('shuffles are roughly uniform: every item visits the first slot', () => {
  // 3 items, 3000 seeds: each should land first about 1000 times; a biased shuffle (e.g.
  // j = random(n) instead of random(i + 1)) skews this far beyond ±150.
  const firsts = [0, 0, 0];
  for (let seed = 0; seed < 3000; seed++) firsts[shuffled([0, 1, 2], seed)[0]]++;
  for (const count of firsts) assert.ok(Math.abs(count - 1000) < 150, `first-slot counts ${firsts.join(', ')}`);
});

test('seeds fold into 32 bits without collapsing nearby large seeds', () => {
  assert.notEqual(createRandom(1)(), createRandom(2 ** 32 + 1)());
  assert.equal(createRandom(-1)(), createRandom(-1)());
  assert.throws(() => createRandom(Number.NaN), /finite/);
});

// From the Python transcription of mulberry32 (state += 0x6D2B79F5; t = (t ^ t>>>15) * (t | 1);
// t ^= t + (t ^ t>>>7) * (t | 61); return t ^ t>>>14, all mod 2^32). 2581720956 / 2^32 ≈ 0.6011.
const MULBERRY32_SEED_42 = [2581720956, 1925393290, 3661312704];
