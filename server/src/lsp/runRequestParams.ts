// The parameters of the run requests (schemas/src/runNotifications.ts), checked: they come from
// another process, and a malformed one must be answered with what was expected, not a crash.

import type { EvaluateParams, RunOrigin, TrainParams } from '../../../schemas/src/runNotifications';

type Read<T> = T | { error: string };

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function notAnObject(value: unknown, what: string): { error: string } {
  return { error: `${what}: expected an object of parameters, got ${JSON.stringify(value) ?? String(value)}` };
}

export function readOrigin(value: unknown, what: string): Read<RunOrigin> {
  const object = asObject(value);
  if (!object) return notAnObject(value, what);
  const { uri, experiment, index } = object;
  if (typeof uri !== 'string' || uri === '') return { error: `${what}: expected "uri", the .masklab document's uri` };
  if (typeof experiment !== 'string' || experiment === '') return { error: `${what}: expected "experiment", an experiment or sweep name` };
  if (index !== undefined && index !== null && !(typeof index === 'number' && Number.isSafeInteger(index) && index >= 0)) {
    return { error: `${what}: "index" must be a sweep cell index (a whole number ≥ 0), got ${JSON.stringify(index)}` };
  }
  return typeof index === 'number' ? { uri, experiment, index } : { uri, experiment };
}

/** Train params: `{ resumeDir }` alone continues that folder; otherwise an origin (and `resume`). */
export function readTrainParams(value: unknown): Read<TrainParams | { resumeDir: string }> {
  const object = asObject(value);
  if (!object) return notAnObject(value, 'masklab/train');
  const { resumeDir, resume } = object;
  if (resumeDir !== undefined && (typeof resumeDir !== 'string' || resumeDir === '')) return { error: 'masklab/train: "resumeDir" must be a run folder' };
  if (resume !== undefined && typeof resume !== 'boolean') return { error: 'masklab/train: "resume" must be true or false' };
  const origin = readOrigin(object, 'masklab/train');
  if ('error' in origin) return typeof resumeDir === 'string' ? { resumeDir } : origin;
  return { ...origin, ...(resume ? { resume } : {}), ...(typeof resumeDir === 'string' ? { resumeDir } : {}) };
}

export function readEvaluateParams(value: unknown): Read<EvaluateParams> {
  const object = asObject(value);
  if (!object) return notAnObject(value, 'masklab/evaluate');
  const runDir = object.runDir;
  if (typeof runDir === 'string' && runDir !== '') return { runDir };
  return readOrigin(object, 'masklab/evaluate');
}

export function readRunId(value: unknown): Read<string> {
  const object = asObject(value);
  if (!object) return notAnObject(value, 'masklab/cancel');
  const runId = object.runId;
  return typeof runId === 'string' && runId !== '' ? runId : { error: 'masklab/cancel: expected "runId"' };
}

export function readUri(value: unknown, what: string): Read<string> {
  const object = asObject(value);
  if (!object) return notAnObject(value, what);
  const uri = object.uri;
  return typeof uri === 'string' && uri !== '' ? uri : { error: `${what}: expected "uri", a document uri` };
}
