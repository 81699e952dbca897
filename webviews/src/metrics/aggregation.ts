// Sweep cells that differ only in their seed are one configuration trained several times: drawn
// as one mean curve with a ± one standard deviation band. Pure functions.

import type { ConfigValue } from '../../../schemas/src/experimentConfig';
import type { PanelRun } from '../../../schemas/src/webviewMessages';

/** Sweep keys that only reseed a run (`train.seed`, `seed`, `data_seed`): left out when grouping. */
export function isSeedKey(key: string): boolean {
  return /(^|[._])(\w*_)?seed$/.test(key);
}

export interface SeedGroup {
  /** Stable id: the sweep and its non-seed values. */
  key: string;
  /** e.g. `lr_sweep method.lr=0.001` */
  label: string;
  runDirs: string[];
}

/**
 * Groups of two or more runs of the same sweep whose values differ only in seed keys, in the
 * order their first member appears. Runs outside any group are drawn on their own.
 */
export function seedGroups(runs: readonly Pick<PanelRun, 'runDir' | 'sweep'>[]): SeedGroup[] {
  const byKey = new Map<string, SeedGroup>();
  for (const run of runs) {
    if (!run.sweep) continue;
    const values = Object.entries(run.sweep.values)
      .filter(([key]) => !isSeedKey(key))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const key = `${run.sweep.name}|${JSON.stringify(values)}`;
    let group = byKey.get(key);
    if (!group) {
      const label = [run.sweep.name, ...values.map(([k, v]) => `${k}=${formatValue(v)}`)].join(' ');
      group = { key, label, runDirs: [] };
      byKey.set(key, group);
    }
    group.runDirs.push(run.runDir);
  }
  return [...byKey.values()].filter((g) => g.runDirs.length >= 2);
}

function formatValue(value: ConfigValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export interface MemberSeries {
  /** Alignment key: the step. */
  step: ArrayLike<number>;
  /** Horizontal position drawn (step, epoch or time). */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  length: number;
}

export interface MeanStd {
  step: number[];
  /** Mean of the members' x at that step (epochs agree; wall times differ a little). */
  x: number[];
  mean: number[];
  /** Sample standard deviation over the members that have the step (0 with one member). */
  std: number[];
  /** How many members have a finite value at that step. */
  count: number[];
}

/** Mean and standard deviation across members, step by step (steps some members lack use the others). */
export function meanStd(members: readonly MemberSeries[]): MeanStd {
  const cursors = members.map(() => 0);
  const out: MeanStd = { step: [], x: [], mean: [], std: [], count: [] };
  for (;;) {
    // The smallest step not yet consumed, over all members (each member's steps ascend).
    let step = Infinity;
    members.forEach((m, k) => {
      if (cursors[k] < m.length && m.step[cursors[k]] < step) step = m.step[cursors[k]];
    });
    if (step === Infinity) break;
    let n = 0;
    let sumX = 0;
    let mean = 0;
    let m2 = 0;
    members.forEach((m, k) => {
      // Consume every entry at this step (a duplicate step counts once: its last value).
      let value = NaN;
      let x = NaN;
      while (cursors[k] < m.length && m.step[cursors[k]] === step) {
        value = m.y[cursors[k]];
        x = m.x[cursors[k]];
        cursors[k]++;
      }
      if (!Number.isFinite(value)) return;
      // Welford's update: stable for values far from zero.
      n++;
      sumX += x;
      const delta = value - mean;
      mean += delta / n;
      m2 += delta * (value - mean);
    });
    if (n === 0) continue;
    out.step.push(step);
    out.x.push(sumX / n);
    out.mean.push(mean);
    out.std.push(n > 1 ? Math.sqrt(m2 / (n - 1)) : 0);
    out.count.push(n);
  }
  return out;
}
