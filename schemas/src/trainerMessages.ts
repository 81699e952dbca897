// The trainer ⇄ run manager protocol. The trainer runs in its own process (forked by the language
// server or the CLI) and speaks only these messages over the Node IPC channel; the run manager
// relays them to the editor and writes them to the run store. Every message carries the run id.

import type { ExperimentConfig } from './experimentConfig';

export const TRAINER_PROTOCOL_VERSION = 1;

/** What trains the run: the backend tfjs uses and the device, reported exactly. */
export interface BackendReport {
  /** `tensorflow`, `wasm` or `cpu`. */
  name: string;
  /** `GPU`, `CPU`. */
  device: string;
  /** Exactly what runs, e.g. `wasm (SIMD, 1 thread)`. */
  detail: string;
}

/** Run manager → trainer. */
export type TrainerCommand = StartCommand | CancelCommand;

/**
 * Train `config` into the run folder `runDir` (created by the run manager, holding config.json).
 * With `resume`, continue from the folder's newest checkpoint (from the start when it has none).
 */
export interface StartCommand {
  type: 'start';
  protocol: typeof TRAINER_PROTOCOL_VERSION;
  runId: string;
  config: ExperimentConfig;
  runDir: string;
  resume: boolean;
}

/** Stop at the next step boundary, checkpoint, and finish with `cancelled`. */
export interface CancelCommand {
  type: 'cancel';
}

/** Trainer → run manager. */
export type TrainerMessage =
  | StartedMessage
  | ProgressMessage
  | MetricsMessage
  | MaskSnapshotMessage
  | WarningMessage
  | CheckpointMessage
  | FinishedMessage
  | FailedMessage;

export interface StartedMessage {
  type: 'started';
  runId: string;
  backend: BackendReport;
  /** All parameters of the model as trained (encoder + head). */
  parameters: number;
  /** Parameters the optimiser updates (scores for masks; A, B, S for DSEE). */
  trainable: number;
  stepsTotal: number;
  epochs: number;
  examples: { train: number; dev: number };
  /** Set when the run continues from a checkpoint. */
  resumedFromStep?: number;
}

export interface ProgressMessage {
  type: 'progress';
  runId: string;
  step: number;
  stepsTotal: number;
  /** Fractional epoch, e.g. 1.25. */
  epoch: number;
  stepsPerSecond: number;
  examplesPerSecond: number;
  elapsedSeconds: number;
  /** Estimated seconds to the end of the run; null until it can be estimated. */
  etaSeconds: number | null;
}

export interface MetricsMessage {
  type: 'metrics';
  runId: string;
  step: number;
  epoch: number;
  /** Seconds since the run started (wall time, summed over resumed segments). */
  time: number;
  split: 'train' | 'dev';
  /** Train: `loss`, `lr`, `sparsity`; dev: `loss` and the task's metrics, each metric as a fraction. */
  values: Record<string, number>;
}

/** One masked matrix at one step. */
export interface MaskMatrixSnapshot {
  /** Parameter name as in the checkpoint, e.g. `bert.encoder.layer.0.attention.self.query.weight`. */
  name: string;
  block: number | null;
  /** query | key | value | attention_output | intermediate | output | pooler | head. */
  matrix: string;
  /** Stored shape [out, in] (PyTorch convention). */
  shape: [number, number];
  /** Fraction of entries kept (mask = 1). */
  kept: number;
  /** Down-sampled image of the mask: kept fraction per cell, row-major, 0–255, at most 64×64. */
  image: { width: number; height: number; data: string /* base64 of width*height bytes */ };
  /** Histogram of the real-valued scores (where the method has scores): bin edges and counts. */
  scores?: { min: number; max: number; counts: number[] };
}

export interface MaskSnapshotMessage {
  type: 'mask-snapshot';
  runId: string;
  step: number;
  matrices: MaskMatrixSnapshot[];
}

export interface WarningMessage {
  type: 'warning';
  runId: string;
  message: string;
}

export interface CheckpointMessage {
  type: 'checkpoint';
  runId: string;
  step: number;
}

export interface FinishedMessage {
  type: 'finished';
  runId: string;
  /** `completed`: ran to the end; `cancelled`: stopped on request after checkpointing (resumable). */
  outcome: 'completed' | 'cancelled';
  step: number;
}

export interface FailedMessage {
  type: 'failed';
  runId: string;
  message: string;
  /** Where: the file and line for data errors, the step for numeric failures. */
  step?: number;
  file?: string;
  line?: number;
}
