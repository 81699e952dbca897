// Length-bucketed batches: every sequence once per epoch, similar lengths together, the same
// batches for the same seed and epoch, different ones for another epoch.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BATCHES_PER_POOL, lengthBucketedBatches } from '../../../../server/src/training/pretraining/lengthBuckets';
import { createRandom } from '../../../../server/src/training/random';

const random = createRandom(9);
const LENGTHS = Array.from({ length: 5000 }, () => 3 + Math.floor(random() * 30));

/** Mean over batches of (longest − shortest): the padding a batch carries. */
function spread(batches: number[][]): number {
  const ranges = batches.map((b) => Math.max(...b.map((i) => LENGTHS[i])) - Math.min(...b.map((i) => LENGTHS[i])));
  return ranges.reduce((a, b) => a + b, 0) / ranges.length;
}

test('each epoch covers every sequence exactly once, in batches of the given size', () => {
  const batches = lengthBucketedBatches(LENGTHS, 32, 1, 0);
  const seen = batches.flat().sort((a, b) => a - b);
  assert.deepEqual(seen, LENGTHS.map((_, i) => i));
  assert.ok(batches.every((b) => b.length >= 1 && b.length <= 32));
  // Only the last batch of each pool may be short.
  const pools = Math.ceil(LENGTHS.length / (32 * BATCHES_PER_POOL));
  assert.ok(batches.filter((b) => b.length < 32).length <= pools);
});

test('batches hold sequences of similar length (far less padding than random batches)', () => {
  const bucketed = lengthBucketedBatches(LENGTHS, 32, 1, 0);
  const order = Array.from(LENGTHS, (_, i) => i);
  const plain: number[][] = [];
  for (let i = 0; i < order.length; i += 32) plain.push(order.slice(i, i + 32));
  assert.ok(spread(bucketed) < spread(plain) / 5, `bucketed spread ${spread(bucketed).toFixed(2)} vs ${spread(plain).toFixed(2)}`);
});

test('deterministic by seed and epoch; epochs and seeds differ', () => {
  assert.deepEqual(lengthBucketedBatches(LENGTHS, 16, 4, 2), lengthBucketedBatches(LENGTHS, 16, 4, 2));
  assert.notDeepEqual(lengthBucketedBatches(LENGTHS, 16, 4, 2), lengthBucketedBatches(LENGTHS, 16, 4, 3));
  assert.notDeepEqual(lengthBucketedBatches(LENGTHS, 16, 4, 2), lengthBucketedBatches(LENGTHS, 16, 5, 2));
  assert.throws(() => lengthBucketedBatches(LENGTHS, 0, 1, 0), /batch size/);
});
