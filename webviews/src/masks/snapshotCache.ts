// Mask snapshots the panel has loaded, by run and step, with a bound: a long run of a large model
// has hundreds of snapshots of a few hundred kB each, and scrubbing should not keep them all.

import type { MaskSnapshotFile } from '../../../schemas/src/runRecord';

export class SnapshotCache {
  private readonly entries = new Map<string, MaskSnapshotFile>();

  constructor(private readonly capacity = 48) {}

  get(runDir: string, step: number): MaskSnapshotFile | undefined {
    const key = `${step}|${runDir}`;
    const found = this.entries.get(key);
    if (found) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, found);
    }
    return found;
  }

  set(runDir: string, snapshot: MaskSnapshotFile): void {
    const key = `${snapshot.step}|${runDir}`;
    this.entries.delete(key);
    this.entries.set(key, snapshot);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Inserts `step` into ascending `steps` (no duplicates); returns whether it was new. */
export function insertStep(steps: number[], step: number): boolean {
  let i = steps.length;
  while (i > 0 && steps[i - 1] > step) i--;
  if (i > 0 && steps[i - 1] === step) return false;
  steps.splice(i, 0, step);
  return true;
}

/** The step of `steps` nearest to `target` (the earlier one on a tie), or undefined when empty. */
export function nearestStep(steps: readonly number[], target: number): number | undefined {
  let best: number | undefined;
  for (const s of steps) if (best === undefined || Math.abs(s - target) < Math.abs(best - target)) best = s;
  return best;
}
