// Builds `summary.json` from what the trainer returned: metrics flattened to fractions by name,
// sizes of the per-task artifact, and the backend that ran.

import type { ExperimentConfig } from '../../../schemas/src/experimentConfig';
import type { MetricsPoint, RunSummary } from '../../../schemas/src/runSummary';
import type { StartedMessage } from '../../../schemas/src/trainerMessages';
import type { HostedTrainingResult } from './trainingContract';

/**
 * Metrics at one evaluation as a flat point. Accepts `{step, epoch, values: {…}}`,
 * `{step, metrics: {…}}` or an already flat `{step, accuracy, …}`; non-numbers are left out.
 */
export function toMetricsPoint(value: unknown): MetricsPoint | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  if (typeof record.step !== 'number') return null;
  const point: MetricsPoint = { step: record.step };
  if (typeof record.epoch === 'number') point.epoch = record.epoch;
  const nested = [record.values, record.metrics].find((v) => typeof v === 'object' && v !== null) as Record<string, unknown> | undefined;
  for (const [key, v] of Object.entries(nested ?? record)) {
    if (key === 'step' || key === 'epoch' || typeof v !== 'number' || !Number.isFinite(v)) continue;
    point[key] = v;
  }
  return point;
}

export function taskLabel(config: ExperimentConfig): string {
  return config.task.kind === 'glue' ? `glue/${config.task.name}` : config.task.kind;
}

export interface SummaryInput {
  runId: string;
  config: ExperimentConfig;
  result: HostedTrainingResult;
  started: StartedMessage | undefined;
  bytes: { packed: number; entropy_coded: number };
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
}

export function buildRunSummary(input: SummaryInput): RunSummary {
  const { config, result, started } = input;
  const modelParameters = started?.parameters ?? 0;
  return {
    schemaVersion: 1,
    run_id: input.runId,
    name: config.name,
    experiment: config.experiment,
    sweep: config.sweep ? { name: config.sweep.name, index: config.sweep.index, cells: config.sweep.cells } : null,
    method: config.method.kind,
    task: taskLabel(config),
    outcome: result.outcome,
    steps: result.step,
    steps_total: started?.stepsTotal ?? result.step,
    primary_metric: config.evaluate.metrics[0] ?? 'accuracy',
    keep: config.evaluate.keep,
    best: toMetricsPoint(result.best),
    final: toMetricsPoint(result.final),
    sparsity: result.sparsity,
    trainable_parameters: result.trainableParameters,
    model_parameters: modelParameters,
    bytes_per_task: { packed: input.bytes.packed, entropy_coded: input.bytes.entropy_coded, fp32_model: modelParameters * 4 },
    backend: started?.backend ?? { name: 'unknown', device: 'unknown', detail: 'the trainer did not report its backend' },
    started_at: input.startedAt,
    finished_at: input.finishedAt,
    duration_seconds: Math.round(input.durationSeconds * 1000) / 1000,
  };
}
