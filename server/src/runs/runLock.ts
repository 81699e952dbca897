// One trainer per run folder: `.lock` holds the owner's pid and host, created exclusively. A lock
// whose process is gone (SIGKILL leaves one behind) is taken over.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { processIsAlive } from './runStatus';
import { RunStoreError } from './writeError';

export const LOCK_FILE = '.lock';

export function acquireRunLock(dir: string, isAlive: (pid: number) => boolean = processIsAlive): () => void {
  const file = path.join(dir, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, host: os.hostname() });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, mine, { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === mine) fs.rmSync(file, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner: { pid?: unknown; host?: unknown } = {};
    try {
      owner = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof owner;
    } catch {
      // unreadable: a writer died between create and write; treat as stale
    }
    const sameHost = owner.host === os.hostname();
    if (typeof owner.pid === 'number' && (!sameHost || isAlive(owner.pid))) {
      throw new RunStoreError(
        `${dir} is in use by another trainer (pid ${owner.pid}${sameHost ? '' : ` on ${String(owner.host)}`}); wait for it to end or cancel it` +
          (sameHost ? '' : `, or delete ${file} if that machine is gone`),
      );
    }
    fs.rmSync(file, { force: true });
  }
  throw new RunStoreError(`cannot lock ${dir}: ${file} keeps reappearing`);
}
