// `status.json`: where a run stands, rewritten atomically at each change and every few seconds
// while it trains (the heartbeat). A reader tells a crashed run from a live one by the process id
// (on the same host) or by a heartbeat that stopped.

import * as os from 'node:os';
import * as path from 'node:path';
import { RUN_FILES, type RunState, type RunStatus } from '../../../schemas/src/runRecord';
import { readRunStatus } from '../../../schemas/src/runRecordSchemas';
import { readJsonFile, writeJsonAtomic } from './atomicFile';
import { describeWriteError } from './writeError';

/** How often a running trainer rewrites status.json. */
export const HEARTBEAT_SECONDS = 10;
/** A heartbeat older than this means the trainer is gone (when its pid cannot be checked). */
export const STALE_HEARTBEAT_SECONDS = 120;

export function writeRunStatus(dir: string, status: RunStatus): void {
  const file = path.join(dir, RUN_FILES.status);
  try {
    writeJsonAtomic(file, status);
  } catch (error) {
    throw describeWriteError(error, file);
  }
}

/** The run's status; a problem when the file is missing or not a status. */
export function readStatusFile(dir: string): { status: RunStatus } | { problem: string } {
  const file = path.join(dir, RUN_FILES.status);
  let json: unknown;
  try {
    json = readJsonFile(file);
  } catch (error) {
    return { problem: `${file}: ${(error as Error).message}` };
  }
  if (json === undefined) return { problem: `${file} does not exist` };
  const read = readRunStatus(json);
  return read.ok ? { status: read.value } : { problem: `${file}: ${read.problem}` };
}

/** What a listing shows: a `running` run whose trainer is gone is `interrupted` (resumable like a cancelled one). */
export type ShownState = RunState | 'interrupted';

export function shownState(
  status: RunStatus,
  options: { now?: Date; host?: string; isAlive?: (pid: number) => boolean } = {},
): ShownState {
  if (status.state !== 'running') return status.state;
  const host = options.host ?? os.hostname();
  if (status.pid !== null && status.host === host) {
    return (options.isAlive ?? processIsAlive)(status.pid) ? 'running' : 'interrupted';
  }
  const age = ((options.now ?? new Date()).getTime() - Date.parse(status.heartbeat)) / 1000;
  return age > STALE_HEARTBEAT_SECONDS ? 'interrupted' : 'running';
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function nowIso(now = new Date()): string {
  return now.toISOString();
}
