// `checkpoints/`: the trainable state of a run (scores or deltas, optimiser moments, step, epoch,
// data position, RNG state, best metrics so far), one safetensors file per checkpoint so the
// tensors are readable by any safetensors tool. Each file is written atomically (temporary file,
// fsync, rename); only the newest two are kept, so a damaged newest one still leaves one to resume.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSafetensorsHeader, readTensorFloat32, writeSafetensors } from '../checkpoint/safetensors';
import { fsyncDirectory } from './atomicFile';
import { describeWriteError, RunStoreError } from './writeError';

/** The state a trainer saves and resumes from (the shape of training/loop's TrainingState). */
export interface StoredTrainingState {
  step: number;
  epoch: number;
  tensors: Record<string, { shape: number[]; data: Float32Array }>;
  /** JSON only: numbers, strings, booleans, null, arrays and plain objects. */
  meta: Record<string, unknown>;
}

export const CHECKPOINTS_KEPT = 2;
const FORMAT = 'masklab-training-state/1';
const NAME = /^step-(\d+)\.safetensors$/;

export function checkpointFileName(step: number): string {
  return `step-${String(step).padStart(8, '0')}.safetensors`;
}

export interface CheckpointEntry {
  step: number;
  file: string;
}

/** The folder's checkpoints, oldest first. */
export function listCheckpoints(dir: string): CheckpointEntry[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .map((name) => ({ match: NAME.exec(name), name }))
    .filter((e): e is { match: RegExpExecArray; name: string } => e.match !== null)
    .map((e) => ({ step: Number(e.match[1]), file: path.join(dir, e.name) }))
    .sort((a, b) => a.step - b.step);
}

/** Writes `state` atomically as the newest checkpoint and removes all but the newest `keep`. */
export function saveCheckpoint(dir: string, state: StoredTrainingState, keep = CHECKPOINTS_KEPT): string {
  const file = path.join(dir, checkpointFileName(state.step));
  const meta = JSON.stringify(state.meta, (key, value: unknown) => {
    if (ArrayBuffer.isView(value)) throw new TypeError(`training state meta '${key}' is a typed array; put arrays in tensors`);
    return value;
  });
  const tensors = Object.entries(state.tensors).map(([name, t]) => ({ name, dtype: 'F32' as const, shape: t.shape, data: t.data }));
  try {
    fs.mkdirSync(dir, { recursive: true });
    writeSafetensors(file, tensors, { format: FORMAT, step: String(state.step), epoch: String(state.epoch), meta });
  } catch (error) {
    throw describeWriteError((error as { cause?: unknown }).cause ?? error, file);
  }
  fsyncDirectory(dir);
  const all = listCheckpoints(dir);
  for (const old of all.slice(0, Math.max(0, all.length - keep))) fs.rmSync(old.file, { force: true });
  return file;
}

export function loadCheckpoint(file: string): StoredTrainingState {
  const header = readSafetensorsHeader(file);
  const metadata = header.metadata ?? {};
  if (metadata.format !== FORMAT) {
    throw new RunStoreError(`${file} is not a Masklab training checkpoint (metadata format ${JSON.stringify(metadata.format)}, expected ${FORMAT})`);
  }
  const tensors: StoredTrainingState['tensors'] = {};
  for (const [name, info] of header.tensors) tensors[name] = { shape: info.shape, data: Float32Array.from(readTensorFloat32(info)) };
  return { step: Number(metadata.step), epoch: Number(metadata.epoch), tensors, meta: JSON.parse(metadata.meta ?? '{}') as Record<string, unknown> };
}

/** The newest checkpoint that reads back; unreadable newer ones are reported in `skipped`. */
export function loadLatestCheckpoint(dir: string): { state: StoredTrainingState; file: string; skipped: string[] } | undefined {
  const skipped: string[] = [];
  for (const entry of listCheckpoints(dir).reverse()) {
    try {
      return { state: loadCheckpoint(entry.file), file: entry.file, skipped };
    } catch (error) {
      skipped.push(`${entry.file}: ${(error as Error).message}`);
    }
  }
  return undefined;
}

/** Temporary files a killed writer left behind (never renamed into place, so never read). */
export function removeStaleTemporaries(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith('.') && name.endsWith('.tmp')) fs.rmSync(path.join(dir, name), { force: true });
}
