// Reads a run store (`<runs>/<experiment or sweep>/<run-id>/`) for the Runs view: each run's state
// (a `running` run whose trainer is gone shows as `interrupted`), best value of its primary
// metric, progress and duration. Runs started from the CLI appear the same way, since both write
// the same files (schemas/src/runRecord.ts). No `vscode` here: the tree is built and tested from
// plain data. Tolerant by design: a half-written or foreign folder yields a run with `problems`,
// never an exception that would blank the whole view.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RUN_FILES } from '../../../schemas/src/runRecord';

export type RunEntryState = 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted' | 'unknown';

export interface RunEntry {
  runsDir: string;
  /** The experiment or sweep folder. */
  group: string;
  runId: string;
  dir: string;
  /** The run's name from its config (`quickstart`, `seeds_and_rates-3`). */
  name: string;
  sweepIndex: number | null;
  state: RunEntryState;
  best: { metric: string; value: number; step: number } | null;
  step: number;
  stepsTotal: number | null;
  durationSeconds: number | null;
  startedAt: string | null;
  /** Why it failed or stopped. */
  message: string | null;
  resumable: boolean;
  problems: string[];
}

/** A `running` status older than this, from another host, is a trainer that is gone. */
const STALE_HEARTBEAT_MS = 120_000;

export interface ScanOptions {
  host?: string;
  now?: number;
  isAlive?: (pid: number) => boolean;
  /** Remembers what was read of each metrics.jsonl, so a growing file is read only from where it was left. */
  metrics?: MetricsBestCache;
}

/** Every run under `runsDir`, newest first within each group; groups sorted by name. */
export function scanRunStore(runsDir: string, options: ScanOptions = {}): RunEntry[] {
  const entries: RunEntry[] = [];
  for (const group of subfolders(runsDir)) {
    const runIds = subfolders(path.join(runsDir, group)).sort().reverse();
    for (const runId of runIds) {
      const dir = path.join(runsDir, group, runId);
      if (fs.existsSync(path.join(dir, RUN_FILES.config))) entries.push(readRun(runsDir, group, runId, options));
    }
  }
  return entries;
}

export function readRun(runsDir: string, group: string, runId: string, options: ScanOptions = {}): RunEntry {
  const dir = path.join(runsDir, group, runId);
  const problems: string[] = [];
  const entry: RunEntry = {
    runsDir, group, runId, dir, name: group, sweepIndex: null, state: 'unknown', best: null,
    step: 0, stepsTotal: null, durationSeconds: null, startedAt: null, message: null, resumable: false, problems,
  };
  const config = readJson(path.join(dir, RUN_FILES.config), problems) as
    | { name?: unknown; sweep?: { index?: unknown } | null; evaluate?: { metrics?: unknown } }
    | undefined;
  if (typeof config?.name === 'string') entry.name = config.name;
  if (typeof config?.sweep?.index === 'number') entry.sweepIndex = config.sweep.index;
  const metrics = config?.evaluate?.metrics;
  const primary = Array.isArray(metrics) && typeof metrics[0] === 'string' ? metrics[0] : 'accuracy';

  const status = readJson(path.join(dir, RUN_FILES.status), problems) as Record<string, unknown> | undefined;
  if (status) {
    entry.state = shownState(status, options);
    entry.step = numberOr(status.step, 0);
    entry.stepsTotal = typeof status.steps_total === 'number' ? status.steps_total : null;
    entry.durationSeconds = typeof status.elapsed_seconds === 'number' ? status.elapsed_seconds : null;
    entry.startedAt = typeof status.started_at === 'string' ? status.started_at : null;
    entry.message = typeof status.message === 'string' ? status.message : null;
    entry.resumable = status.resumable === true || entry.state === 'interrupted';
  }

  const summary = readJson(path.join(dir, RUN_FILES.summary), problems) as
    | { primary_metric?: unknown; best?: Record<string, unknown> | null; duration_seconds?: unknown }
    | undefined;
  const summaryMetric = typeof summary?.primary_metric === 'string' ? summary.primary_metric : primary;
  const bestValue = summary?.best?.[summaryMetric];
  if (typeof bestValue === 'number') {
    entry.best = { metric: summaryMetric, value: bestValue, step: numberOr(summary?.best?.step, 0) };
    if (typeof summary?.duration_seconds === 'number') entry.durationSeconds = summary.duration_seconds;
  } else {
    const best = (options.metrics ?? new MetricsBestCache()).best(path.join(dir, RUN_FILES.metrics), primary);
    if (best) entry.best = { metric: primary, ...best };
  }
  return entry;
}

function shownState(status: Record<string, unknown>, options: ScanOptions): RunEntryState {
  const state = status.state;
  if (state === 'completed' || state === 'cancelled' || state === 'failed') return state;
  if (state !== 'running') return 'unknown';
  const pid = status.pid;
  if (typeof pid === 'number' && status.host === (options.host ?? os.hostname())) {
    return (options.isAlive ?? processIsAlive)(pid) ? 'running' : 'interrupted';
  }
  const heartbeat = typeof status.heartbeat === 'string' ? Date.parse(status.heartbeat) : NaN;
  return Number.isFinite(heartbeat) && (options.now ?? Date.now()) - heartbeat <= STALE_HEARTBEAT_MS ? 'running' : 'interrupted';
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The best dev value of a metric in each metrics.jsonl, read incrementally: a training run appends
 * a line per step, and the view refreshes with every heartbeat, so each refresh reads only the new
 * bytes. A file that shrank (a resumed run cuts it back) is read again from the start.
 */
export class MetricsBestCache {
  private readonly files = new Map<string, { offset: number; metric: string; rest: string; best: { value: number; step: number } | null }>();

  best(file: string, metric: string): { value: number; step: number } | null {
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      this.files.delete(file);
      return null;
    }
    let state = this.files.get(file);
    if (!state || state.metric !== metric || size < state.offset) {
      state = { offset: 0, metric, rest: '', best: null };
      this.files.set(file, state);
    }
    if (size > state.offset) {
      const fd = fs.openSync(file, 'r');
      try {
        const buffer = Buffer.alloc(size - state.offset);
        const read = fs.readSync(fd, buffer, 0, buffer.length, state.offset);
        state.offset += read;
        const text = state.rest + buffer.subarray(0, read).toString('utf8');
        const lines = text.split('\n');
        // The last piece may be a line still being written: keep it for the next read.
        state.rest = lines.pop() ?? '';
        for (const line of lines) state.best = better(state.best, line, metric);
        // A file that ends without a newline may end with a whole record: count it now (taking
        // the best of a record twice changes nothing); a torn one does not parse and waits.
        state.best = better(state.best, state.rest, metric);
      } finally {
        fs.closeSync(fd);
      }
    }
    return state.best;
  }
}

function better(best: { value: number; step: number } | null, line: string, metric: string): { value: number; step: number } | null {
  if (!line.includes('"dev"')) return best;
  let record: { split?: unknown; step?: unknown; values?: Record<string, unknown> };
  try {
    record = JSON.parse(line) as typeof record;
  } catch {
    return best; // a torn line: readers drop it
  }
  const value = record.values?.[metric];
  if (record.split !== 'dev' || typeof value !== 'number' || !Number.isFinite(value)) return best;
  return !best || value > best.value ? { value, step: numberOr(record.step, 0) } : best;
}

function readJson(file: string, problems: string[]): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${file}: ${(error as Error).message}`);
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
    problems.push(`${file}: not a JSON object`);
  } catch (error) {
    problems.push(`${file}: ${(error as Error).message}`);
  }
  return undefined;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function subfolders(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}
