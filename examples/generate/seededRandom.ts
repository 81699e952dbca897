// A small deterministic random source for the example generators. Only 32-bit integer operations
// and IEEE additions are used (no Math.log / Math.cos), so the same seed gives bit-identical
// checkpoints and data on every machine and Node version: the committed files can be checked by
// regenerating them.

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A Weyl sequence scrambled by the MurmurHash3 finaliser: uniform 32-bit integers. */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  chance(p: number): boolean {
    return this.uniform() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /**
   * Approximately N(mean, std²): the sum of 12 uniforms minus 6 has mean 0 and variance 1
   * (Irwin–Hall), bounded at ±6σ like a truncated normal, and needs no transcendental functions.
   */
  normal(mean = 0, std = 1): number {
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += this.uniform();
    return mean + std * (sum - 6);
  }

  /** An independent stream for a named purpose, so adding draws to one does not shift another. */
  fork(purpose: string): SeededRandom {
    let h = this.state ^ 0x811c9dc5;
    for (let i = 0; i < purpose.length; i++) h = Math.imul(h ^ purpose.charCodeAt(i), 0x01000193);
    return new SeededRandom(h >>> 0);
  }
}
