// How long a run is, as far as the file says, and where a point in it (a warm-up, a schedule's
// end) falls. Steps follow from epochs only when the dataset size is known (`task.max_examples`);
// otherwise only durations of the same unit are compared, so no check ever guesses a size.

import type { Duration, RunPoint } from '../../../schemas/src/experimentConfig';
import type { EntryValues } from './entryValues';
import { formatDuration, formatNumber, formatPercent, isDuration } from './valueFormat';

export interface RunLength {
  epochs?: number;
  maxSteps?: number;
  /** Optimiser steps per epoch, when the dataset size is known. */
  stepsPerEpoch?: number;
  /** Optimiser steps of the whole run, when the dataset size is known. */
  totalSteps?: number;
  /** `train.epochs 3`, `max_steps 100` or `250 steps (…)`, for messages. */
  description: string;
}

export function runLength(values: EntryValues): RunLength {
  const epochs = values.number('train.epochs');
  const maxStepsValue = values.get('train.max_steps');
  const maxSteps = typeof maxStepsValue === 'number' ? maxStepsValue : undefined;
  const examples = values.number('task.max_examples');
  const batch = values.number('train.batch');
  const accumulation = values.number('train.grad_accumulation');
  let stepsPerEpoch: number | undefined;
  let totalSteps: number | undefined;
  if (examples !== undefined && batch !== undefined && accumulation !== undefined) {
    stepsPerEpoch = Math.ceil(Math.ceil(examples / batch) / accumulation);
    if (epochs !== undefined) totalSteps = Math.min(Math.ceil(epochs * stepsPerEpoch), maxSteps ?? Infinity);
  }
  // Built only when a message needs it: most runs have nothing to report.
  const describe = (): string => {
    if (totalSteps !== undefined && stepsPerEpoch !== undefined) {
      const capped = maxSteps !== undefined && maxSteps < Math.ceil((epochs ?? 0) * stepsPerEpoch);
      return capped
        ? `${totalSteps} steps (max_steps ${maxSteps})`
        : `${totalSteps} steps: ${formatNumber(epochs ?? 0)} epochs of ${stepsPerEpoch} steps, from max_examples ${examples} and batch ${batch}${accumulation !== 1 ? ` × grad_accumulation ${accumulation}` : ''}`;
    }
    if (maxSteps !== undefined) return `at most ${maxSteps} steps (max_steps) and ${formatNumber(epochs ?? 0)} epochs`;
    return `${formatNumber(epochs ?? 0)} epochs`;
  };
  return {
    epochs,
    maxSteps,
    stepsPerEpoch,
    totalSteps,
    get description() {
      return describe();
    },
  };
}

/** Whether a duration certainly ends after the run; fractions of the run never do. */
export function endsAfterRun(point: RunPoint, run: RunLength): boolean {
  if (!isDuration(point)) return false;
  if (run.totalSteps !== undefined) {
    const steps = toSteps(point, run);
    return steps !== undefined && steps > run.totalSteps;
  }
  if (point.unit === 'epochs') return run.epochs !== undefined && point.amount > run.epochs;
  return run.maxSteps !== undefined && point.amount > run.maxSteps;
}

function toSteps(p: RunPoint, run: RunLength): number | undefined {
  if (!isDuration(p)) return run.totalSteps !== undefined ? p * run.totalSteps : undefined;
  if (p.unit === 'steps') return p.amount;
  return run.stepsPerEpoch !== undefined ? p.amount * run.stepsPerEpoch : undefined;
}

function toEpochs(p: RunPoint, run: RunLength): number | undefined {
  if (!isDuration(p)) {
    if (run.maxSteps === undefined && run.epochs !== undefined) return p * run.epochs;
    return run.totalSteps !== undefined && run.stepsPerEpoch ? (p * run.totalSteps) / run.stepsPerEpoch : undefined;
  }
  if (p.unit === 'epochs') return p.amount;
  return run.stepsPerEpoch ? p.amount / run.stepsPerEpoch : undefined;
}

function toFraction(p: RunPoint, run: RunLength): number | undefined {
  if (!isDuration(p)) return p;
  const steps = toSteps(p, run);
  if (steps !== undefined && run.totalSteps) return steps / run.totalSteps;
  if (p.unit === 'epochs' && run.maxSteps === undefined && run.epochs) return p.amount / run.epochs;
  return undefined;
}

/** -1, 0 or 1 when the two points can be compared without guessing the dataset size, else undefined. */
export function comparePoints(a: RunPoint, b: RunPoint, run: RunLength): -1 | 0 | 1 | undefined {
  for (const convert of [toSteps, toEpochs, toFraction]) {
    const x = convert(a, run);
    const y = convert(b, run);
    if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  }
  return undefined;
}

export function formatPoint(p: RunPoint): string {
  return isDuration(p) ? formatDuration(p as Duration) : `${formatPercent(p)} of the run`;
}
