// The run record on disk: what one run folder `.masklab/runs/<experiment>/<run-id>/` holds besides
// the resolved config (`config.json`, an ExperimentConfig) and the summary (runSummary.ts).
// Readers are the CLI (`masklab runs`, `eval`, `export`), the language server and the editor's
// charts; the writer is the trainer process (and the run manager when the trainer dies).
// `runRecordSchemas.ts` holds the JSON Schemas and validators for these shapes.

import type { BackendReport, MaskMatrixSnapshot } from './trainerMessages';

export const RUN_RECORD_SCHEMA_VERSION = 1;

/** The file names inside a run folder; every reader and writer uses these. */
export const RUN_FILES = {
  config: 'config.json',
  environment: 'environment.json',
  metrics: 'metrics.jsonl',
  masks: 'masks',
  checkpoints: 'checkpoints',
  summary: 'summary.json',
  status: 'status.json',
  log: 'trainer.log',
  artifact: 'artifact.masklab-task',
} as const;

/**
 * Where a run stands. A `running` status whose process is gone (or whose heartbeat stopped) is a
 * crashed run: readers show it as `interrupted`; it resumes like a cancelled one.
 */
export type RunState = 'running' | 'completed' | 'cancelled' | 'failed';

/** `status.json`, rewritten atomically: at start, with each heartbeat, and at the end. */
export interface RunStatus {
  schemaVersion: 1;
  run_id: string;
  state: RunState;
  /** The trainer's process id while it runs (null once it has ended). */
  pid: number | null;
  /** Host the trainer runs on: a pid only means something there. */
  host: string;
  /** ISO time of the run's first start. */
  started_at: string;
  /** ISO time of the last sign of life (written every few seconds while running). */
  heartbeat: string;
  /** ISO time the run ended (completed, cancelled or failed); null while running. */
  ended_at: string | null;
  /** Seconds of training, summed over resumed segments. */
  elapsed_seconds: number;
  /** Last step finished, and the run's length in steps (null until the trainer knows it). */
  step: number;
  steps_total: number | null;
  /** Step of the newest checkpoint, null when there is none. */
  last_checkpoint: number | null;
  /** True when `masklab train --resume` can continue this run from a checkpoint. */
  resumable: boolean;
  /** Why a run failed or stopped, in words, with the fix where there is one. */
  message: string | null;
  /** How many times the run was started (1 + resumes). */
  segments: number;
}

/** `environment.json`: what trained the run, for reproducing it. Written when the trainer starts. */
export interface RunEnvironment {
  schemaVersion: 1;
  masklab: string;
  node: string;
  /** `@tensorflow/tfjs-core` version, null when the trainer never loaded it. */
  tfjs: string | null;
  /** The backend and device exactly as they ran (null until the trainer reported them). */
  backend: BackendReport | null;
  /** Threads the run was configured with (`device.threads`). */
  threads: number;
  host: string;
  platform: string;
  arch: string;
  cpus: { model: string; count: number };
  /** The git commit of the repository holding the experiment file, when there is one. */
  git: { commit: string; branch: string | null } | null;
  /** ISO time this environment was recorded (each resume records its own). */
  recorded_at: string;
}

/** One line of `metrics.jsonl`: the trainer's `metrics` message without its envelope. */
export interface MetricsRecord {
  step: number;
  epoch: number;
  /** Seconds since the run started (wall time, summed over resumed segments). */
  time: number;
  split: 'train' | 'dev';
  /** Train: loss, lr, sparsity; dev: loss and the task's metrics, each metric as a fraction. */
  values: Record<string, number>;
}

/** `masks/step-N.json`: one mask snapshot. */
export interface MaskSnapshotFile {
  step: number;
  matrices: MaskMatrixSnapshot[];
}
