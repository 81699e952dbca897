// Whether a run can be continued, judged from its status.json: shared by `masklab train --resume`
// and the editor's Resume, so both refuse the same runs for the same reasons.

import * as os from 'node:os';
import type { RunFolder } from './runFolder';
import { processIsAlive } from './runStatus';

/**
 * `resume` (cancelled, failed or interrupted), `none` (it has no status: never started),
 * `completed` (nothing left to train), or the pid of the live trainer that trains it now.
 */
export type Resumability = 'resume' | 'none' | 'completed' | number;

export function resumability(folder: RunFolder, options: { host?: string; isAlive?: (pid: number) => boolean } = {}): Resumability {
  const read = folder.readStatus();
  if (!('status' in read)) return 'none';
  const status = read.status;
  if (status.state === 'completed') return 'completed';
  const host = options.host ?? os.hostname();
  const alive = options.isAlive ?? processIsAlive;
  if (status.state === 'running' && status.pid !== null && status.host === host && alive(status.pid)) return status.pid;
  return 'resume';
}
