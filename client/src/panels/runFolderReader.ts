// Reads what the panels show from a run folder (the layout of schemas/src/runRecord.ts): who the
// run is (config.json, status.json, summary.json), its metrics (metrics.jsonl, as columns) and its
// mask snapshots (masks/step-N.json). Never throws for a missing or damaged file: a deleted run
// is `missing`, a torn last line (a run killed mid-write) is dropped, a malformed line is skipped
// and reported. Free of `vscode`, so it is unit-tested on real folders.

import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExperimentConfig } from '../../../schemas/src/experimentConfig';
import { RUN_FILES, type MaskSnapshotFile, type MetricsRecord, type RunStatus } from '../../../schemas/src/runRecord';
import { readMaskSnapshotFile, readMetricsRecord, readRunStatus, readRunSummary } from '../../../schemas/src/runRecordSchemas';
import type { MetricsColumns, PanelRun, PanelRunState } from '../../../schemas/src/webviewMessages';

/** A heartbeat older than this (and no checkable process) means the trainer is gone; as the run store says. */
const STALE_HEARTBEAT_SECONDS = 120;

export function runFolderExists(runDir: string): boolean {
  try {
    return statSync(runDir).isDirectory();
  } catch {
    return false;
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** What a panel shows about the run besides its data. */
export function readPanelRun(runDir: string, now = new Date()): PanelRun {
  const runId = path.basename(runDir);
  const config = readJson(path.join(runDir, RUN_FILES.config)) as Partial<ExperimentConfig> | undefined;
  const base: PanelRun = {
    runDir,
    runId,
    name: typeof config?.name === 'string' && config.name ? config.name : runId,
    experiment: typeof config?.experiment === 'string' && config.experiment ? config.experiment : path.basename(path.dirname(runDir)),
    state: 'unknown',
    message: null,
    sweep: null,
    primaryMetric: null,
  };
  if (!runFolderExists(runDir)) return { ...base, state: 'missing', message: `the run folder ${runDir} does not exist` };
  const sweep = config?.sweep;
  if (sweep && typeof sweep.name === 'string' && Number.isInteger(sweep.index) && Number.isInteger(sweep.cells) && typeof sweep.values === 'object') {
    base.sweep = { name: sweep.name, index: sweep.index, cells: sweep.cells, values: sweep.values ?? {} };
  }
  const metrics = config?.evaluate?.metrics;
  if (Array.isArray(metrics) && typeof metrics[0] === 'string') base.primaryMetric = metrics[0];
  const summary = readRunSummary(readJson(path.join(runDir, RUN_FILES.summary)));
  if (summary.ok) base.primaryMetric = summary.value.primary_metric;
  const status = readRunStatus(readJson(path.join(runDir, RUN_FILES.status)));
  if (status.ok) {
    base.state = shownState(status.value, now);
    base.message = status.value.message;
  }
  return base;
}

/** status.json's state, with a `running` run whose trainer is gone shown as `interrupted`. */
export function shownState(status: RunStatus, now = new Date(), host = os.hostname()): PanelRunState {
  if (status.state !== 'running') return status.state;
  if (status.pid !== null && status.host === host) {
    try {
      process.kill(status.pid, 0);
      return 'running';
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM' ? 'running' : 'interrupted';
    }
  }
  const age = (now.getTime() - Date.parse(status.heartbeat)) / 1000;
  return age > STALE_HEARTBEAT_SECONDS ? 'interrupted' : 'running';
}

/** The score threshold of a mask run (drawn on its histograms), null for other methods. */
export function maskThreshold(runDir: string): number | null {
  const config = readJson(path.join(runDir, RUN_FILES.config)) as { method?: { kind?: unknown; threshold?: unknown } } | undefined;
  const threshold = config?.method?.threshold;
  return config?.method?.kind === 'mask' && typeof threshold === 'number' && Number.isFinite(threshold) ? threshold : null;
}

export interface MetricsHistory {
  train: MetricsColumns;
  dev: MetricsColumns;
  /** Bytes of metrics.jsonl consumed (complete lines only): where a tail continues. */
  offset: number;
  /** Lines skipped, each with why (the torn last line of a running trainer is not one). */
  problems: string[];
}

export function emptyColumns(): MetricsColumns {
  return { step: [], epoch: [], time: [], values: {} };
}

/** Appends a record to columns, padding metrics it lacks (and ones it adds) with null. */
export function appendToColumns(columns: MetricsColumns, record: MetricsRecord): void {
  const index = columns.step.length;
  columns.step.push(record.step);
  columns.epoch.push(record.epoch);
  columns.time.push(record.time);
  for (const [name, value] of Object.entries(record.values)) {
    let column = columns.values[name];
    if (!column) {
      column = new Array<number | null>(index).fill(null);
      columns.values[name] = column;
    }
    column.push(value);
  }
  for (const column of Object.values(columns.values)) if (column.length === index) column.push(null);
}

export function readMetricsHistory(runDir: string): MetricsHistory {
  const history: MetricsHistory = { train: emptyColumns(), dev: emptyColumns(), offset: 0, problems: [] };
  const tail = new MetricsTail(path.join(runDir, RUN_FILES.metrics));
  const read = tail.read();
  history.problems = read.problems;
  history.offset = tail.offset;
  for (const record of read.records) appendToColumns(history[record.split], record);
  return history;
}

export interface TailRead {
  records: MetricsRecord[];
  problems: string[];
  /** The file shrank (a resumed run cut it back): the caller should reload from the start. */
  truncated: boolean;
}

/**
 * Reads metrics.jsonl from where the last read stopped, complete lines only (the trainer appends
 * each record in one write, so an incomplete last line is still being written).
 */
export class MetricsTail {
  offset: number;
  private lineNumber = 0;

  constructor(
    readonly file: string,
    offset = 0,
  ) {
    this.offset = offset;
  }

  read(): TailRead {
    const result: TailRead = { records: [], problems: [], truncated: false };
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      return result;
    }
    try {
      const size = fstatSync(fd).size;
      if (size < this.offset) {
        result.truncated = true;
        return result;
      }
      if (size === this.offset) return result;
      const buffer = Buffer.alloc(size - this.offset);
      const got = readSync(fd, buffer, 0, buffer.length, this.offset);
      const end = buffer.lastIndexOf(0x0a, got - 1);
      if (end < 0) return result;
      const text = buffer.subarray(0, end + 1).toString('utf8');
      this.offset += end + 1;
      for (const line of text.split('\n')) {
        if (line === '') continue;
        this.lineNumber++;
        const record = parseRecord(line);
        if ('problem' in record) result.problems.push(`${this.file}:${this.lineNumber}: ${record.problem}`);
        else result.records.push(record);
      }
      return result;
    } finally {
      closeSync(fd);
    }
  }
}

/** A line of metrics.jsonl: checked by hand first (100,000 lines for a long run), by the schema for the message. */
export function parseRecord(line: string): MetricsRecord | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { problem: `not JSON (${(error as Error).message})` };
  }
  if (looksLikeRecord(value)) return value;
  const checked = readMetricsRecord(value);
  return checked.ok ? checked.value : { problem: checked.problem };
}

function looksLikeRecord(value: unknown): value is MetricsRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  if (Object.keys(r).length !== 5) return false;
  if (!Number.isInteger(r.step) || (r.step as number) < 0) return false;
  if (typeof r.epoch !== 'number' || !(r.epoch >= 0) || !Number.isFinite(r.epoch)) return false;
  if (typeof r.time !== 'number' || !(r.time >= 0) || !Number.isFinite(r.time)) return false;
  if (r.split !== 'train' && r.split !== 'dev') return false;
  if (typeof r.values !== 'object' || r.values === null || Array.isArray(r.values)) return false;
  for (const v of Object.values(r.values)) if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  return true;
}

const SNAPSHOT_FILE = /^step-(\d+)\.json$/;

/** Steps with a mask snapshot, ascending. */
export function listMaskSteps(runDir: string): number[] {
  const dir = path.join(runDir, RUN_FILES.masks);
  if (!existsSync(dir)) return [];
  try {
    return readdirSync(dir)
      .map((name) => SNAPSHOT_FILE.exec(name)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  } catch {
    return [];
  }
}

export function maskSnapshotFile(runDir: string, step: number): string {
  return path.join(runDir, RUN_FILES.masks, `step-${step}.json`);
}

export function readMaskSnapshot(runDir: string, step: number): { snapshot: MaskSnapshotFile } | { problem: string } {
  const file = maskSnapshotFile(runDir, step);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? `${file} does not exist (was the run deleted or resumed?)` : `${file}: ${(error as Error).message}` };
  }
  const checked = readMaskSnapshotFile(json);
  if (!checked.ok) return { problem: `${file}: ${checked.problem}` };
  if (checked.value.step !== step) return { problem: `${file} holds step ${checked.value.step}, not ${step}` };
  return { snapshot: checked.value };
}
