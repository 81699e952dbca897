// `summary.json` of a run folder: the numbers every run reports (methods.md, "Common shape"):
// best and final dev metrics, realised sparsity per matrix, trainable parameters, bytes stored per
// task (bit-packed and entropy-coded) and the backend that trained it. Written by the trainer when
// a run completes or is cancelled; `run-summary.schema.json` describes the same shape.

import type { MethodKind } from './experimentConfig';
import type { BackendReport } from './trainerMessages';

export const RUN_SUMMARY_SCHEMA_VERSION = 1;

/**
 * Metrics at one evaluation, flat: `{"step": 120, "epoch": 1.5, "accuracy": 0.83, "loss": 0.41}`.
 * Every metric is a fraction (accuracy 0.83, never 83); `loss` is the mean dev loss.
 */
export interface MetricsPoint {
  step: number;
  epoch?: number;
  [metric: string]: number | undefined;
}

export interface RunSummary {
  schemaVersion: 1;
  run_id: string;
  /** The run's name (`<sweep>-<index>` for a sweep cell) and the experiment it resolves. */
  name: string;
  experiment: string;
  sweep: { name: string; index: number; cells: number } | null;
  method: MethodKind;
  /** `glue/sst2`, `tsv`, … */
  task: string;
  outcome: 'completed' | 'cancelled';
  /** Last step trained, and the run's planned length. */
  steps: number;
  steps_total: number;
  /** The metric checkpoints are ranked by, and whether the artifact holds the best or the last state. */
  primary_metric: string;
  keep: 'best' | 'last';
  best: MetricsPoint | null;
  final: MetricsPoint | null;
  /** Fraction of entries masked (or pruned) per matrix, by checkpoint parameter name. */
  sparsity: Record<string, number>;
  trainable_parameters: number;
  /** Parameters of the model as trained (encoder + head). */
  model_parameters: number;
  bytes_per_task: {
    /** The per-task artifact with masks bit-packed, 1 bit per masked parameter. */
    packed: number;
    /** The artifact as written (masks entropy-coded): the size of `artifact.masklab-task`. */
    entropy_coded: number;
    /** A full fp32 copy of the model, for comparison. */
    fp32_model: number;
  };
  backend: BackendReport;
  started_at: string;
  finished_at: string;
  /** Seconds of training, summed over resumed segments. */
  duration_seconds: number;
}
