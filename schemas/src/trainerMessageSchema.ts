// JSON Schemas of the trainer ⇄ run manager messages (trainerMessages.ts), and the validators both
// ends run on everything they receive: a message that does not match is rejected and logged by
// the receiver, never acted on (a half-written or foreign message must not cancel or finish a run).

import { experimentConfigSchema } from './experimentSchema';
import { validateAgainstSchema, type SchemaError } from './jsonSchemaValidator';
import { TRAINER_PROTOCOL_VERSION, type TrainerCommand, type TrainerMessage } from './trainerMessages';

type Schema = { [key: string]: unknown };

const count = { type: 'integer', minimum: 0 };
const finite = { type: 'number' };
const nonNegative = { type: 'number', minimum: 0 };
const text = { type: 'string', minLength: 1 };
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const object = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  additionalProperties: false,
});
const message = (type: string, properties: Record<string, Schema>, optional: string[] = []): Schema =>
  object({ type: { const: type }, runId: text, ...properties }, optional);

export const backendReportSchema: Schema = object({ name: text, device: text, detail: text });

export const maskMatrixSnapshotSchema: Schema = object(
  {
    name: text,
    block: nullable(count),
    matrix: text,
    shape: { type: 'array', items: count, minItems: 2 },
    kept: { type: 'number', minimum: 0, maximum: 1 },
    image: object({ width: count, height: count, data: { type: 'string' } }),
    scores: object({ min: finite, max: finite, counts: { type: 'array', items: count } }),
  },
  ['scores'],
);

/** Values of a metrics record: finite numbers by name. */
export const metricValuesSchema: Schema = { type: 'object', additionalProperties: finite };

const trainerMessageSchemas: Record<TrainerMessage['type'], Schema> = {
  started: message(
    'started',
    {
      backend: backendReportSchema,
      parameters: count,
      trainable: count,
      stepsTotal: count,
      epochs: nonNegative,
      examples: object({ train: count, dev: count }),
      resumedFromStep: count,
    },
    ['resumedFromStep'],
  ),
  progress: message('progress', {
    step: count,
    stepsTotal: count,
    epoch: nonNegative,
    stepsPerSecond: nonNegative,
    examplesPerSecond: nonNegative,
    elapsedSeconds: nonNegative,
    etaSeconds: nullable(nonNegative),
  }),
  metrics: message('metrics', {
    step: count,
    epoch: nonNegative,
    time: nonNegative,
    split: { enum: ['train', 'dev'] },
    values: metricValuesSchema,
  }),
  'mask-snapshot': message('mask-snapshot', { step: count, matrices: { type: 'array', items: maskMatrixSnapshotSchema } }),
  warning: message('warning', { message: text }),
  checkpoint: message('checkpoint', { step: count }),
  finished: message('finished', { outcome: { enum: ['completed', 'cancelled'] }, step: count }),
  failed: message('failed', { message: text, step: count, file: text, line: count }, ['step', 'file', 'line']),
};

// The config is checked against its own schema separately (its $refs point into its own $defs).
const startCommandSchema: Schema = object({
  type: { const: 'start' },
  protocol: { const: TRAINER_PROTOCOL_VERSION },
  runId: text,
  config: { type: 'object' },
  runDir: text,
  resume: { type: 'boolean' },
});

const cancelCommandSchema: Schema = object({ type: { const: 'cancel' } });

export type Received<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Checks a message that came from the trainer; `problem` names the first mismatches. */
export function readTrainerMessage(value: unknown): Received<TrainerMessage> {
  const type = typeOf(value);
  if (type === undefined || !Object.hasOwn(trainerMessageSchemas, type)) {
    return { ok: false, problem: `not a trainer message (type ${JSON.stringify(type) ?? 'missing'}; expected one of ${Object.keys(trainerMessageSchemas).join(', ')})` };
  }
  return verdict(value, trainerMessageSchemas[type as TrainerMessage['type']], `'${type}' message`);
}

/** Checks a command that came from the run manager. */
export function readTrainerCommand(value: unknown): Received<TrainerCommand> {
  const type = typeOf(value);
  if (type === 'start') {
    const envelope = verdict<TrainerCommand>(value, startCommandSchema, "'start' command");
    if (!envelope.ok) return envelope;
    const configErrors = validateAgainstSchema((value as { config: unknown }).config, experimentConfigSchema);
    if (configErrors.length > 0) {
      return { ok: false, problem: `malformed 'start' command: ${describeErrors(configErrors.map((e) => ({ ...e, path: `/config${e.path}` })))}` };
    }
    return envelope;
  }
  if (type === 'cancel') return verdict(value, cancelCommandSchema, "'cancel' command");
  return { ok: false, problem: `not a trainer command (type ${JSON.stringify(type) ?? 'missing'}; expected start or cancel)` };
}

function typeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}

function verdict<T>(value: unknown, schema: Schema, what: string): Received<T> {
  const errors = validateAgainstSchema(value, schema);
  if (errors.length === 0) return { ok: true, value: value as T };
  return { ok: false, problem: `malformed ${what}: ${describeErrors(errors)}` };
}

/** The first few schema errors on one line (a long list of errors would drown the log). */
export function describeErrors(errors: readonly SchemaError[], limit = 3): string {
  const shown = errors.slice(0, limit).map((e) => `${e.path || '/'}: ${e.message}`);
  if (errors.length > limit) shown.push(`… ${errors.length - limit} more`);
  return shown.join('; ');
}
