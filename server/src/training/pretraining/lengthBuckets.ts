// Length-bucketed batches: each epoch the sequences are shuffled, cut into pools of many
// batches, each pool sorted by length and cut into batches, and the batch order shuffled
// again. Batches are then padded to nearly their members' own length (padding is wasted work,
// and short sentences dominate a review corpus) while every epoch still mixes differently.
// Deterministic: the same seed and epoch give the same batches.

import { createRandom, shuffleInPlace } from '../random';

/** Batches per pool: large enough for similar lengths to meet, small enough to keep epochs varied. */
export const BATCHES_PER_POOL = 50;

/**
 * The batches of one epoch, as indices into `lengths`. Every index appears exactly once; the
 * last batch of a pool may be smaller.
 */
export function lengthBucketedBatches(lengths: readonly number[], batchSize: number, seed: number, epoch: number): number[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  // One stream per epoch, derived from the seed, so epoch e's batches do not depend on how far earlier epochs drew.
  const random = createRandom((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0);
  const order = shuffleInPlace(Array.from(lengths, (_, i) => i), random);
  const poolSize = batchSize * BATCHES_PER_POOL;
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += poolSize) {
    // Stable sort on length: ties keep their shuffled order.
    const pool = order.slice(start, start + poolSize).sort((a, b) => lengths[a] - lengths[b]);
    for (let i = 0; i < pool.length; i += batchSize) batches.push(pool.slice(i, i + batchSize));
  }
  return shuffleInPlace(batches, random);
}
