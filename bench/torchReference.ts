// The independent PyTorch twins the benches compare against: finding a Python with torch, and
// running one of the bench/*.py scripts pinned to one thread (as every engine here is), its JSON
// answer parsed.
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** A Python that can import torch: MASKLAB_PYTHON, then Debian's, then the PATH's; undefined when none can. */
export function findTorchPython(): string | undefined {
  const candidates = [process.env.MASKLAB_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => Boolean(c));
  return candidates.find((python) => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
}

/** Runs `script` (relative to bench/) with `args` on one BLAS thread and returns its JSON output. */
export function runTorchReference<T>(python: string, script: string, args: ReadonlyArray<string | number>): T {
  const output = execFileSync(python, [path.join(__dirname, script), ...args.map(String)], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
  });
  return JSON.parse(output) as T;
}
