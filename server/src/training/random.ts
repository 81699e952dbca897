// Seeded randomness for everything in a run that must repeat exactly: data order, head
// initialisation seeds, sampling. Math.random is never used for those, because a run's seed must
// give the same result on every machine. The generator is mulberry32 (32-bit state, integer
// arithmetic through Math.imul only), so its stream is identical on every JavaScript engine.

/** A source of uniform floats in [0, 1). */
export type Random = () => number;

/** Mulberry32 seeded from the integer part of `seed` (negative and >32-bit seeds are folded into 32 bits). */
export function createRandom(seed: number): Random {
  if (!Number.isFinite(seed)) {
    throw new RangeError(`A random seed must be a finite number, got ${seed}.`);
  }
  // Fold a >32-bit seed into 32 bits by mixing its high part in (golden-ratio multiplier)
  // instead of silently dropping it, so seeds 1 and 2^32 + 1 still differ.
  const whole = Math.trunc(seed);
  const low = (whole % 4294967296) >>> 0;
  const high = Math.floor(Math.abs(whole) / 4294967296) >>> 0;
  let state = (low ^ Math.imul(high, 0x9e3779b1)) | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** Fisher–Yates shuffle of `items` in place, drawing from `random`; returns `items`. */
export function shuffleInPlace<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const held = items[i];
    items[i] = items[j];
    items[j] = held;
  }
  return items;
}

/** A shuffled copy of `items`: the same seed gives the same order on every machine. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  return shuffleInPlace(items.slice(), createRandom(seed));
}
