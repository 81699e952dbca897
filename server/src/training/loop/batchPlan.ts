// Which examples each optimiser step sees. Every epoch visits the training examples in the seeded
// order of `epochOrder(n, seed, epoch)`, cut into micro-batches of `train.batch`; an optimiser step
// takes `grad_accumulation` consecutive micro-batches (the last step of an epoch may take fewer).
// Since the order depends only on (seed, epoch), any step's batches can be computed directly,
// which is what makes a resumed run see exactly the batches an uninterrupted one would.
//
// Length bucketing: within windows of BUCKET_WINDOW batches of that order, examples are sorted by
// length before cutting, and the window's batches are then shuffled (seeded). Batches are padded
// only to their own longest sequence, so grouping similar lengths cuts the padding a step computes
// on, while each window still mixes the whole range of lengths.

import { epochOrder } from '../data';
import { shuffleInPlace } from '../random';
import { derivedRandom } from '../methods/seeds';

/** Batches per bucketing window. */
export const BUCKET_WINDOW = 16;

export interface BatchPlanOptions {
  batch: number;
  accumulation: number;
  seed: number;
  lengthBucketing: boolean;
}

export class BatchPlan {
  readonly batchesPerEpoch: number;
  readonly stepsPerEpoch: number;
  private cached: { epoch: number; batches: number[][] } | null = null;

  constructor(
    private readonly lengths: readonly number[],
    private readonly options: BatchPlanOptions,
  ) {
    if (lengths.length === 0) throw new Error('a run needs at least one training example');
    this.batchesPerEpoch = Math.ceil(lengths.length / options.batch);
    this.stepsPerEpoch = Math.ceil(this.batchesPerEpoch / options.accumulation);
  }

  /** 0-based epoch of a 0-based step. */
  epochOf(step: number): number {
    return Math.floor(step / this.stepsPerEpoch);
  }

  /** The micro-batches (example indices) of optimiser step `step` (0-based). */
  stepBatches(step: number): number[][] {
    const batches = this.epochBatches(this.epochOf(step));
    const first = (step % this.stepsPerEpoch) * this.options.accumulation;
    return batches.slice(first, first + this.options.accumulation);
  }

  epochBatches(epoch: number): number[][] {
    if (this.cached?.epoch === epoch) return this.cached.batches;
    const { batch, seed, lengthBucketing } = this.options;
    const order = epochOrder(this.lengths.length, seed, epoch);
    const batches: number[][] = [];
    if (!lengthBucketing) {
      for (let start = 0; start < order.length; start += batch) batches.push(order.slice(start, start + batch));
    } else {
      const window = batch * BUCKET_WINDOW;
      for (let start = 0, w = 0; start < order.length; start += window, w++) {
        const slice = order.slice(start, start + window);
        // Stable: equal lengths keep their shuffled order.
        const sorted = slice.map((index, position) => ({ index, position })).sort((a, b) => this.lengths[a.index] - this.lengths[b.index] || a.position - b.position);
        const windowBatches: number[][] = [];
        for (let i = 0; i < sorted.length; i += batch) windowBatches.push(sorted.slice(i, i + batch).map((e) => e.index));
        batches.push(...shuffleInPlace(windowBatches, derivedRandom(seed, 'length-buckets', epoch, w)));
      }
    }
    this.cached = { epoch, batches };
    return batches;
  }
}

/**
 * Evaluation batches: examples sorted by length (stable), so batches waste little padding; the
 * predictions are put back in example order by the caller.
 */
export function evaluationBatches(lengths: readonly number[], batch: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += batch) batches.push(order.slice(start, start + batch));
  return batches;
}
