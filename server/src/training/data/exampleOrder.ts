// The order examples are visited in: a seeded Fisher–Yates shuffle per epoch. Each epoch's
// permutation depends only on (seed, epoch), so a resumed run visits the same order without
// replaying earlier epochs, and the same seed gives the same order on every machine.

import { createRandom, shuffleInPlace } from '../random';

/** A permutation of 0…count-1 for `epoch` (0-based) of a run seeded with `seed`. */
export function epochOrder(count: number, seed: number, epoch: number): number[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}.`);
  if (!Number.isInteger(epoch) || epoch < 0) throw new RangeError(`epoch must be a non-negative integer, got ${epoch}.`);
  const order = Array.from({ length: count }, (_, i) => i);
  // Mix the epoch into the seed with an odd multiplier so (seed, epoch) pairs rarely collide.
  return shuffleInPlace(order, createRandom((Math.trunc(seed) ^ Math.imul(epoch + 1, 0x9e3779b1)) | 0));
}

/** `items` in the order of epochOrder. */
export function shuffleForEpoch<T>(items: readonly T[], seed: number, epoch: number): T[] {
  return epochOrder(items.length, seed, epoch).map((i) => items[i]);
}
