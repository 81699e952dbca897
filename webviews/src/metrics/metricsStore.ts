// The metrics a panel holds: per run and split, growable numeric columns (a 100,000-step run is a
// few typed arrays, not 100,000 objects). Appends are idempotent and follow resumes: a record at
// a step the series already has replaces that step and everything after it, as the run folder's
// metrics.jsonl is cut back when a run resumes from a checkpoint. Pure, DOM-free.

import type { MetricsRecord } from '../../../schemas/src/runRecord';
import type { MetricsColumns, MetricsRunHistory, PanelRun, XAxisKind } from '../../../schemas/src/webviewMessages';
import type { MetricKey, Split } from './metricGroups';

export class Column {
  private data: Float64Array;
  length = 0;

  constructor(capacity = 64) {
    this.data = new Float64Array(Math.max(capacity, 4));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  /** Pads with NaN (a metric that appears later than the others) up to `length` entries. */
  padTo(length: number): void {
    while (this.length < length) this.push(NaN);
  }

  truncate(length: number): void {
    this.length = Math.min(this.length, length);
  }

  at(i: number): number {
    return this.data[i];
  }

  /** The filled part, without copying. Invalidated by the next push. */
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

export class SplitSeries {
  /** Times the series was cut back (a resumed run): what was derived from it must be redone. */
  cuts = 0;
  readonly step = new Column();
  readonly epoch = new Column();
  readonly time = new Column();
  private readonly values = new Map<string, Column>();

  get length(): number {
    return this.step.length;
  }

  static fromColumns(columns: MetricsColumns): SplitSeries {
    const series = new SplitSeries();
    const n = columns.step.length;
    for (let i = 0; i < n; i++) {
      series.step.push(columns.step[i]);
      series.epoch.push(columns.epoch[i]);
      series.time.push(columns.time[i]);
    }
    for (const [name, column] of Object.entries(columns.values)) {
      const target = new Column(n);
      for (let i = 0; i < n; i++) target.push(column[i] ?? NaN);
      series.values.set(name, target);
    }
    return series;
  }

  /** Adds one record; a step at or before the last one first cuts the series back (a resumed run). */
  append(record: Pick<MetricsRecord, 'step' | 'epoch' | 'time' | 'values'>): void {
    const n = this.length;
    if (n > 0 && record.step <= this.step.at(n - 1)) this.truncateFrom(record.step);
    const index = this.length;
    this.step.push(record.step);
    this.epoch.push(record.epoch);
    this.time.push(record.time);
    for (const [name, value] of Object.entries(record.values)) {
      let column = this.values.get(name);
      if (!column) {
        column = new Column();
        this.values.set(name, column);
      }
      column.padTo(index);
      column.push(value);
    }
    for (const column of this.values.values()) column.padTo(index + 1);
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  /** The metric's values (NaN where a record lacks it), aligned with `step`. */
  column(name: string): Float64Array | undefined {
    return this.values.get(name)?.view();
  }

  x(kind: XAxisKind): Float64Array {
    return (kind === 'step' ? this.step : kind === 'epoch' ? this.epoch : this.time).view();
  }

  /** Rows as metrics.jsonl has them, for exports. */
  *records(split: Split): Generator<MetricsRecord> {
    const names = this.names();
    for (let i = 0; i < this.length; i++) {
      const values: Record<string, number> = {};
      for (const name of names) {
        const v = this.values.get(name)!.at(i);
        if (Number.isFinite(v)) values[name] = v;
      }
      yield { step: this.step.at(i), epoch: this.epoch.at(i), time: this.time.at(i), split, values };
    }
  }

  private truncateFrom(step: number): void {
    // Steps ascend: find the first entry at or after `step` from the end (resumes cut little).
    let keep = this.length;
    while (keep > 0 && this.step.at(keep - 1) >= step) keep--;
    this.cuts++;
    for (const column of [this.step, this.epoch, this.time, ...this.values.values()]) column.truncate(keep);
  }
}

export class RunSeries {
  train: SplitSeries;
  dev: SplitSeries;
  /** Bumped on every change, so views redraw only what changed. */
  version = 0;

  constructor(
    public run: PanelRun,
    history?: Pick<MetricsRunHistory, 'train' | 'dev'>,
  ) {
    this.train = history ? SplitSeries.fromColumns(history.train) : new SplitSeries();
    this.dev = history ? SplitSeries.fromColumns(history.dev) : new SplitSeries();
  }

  split(split: Split): SplitSeries {
    return split === 'train' ? this.train : this.dev;
  }

  /** Steps trained so far (the last train or dev step). */
  lastStep(): number {
    const last = (s: SplitSeries) => (s.length > 0 ? s.step.at(s.length - 1) : 0);
    return Math.max(last(this.train), last(this.dev));
  }
}

export class MetricsStore {
  private readonly runs = new Map<string, RunSeries>();
  /** Run folders in the order the panel was opened with. */
  order: string[] = [];

  reset(histories: readonly MetricsRunHistory[]): void {
    this.runs.clear();
    this.order = [];
    for (const history of histories) {
      const { train, dev, ...run } = history;
      this.runs.set(run.runDir, new RunSeries(run, { train, dev }));
      this.order.push(run.runDir);
    }
  }

  get(runDir: string): RunSeries | undefined {
    return this.runs.get(runDir);
  }

  all(): RunSeries[] {
    return this.order.map((dir) => this.runs.get(dir)!);
  }

  /** Appends a run's new records; false when the panel does not show that run. */
  append(runDir: string, records: readonly MetricsRecord[]): boolean {
    const series = this.runs.get(runDir);
    if (!series) return false;
    for (const record of records) series.split(record.split).append(record);
    series.version++;
    return true;
  }

  updateRun(runDir: string, change: Partial<PanelRun>): boolean {
    const series = this.runs.get(runDir);
    if (!series) return false;
    series.run = { ...series.run, ...change };
    series.version++;
    return true;
  }

  /** Every (split, metric) some run has logged. */
  presentMetrics(): MetricKey[] {
    const found: MetricKey[] = [];
    for (const series of this.runs.values()) {
      for (const split of ['train', 'dev'] as const) {
        for (const name of series.split(split).names()) found.push({ split, name });
      }
    }
    return found;
  }
}
