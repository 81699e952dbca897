// The training core's API as the trainer process sees it (server/src/training/loop/runTraining.ts
// defines the real one). Stated structurally here so that the run store and the trainer host stay
// tfjs-free and can be tested with a fake trainer; the real `runTraining` satisfies it.

import type { ExperimentConfig } from '../../../schemas/src/experimentConfig';
import type { TrainerMessage } from '../../../schemas/src/trainerMessages';
import type { StoredTrainingState } from './checkpointFiles';

export interface HostedTrainingSink {
  emit(message: TrainerMessage): void;
  saveState(step: number, state: StoredTrainingState): Promise<void>;
}

export interface HostedTrainingOptions {
  runId: string;
  resume?: StoredTrainingState;
  signal?: AbortSignal;
}

export interface HostedTrainingResult {
  outcome: 'completed' | 'cancelled';
  step: number;
  /** Metrics at the best and the last evaluation (`{step, epoch, values}` or flat `{step, accuracy, …}`). */
  best: unknown;
  final: unknown;
  sparsity: Record<string, number>;
  trainableParameters: number;
  /** What the per-task artifact stores (TaskArtifactParts); encoded structurally by training/artifact. */
  artifact: unknown;
}

export type TrainFunction = (config: ExperimentConfig, sink: HostedTrainingSink, options: HostedTrainingOptions) => Promise<HostedTrainingResult>;
