// Every random choice of a run draws from a stream named by what it is for and where it is
// used (`derivedSeed(seed, 'dropout', step, micro)`), never from a shared running generator. A
// resumed run therefore draws exactly what an uninterrupted one would at the same step, and two
// uses of randomness cannot shift each other's numbers when one of them changes.

import { createRandom, type Random } from '../random';

/** A 32-bit seed from the run seed and a path of names/numbers (FNV-1a over the parts, then mixed). */
export function derivedSeed(seed: number, ...path: Array<string | number>): number {
  let hash = 0x811c9dc5 ^ (Math.trunc(seed) | 0);
  const mix = (code: number) => {
    hash ^= code & 0xff;
    hash = Math.imul(hash, 0x01000193);
  };
  for (const part of path) {
    const text = `/${typeof part === 'number' ? Math.trunc(part) : part}`;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      mix(code);
      mix(code >>> 8);
    }
  }
  // Final avalanche (murmur3 fmix32) so nearby paths give unrelated seeds.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

export function derivedRandom(seed: number, ...path: Array<string | number>): Random {
  return createRandom(derivedSeed(seed, ...path));
}

/** n uniform floats in [low, high). */
export function uniformArray(random: Random, n: number, low: number, high: number): Float32Array {
  const out = new Float32Array(n);
  const width = high - low;
  for (let i = 0; i < n; i++) out[i] = low + width * random();
  return out;
}

/** n normal floats N(mean, std²) by Box–Muller (deterministic on every engine). */
export function normalArray(random: Random, n: number, mean: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - random(); // (0, 1]: log(u) is finite
    const v = random();
    const radius = Math.sqrt(-2 * Math.log(u));
    out[i] = mean + std * radius * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = mean + std * radius * Math.sin(2 * Math.PI * v);
  }
  return out;
}
