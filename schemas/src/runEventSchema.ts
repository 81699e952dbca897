// The validator the extension runs on every `masklab/runEvent` notification (runNotifications.ts):
// an event that does not match is rejected and logged, never shown — a status bar, a chart or a
// heatmap must not render half a message or one from a newer, incompatible server.

import { validateAgainstSchema } from './jsonSchemaValidator';
import type { RunEnded, RunEvent } from './runNotifications';
import { describeErrors, readTrainerMessage, type Received } from './trainerMessageSchema';

type Schema = { [key: string]: unknown };

const text = { type: 'string', minLength: 1 };
const count = { type: 'integer', minimum: 0 };

const originSchema: Schema = {
  type: 'object',
  properties: { uri: text, experiment: text, index: count },
  required: ['uri', 'experiment'],
  additionalProperties: false,
};

const envelopeSchema: Schema = {
  type: 'object',
  properties: { runId: text, runDir: text, origin: originSchema, event: { type: 'object' } },
  required: ['runId', 'runDir', 'origin', 'event'],
  additionalProperties: false,
};

const endedSchema: Schema = {
  type: 'object',
  properties: {
    type: { const: 'ended' },
    runId: text,
    state: { enum: ['completed', 'cancelled', 'failed'] },
    step: count,
    message: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    resumable: { type: 'boolean' },
    logFile: text,
  },
  required: ['type', 'runId', 'state', 'step', 'message', 'resumable', 'logFile'],
  additionalProperties: false,
};

/** Checks one `masklab/runEvent` notification: its envelope, then the trainer message or `ended` inside. */
export function readRunEvent(value: unknown): Received<RunEvent> {
  const envelopeErrors = validateAgainstSchema(value, envelopeSchema);
  if (envelopeErrors.length > 0) return { ok: false, problem: `malformed run event: ${describeErrors(envelopeErrors)}` };
  const envelope = value as RunEvent;
  const inner = envelope.event as { type?: unknown; runId?: unknown };
  if (inner.type === 'ended') {
    const errors = validateAgainstSchema(inner, endedSchema);
    if (errors.length > 0) return { ok: false, problem: `malformed 'ended' run event: ${describeErrors(errors.map((e) => ({ ...e, path: `/event${e.path}` })))}` };
  } else {
    const checked = readTrainerMessage(inner);
    if (!checked.ok) return { ok: false, problem: `run event of ${envelope.runId}: ${checked.problem}` };
  }
  if (inner.runId !== envelope.runId) {
    return { ok: false, problem: `run event of ${envelope.runId} carries a message of run ${String(inner.runId)}` };
  }
  return { ok: true, value: envelope };
}

/** For the server: the `ended` event of a run, from what the run manager recorded. */
export function endedEvent(runId: string, end: Omit<RunEnded, 'type' | 'runId'>): RunEnded {
  return { type: 'ended', runId, state: end.state, step: end.step, message: end.message, resumable: end.resumable, logFile: end.logFile };
}
