// Validators of the extension ⇄ webview messages (webviewMessages.ts), run by both ends on
// everything they receive, and of the state a webview persists. A message that does not match is
// rejected with a one-line reason the receiver logs; it is never rendered or acted on.
// Envelopes are checked against JSON Schemas; the metric columns (100,000s of numbers for a long
// run) by a tight loop instead, because the generic validator costs about a microsecond a value.

import { validateAgainstSchema } from './jsonSchemaValidator';
import { maskSnapshotFileSchema, metricsRecordSchema } from './runRecordSchemas';
import { describeErrors, type Received } from './trainerMessageSchema';
import {
  WEBVIEW_PROTOCOL_VERSION,
  type HostMessage,
  type MasksViewState,
  type MetricsColumns,
  type MetricsViewState,
  type WebviewMessage,
} from './webviewMessages';

export type { Received } from './trainerMessageSchema';

type Schema = { [key: string]: unknown };

const count = { type: 'integer', minimum: 0 };
const text = { type: 'string', minLength: 1 };
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const object = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  additionalProperties: false,
});

const runState = { enum: ['running', 'completed', 'cancelled', 'failed', 'interrupted', 'missing', 'unknown'] };
const xAxis = { enum: ['step', 'epoch', 'time'] };

const panelRunProperties: Record<string, Schema> = {
  runDir: text,
  runId: text,
  name: text,
  experiment: text,
  state: runState,
  message: nullable({ type: 'string' }),
  sweep: nullable(object({ name: text, index: count, cells: count, values: { type: 'object' } })),
  primaryMetric: nullable(text),
};

/** Columns are checked by `columnsProblem`; the schema only places them. */
const columns = object({ step: { type: 'array' }, epoch: { type: 'array' }, time: { type: 'array' }, values: { type: 'object' } });

const chartDefaults = object({
  smoothing: { type: 'number', minimum: 0, maximum: 0.99 },
  xAxis,
  logScaleY: { type: 'boolean' },
});

const hostSchemas: Record<HostMessage['type'], Schema> = {
  'metrics/init': object({
    type: { const: 'metrics/init' },
    protocol: { const: WEBVIEW_PROTOCOL_VERSION },
    runs: { type: 'array', items: object({ ...panelRunProperties, train: columns, dev: columns }) },
    defaults: chartDefaults,
  }),
  'metrics/append': object({
    type: { const: 'metrics/append' },
    runDir: text,
    records: { type: 'array', items: metricsRecordSchema },
  }),
  'masks/init': object({
    type: { const: 'masks/init' },
    protocol: { const: WEBVIEW_PROTOCOL_VERSION },
    runs: {
      type: 'array',
      items: object({ ...panelRunProperties, steps: { type: 'array', items: count }, threshold: nullable({ type: 'number' }) }),
    },
  }),
  'masks/snapshot': object({ type: { const: 'masks/snapshot' }, runDir: text, snapshot: maskSnapshotFileSchema }),
  'run/state': object({ type: { const: 'run/state' }, runDir: text, state: runState, message: nullable({ type: 'string' }) }),
  'run/deleted': object({ type: { const: 'run/deleted' }, runDir: text }),
  response: {
    anyOf: [
      object({
        type: { const: 'response' },
        requestId: count,
        ok: { const: true },
        result: {
          anyOf: [
            object({ kind: { const: 'save' }, saved: nullable(text) }),
            object({ kind: { const: 'snapshot' }, snapshot: maskSnapshotFileSchema }),
          ],
        },
      }),
      object({ type: { const: 'response' }, requestId: count, ok: { const: false }, error: text }),
    ],
  },
};

const webviewSchemas: Record<WebviewMessage['type'], Schema> = {
  ready: object({ type: { const: 'ready' }, panel: { enum: ['metrics', 'masks'] }, protocol: { const: WEBVIEW_PROTOCOL_VERSION } }),
  request: object({
    type: { const: 'request' },
    requestId: count,
    request: {
      anyOf: [
        object({ kind: { const: 'save' }, format: { enum: ['csv', 'json', 'png'] }, suggestedName: text, content: { type: 'string' } }),
        object({ kind: { const: 'snapshot' }, runDir: text, step: count }),
      ],
    },
  }),
  log: object({ type: { const: 'log' }, level: { enum: ['info', 'warning', 'error'] }, message: { type: 'string' } }),
};

/** Checks a message that came from the extension host (run in the webview). */
export function readHostMessage(value: unknown): Received<HostMessage> {
  const received = byType<HostMessage>(value, hostSchemas, 'host message');
  if (!received.ok || received.value.type !== 'metrics/init') return received;
  for (const [i, run] of received.value.runs.entries()) {
    for (const split of ['train', 'dev'] as const) {
      const problem = columnsProblem(run[split]);
      if (problem) return { ok: false, problem: `malformed 'metrics/init' message: /runs/${i}/${split}: ${problem}` };
    }
  }
  return received;
}

/** Checks a message that came from a webview (run in the extension host). */
export function readWebviewMessage(value: unknown): Received<WebviewMessage> {
  return byType<WebviewMessage>(value, webviewSchemas, 'webview message');
}

/**
 * Why `value` is not a set of metric columns (undefined when it is): every column as long as
 * `step`, steps whole and ascending, epochs, times and values finite (values may be null).
 */
export function columnsProblem(value: MetricsColumns): string | undefined {
  const n = value.step.length;
  for (const name of ['epoch', 'time'] as const) {
    if (value[name].length !== n) return `${name} has ${value[name].length} entries, step has ${n}`;
  }
  let previous = -1;
  for (let i = 0; i < n; i++) {
    const step = value.step[i];
    if (!Number.isInteger(step) || step < 0) return `step/${i}: expected a whole number ≥ 0, got ${String(step)}`;
    if (step < previous) return `step/${i}: steps must not decrease (${step} after ${previous})`;
    previous = step;
    if (!isFiniteNumber(value.epoch[i]) || value.epoch[i] < 0) return `epoch/${i}: expected a number ≥ 0, got ${String(value.epoch[i])}`;
    if (!isFiniteNumber(value.time[i]) || value.time[i] < 0) return `time/${i}: expected a number ≥ 0, got ${String(value.time[i])}`;
  }
  for (const [name, column] of Object.entries(value.values)) {
    if (!Array.isArray(column)) return `values/${name}: expected an array`;
    if (column.length !== n) return `values/${name} has ${column.length} entries, step has ${n}`;
    for (let i = 0; i < n; i++) {
      const v = column[i];
      if (v !== null && !isFiniteNumber(v)) return `values/${name}/${i}: expected a finite number or null, got ${String(v)}`;
    }
  }
  return undefined;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

const logScale = { type: 'object', additionalProperties: object({ x: { type: 'boolean' }, y: { type: 'boolean' } }) };
const runDirs = { type: 'array', items: text };

const metricsStateSchema = object({
  panel: { const: 'metrics' },
  runDirs,
  smoothing: { type: 'number', minimum: 0, maximum: 0.99 },
  xAxis,
  logScale,
  hiddenRuns: { type: 'array', items: { type: 'string' } },
});

const masksStateSchema = object({
  panel: { const: 'masks' },
  runDirs,
  run: count,
  step: nullable(count),
  mode: { enum: ['kept', 'diff-steps', 'diff-runs'] },
  baseStep: nullable(count),
  baseRun: count,
  fit: { type: 'boolean' },
  selected: nullable(text),
});

/** Checks a persisted metrics panel state (it may come from an older version of the extension). */
export function readMetricsViewState(value: unknown): Received<MetricsViewState> {
  return verdict(value, metricsStateSchema, 'metrics panel state');
}

export function readMasksViewState(value: unknown): Received<MasksViewState> {
  return verdict(value, masksStateSchema, 'masks panel state');
}

/**
 * The run folders a persisted state names, whatever else in it is wrong: a serializer restoring
 * after a reload must still find the runs when a newer version changed the rest of the state.
 */
export function runDirsOfState(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const dirs = (value as { runDirs?: unknown }).runDirs;
  return Array.isArray(dirs) ? dirs.filter((d): d is string => typeof d === 'string' && d.length > 0) : [];
}

function byType<T>(value: unknown, schemas: Record<string, Schema>, what: string): Received<T> {
  const type = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !Object.hasOwn(schemas, type)) {
    return { ok: false, problem: `not a ${what} (type ${JSON.stringify(type) ?? 'missing'}; expected one of ${Object.keys(schemas).join(', ')})` };
  }
  return verdict(value, schemas[type], `'${type}' message`);
}

function verdict<T>(value: unknown, schema: Schema, what: string): Received<T> {
  const errors = validateAgainstSchema(value, schema);
  if (errors.length === 0) return { ok: true, value: value as T };
  return { ok: false, problem: `malformed ${what}: ${describeErrors(errors)}` };
}
