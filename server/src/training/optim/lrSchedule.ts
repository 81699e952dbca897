// The learning-rate multiplier of each optimiser step: linear warm-up from 0, then constant,
// linear or cosine decay to 0 at the end of the run (the schedules BERT fine-tuning uses).
//
// Steps are 0-based. During warm-up step s gets (s + 1)/W, so the first update is not wasted at
// lr 0 (Hugging Face's scheduler gives it s/W = 0) and the last warm-up step reaches the peak.
// After warm-up the decay runs over the remaining T − W steps and never reaches 0 on a step
// that is taken: step s gets (T − s)/(T − W) (linear) or ½(1 + cos(π(s − W)/(T − W))) (cosine).

import type { LrSchedule } from '../../../../schemas/src/experimentConfig';

export interface ScheduleSpec {
  kind: LrSchedule;
  /** Warm-up length in steps (0: none). */
  warmupSteps: number;
  /** Steps the schedule spans. */
  totalSteps: number;
}

export function lrMultiplier(step: number, spec: ScheduleSpec): number {
  const { warmupSteps: warmup, totalSteps: total } = spec;
  if (warmup > 0 && step < warmup) return (step + 1) / warmup;
  if (spec.kind === 'constant') return 1;
  const span = total - warmup;
  if (span <= 0) return 1;
  const done = Math.min(1, Math.max(0, (step - warmup) / span));
  return spec.kind === 'linear' ? 1 - done : 0.5 * (1 + Math.cos(Math.PI * done));
}

/**
 * A sparsity target along a schedule between two steps: 0 before `start`, `target` from `end` on.
 * Cubic is Zhu & Gupta's s·(1 − (1 − t)³) (fast at first, then slowly), from `initial` to `target`.
 */
export function scheduledSparsity(
  step: number,
  kind: 'constant' | 'linear' | 'cubic',
  target: number,
  start: number,
  end: number,
  initial = 0,
): number {
  if (kind === 'constant') return target;
  if (step < start) return initial;
  if (step >= end || end <= start) return target;
  const t = (step - start) / (end - start);
  const shape = kind === 'linear' ? t : 1 - (1 - t) ** 3;
  return initial + (target - initial) * shape;
}
