// The training core's contract with its caller (the trainer process, tests): the sink a run
// reports through, its options and its result, and how a failure is signalled.

import type { TrainerMessage } from '../../../../schemas/src/trainerMessages';
import { DataError } from '../data';
import type { TaskArtifactParts } from '../methods/taskArtifact';
import type { TrainingState } from './trainingState';

export interface TrainingSink {
  emit(message: TrainerMessage): void;
  /** Persists a checkpoint (the run store writes it atomically). */
  saveState(step: number, state: TrainingState): Promise<void>;
}

export interface TrainingOptions {
  runId: string;
  resume?: TrainingState;
  /** Aborting stops the run at the next step boundary, after checkpointing. */
  signal?: AbortSignal;
  /** Called after every optimiser step (diagnostics and tests: tensor counts, timings). */
  onStepEnd?: (step: number) => void;
  /**
   * Cache the frozen blocks' outputs per example (default true). Off only to measure the cache or
   * to check it: with dropout 0 both ways compute the same run.
   */
  prefixCache?: boolean;
}

/** Metrics of one evaluation. */
export interface MetricsAt {
  step: number;
  epoch: number;
  values: Record<string, number>;
}

export interface TrainingResult {
  outcome: 'completed' | 'cancelled';
  step: number;
  best: MetricsAt | null;
  final: MetricsAt | null;
  /** Realised sparsity (fraction dropped) per matrix of the kept model, by checkpoint name. */
  sparsity: Record<string, number>;
  trainableParameters: number;
  /** The kept model's per-task parts (`evaluate.keep`: best or last). */
  artifact: TaskArtifactParts;
}

/**
 * The run failed and has already emitted its `failed` message (a data error with file and line,
 * a non-finite loss with the step, …); the caller only has to exit.
 */
export class TrainingFailedError extends Error {
  override name = 'TrainingFailedError';
  constructor(
    message: string,
    readonly details: { step?: number; file?: string; line?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }
}

/** A failure before or during the loop, reported once as a `failed` message. */
export function reportFailure(sink: TrainingSink, runId: string, error: unknown): TrainingFailedError {
  if (error instanceof TrainingFailedError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof DataError ? { file: error.file, line: error.line, cause: error } : { cause: error };
  sink.emit({ type: 'failed', runId, message, file: details.file, line: details.line });
  return new TrainingFailedError(message, details);
}
