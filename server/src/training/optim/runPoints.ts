// Points and lengths inside a run (`warmup 10%`, `schedule_end 2 epochs`, `every 60 steps`)
// turned into optimiser steps, with the same arithmetic the analyser uses (analysis/runLength.ts):
// an epoch is ceil(ceil(examples / batch) / grad_accumulation) steps.

import type { Duration, RunPoint } from '../../../../schemas/src/experimentConfig';

export interface RunGeometry {
  /** Optimiser steps in one epoch. */
  stepsPerEpoch: number;
  /** Optimiser steps of the whole run (or of the stage a point is measured in). */
  totalSteps: number;
}

export function stepsPerEpoch(examples: number, batch: number, accumulation: number): number {
  if (examples < 1) throw new RangeError(`a run needs at least one training example, got ${examples}`);
  return Math.ceil(Math.ceil(examples / batch) / Math.max(1, accumulation));
}

/** `epochs` (fractions allowed) capped by `maxSteps`; at least one step. */
export function totalSteps(perEpoch: number, epochs: number, maxSteps: number | null): number {
  const byEpochs = Math.ceil(epochs * perEpoch - 1e-9);
  return Math.max(1, Math.min(byEpochs, maxSteps ?? Infinity));
}

export function isDuration(point: RunPoint): point is Duration {
  return typeof point === 'object' && point !== null;
}

/** Steps from the start of the run to `point`, rounded to whole steps and clamped to the run. */
export function pointToSteps(point: RunPoint, geometry: RunGeometry): number {
  const raw = isDuration(point) ? durationToSteps(point, geometry.stepsPerEpoch) : point * geometry.totalSteps;
  return Math.min(geometry.totalSteps, Math.max(0, Math.round(raw)));
}

/** A duration in steps (not clamped: `retune 3 epochs` is a length of its own). At least 1. */
export function durationToSteps(duration: Duration, perEpoch: number): number {
  const steps = duration.unit === 'steps' ? duration.amount : duration.amount * perEpoch;
  return Math.max(1, Math.round(steps));
}
