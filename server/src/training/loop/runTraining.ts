// The training core's entry point: one run of a resolved experiment config, reporting through a
// sink (messages, checkpoints) and returning the kept model's per-task parts. The trainer process
// wraps it; tests call it directly.
//
// Messages it emits, in order: `started`; then `progress` (at most ~2/s), `metrics` (train:
// loss, lr, grad_norm and the method's sparsity/λ; dev: loss and the task's metrics as fractions),
// `mask-snapshot` at each evaluation of a masking method, `checkpoint` after each saveState, and
// `warning`s; finally `finished` (completed or cancelled) — or `failed`, after which the promise
// rejects with TrainingFailedError (the failure is already reported; do not report it again).

import type { ExperimentConfig } from '../../../../schemas/src/experimentConfig';
import { reportFailure, type TrainingOptions, type TrainingResult, type TrainingSink } from './trainingContract';
import { TrainingSession } from './trainingSession';

export type { MetricsAt, TrainingOptions, TrainingResult, TrainingSink } from './trainingContract';
export { TrainingFailedError } from './trainingContract';
export type { TrainingState } from './trainingState';
export type { TaskArtifactParts } from '../methods/taskArtifact';

export async function runTraining(config: ExperimentConfig, sink: TrainingSink, options: TrainingOptions): Promise<TrainingResult> {
  let session: TrainingSession;
  try {
    session = await TrainingSession.open(config, sink, options);
  } catch (error) {
    throw reportFailure(sink, options.runId, error);
  }
  try {
    return await session.run();
  } catch (error) {
    throw reportFailure(sink, options.runId, error);
  } finally {
    session.dispose();
  }
}
