// JSON Schemas of the files in a run folder (runRecord.ts, runSummary.ts) and their validators.
// Readers check what they read: a run folder may come from another version of Masklab, or be
// edited by hand. `schemas/run-summary.schema.json` is `runSummarySchema` written out (a test
// keeps them identical; regenerate with `npx tsx server/src/runs/writeRunSchemas.ts`).

import { validateAgainstSchema } from './jsonSchemaValidator';
import type { MaskSnapshotFile, MetricsRecord, RunEnvironment, RunStatus } from './runRecord';
import type { RunSummary } from './runSummary';
import { backendReportSchema, describeErrors, maskMatrixSnapshotSchema, metricValuesSchema, type Received } from './trainerMessageSchema';

type Schema = { [key: string]: unknown };

const count = { type: 'integer', minimum: 0 };
const nonNegative = { type: 'number', minimum: 0 };
const text = { type: 'string', minLength: 1 };
const time = { type: 'string', minLength: 1, description: 'ISO 8601 time' };
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const object = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  additionalProperties: false,
});

/** Fractions in [0, 1] (accuracy, F1), correlations in [−1, 1]: never percentages. */
const bounded = (low: number) => ({ type: 'number', minimum: low, maximum: 1 });

const metricsPointSchema: Schema = {
  type: 'object',
  description: 'Metrics at one evaluation, every metric a fraction: {"step": 120, "accuracy": 0.83}',
  properties: {
    step: count,
    epoch: nonNegative,
    accuracy: bounded(0),
    f1: bounded(0),
    mcc: bounded(-1),
    pearson: bounded(-1),
    spearman: bounded(-1),
    loss: nonNegative,
  },
  required: ['step'],
  additionalProperties: { type: 'number' },
};

export const runSummarySchema: Schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://masklab.dev/schemas/run-summary.schema.json',
  title: 'Masklab run summary',
  description: 'summary.json of a run folder: best and final dev metrics (fractions), sparsity per matrix, trainable parameters, bytes per task, backend.',
  ...object({
    schemaVersion: { const: 1 },
    run_id: text,
    name: text,
    experiment: text,
    sweep: nullable(object({ name: text, index: count, cells: count })),
    method: { enum: ['finetune', 'mask', 'sparse_finetune', 'dsee'] },
    task: text,
    outcome: { enum: ['completed', 'cancelled'] },
    steps: count,
    steps_total: count,
    primary_metric: text,
    keep: { enum: ['best', 'last'] },
    best: nullable(metricsPointSchema),
    final: nullable(metricsPointSchema),
    sparsity: { type: 'object', additionalProperties: bounded(0) },
    trainable_parameters: count,
    model_parameters: count,
    bytes_per_task: object({ packed: count, entropy_coded: count, fp32_model: count }),
    backend: backendReportSchema,
    started_at: time,
    finished_at: time,
    duration_seconds: nonNegative,
  }),
};

export const runStatusSchema: Schema = object({
  schemaVersion: { const: 1 },
  run_id: text,
  state: { enum: ['running', 'completed', 'cancelled', 'failed'] },
  pid: nullable({ type: 'integer', minimum: 1 }),
  host: { type: 'string' },
  started_at: time,
  heartbeat: time,
  ended_at: nullable(time),
  elapsed_seconds: nonNegative,
  step: count,
  steps_total: nullable(count),
  last_checkpoint: nullable(count),
  resumable: { type: 'boolean' },
  message: nullable({ type: 'string' }),
  segments: { type: 'integer', minimum: 1 },
});

export const runEnvironmentSchema: Schema = object({
  schemaVersion: { const: 1 },
  masklab: text,
  node: text,
  tfjs: nullable(text),
  backend: nullable(backendReportSchema),
  threads: { type: 'integer', minimum: 1 },
  host: { type: 'string' },
  platform: text,
  arch: text,
  cpus: object({ model: { type: 'string' }, count: count }),
  git: nullable(object({ commit: text, branch: nullable(text) })),
  recorded_at: time,
});

export const metricsRecordSchema: Schema = object({
  step: count,
  epoch: nonNegative,
  time: nonNegative,
  split: { enum: ['train', 'dev'] },
  values: metricValuesSchema,
});

export const maskSnapshotFileSchema: Schema = object({ step: count, matrices: { type: 'array', items: maskMatrixSnapshotSchema } });

function reader<T>(schema: Schema, what: string): (value: unknown) => Received<T> {
  return (value) => {
    const errors = validateAgainstSchema(value, schema);
    return errors.length === 0 ? { ok: true, value: value as T } : { ok: false, problem: `not a valid ${what}: ${describeErrors(errors)}` };
  };
}

export const readRunSummary = reader<RunSummary>(runSummarySchema, 'summary.json');
export const readRunStatus = reader<RunStatus>(runStatusSchema, 'status.json');
export const readRunEnvironment = reader<RunEnvironment>(runEnvironmentSchema, 'environment.json');
export const readMetricsRecord = reader<MetricsRecord>(metricsRecordSchema, 'metrics record');
export const readMaskSnapshotFile = reader<MaskSnapshotFile>(maskSnapshotFileSchema, 'mask snapshot');
