// What one chart draws, as plain arrays: per run (or per group of seeds) and metric, the smoothed
// line decimated to the chart's width, and the band behind it (the raw min/max envelope for one
// run, mean ± one standard deviation for a group). Smoothing results are cached per series until
// its run changes, so a redraw after a live append recomputes only the run that grew. DOM-free.

import type { XAxisKind } from '../../../schemas/src/webviewMessages';
import { meanStd, type SeedGroup } from './aggregation';
import { decimateMinMax, linearPosition, logPosition, minMaxEnvelope, type Position, type XY } from './decimation';
import { metricLabel, type ChartGroup, type MetricKey } from './metricGroups';
import { Column, type MetricsStore, type RunSeries, type SplitSeries } from './metricsStore';
import { DebiasedEma } from './smoothing';

export interface Band {
  kind: 'envelope' | 'std';
  x: number[];
  low: number[];
  high: number[];
}

export interface Drawable {
  id: string;
  label: string;
  /** Index into the panel's palette: one colour per run or seed group. */
  colorIndex: number;
  /** Position of the metric within its chart: 0 solid, 1 dashed, … */
  dash: number;
  line: XY;
  band?: Band;
}

export interface BuildOptions {
  xAxis: XAxisKind;
  smoothing: number;
  /** Horizontal buckets: about the chart's width in pixels. */
  buckets: number;
  logX: boolean;
  /** Runs to draw (unticked ones are left out). */
  visible: ReadonlySet<string>;
  groups: readonly SeedGroup[];
}

/** A metric of one run with the steps that logged it, and its smoothed values. */
interface Compact {
  step: Float64Array;
  x: Float64Array;
  raw: Float64Array;
  smoothed: Float64Array;
  /** Extent of x (and its smallest positive value, for a log axis). */
  minX: number;
  maxX: number;
  minPositiveX: number;
}

/**
 * A Compact kept up to date as its run grows: new rows are appended and smoothed from where the
 * last ones left off, so a live append costs the new rows, not the run's 100,000 earlier ones.
 */
class GrowingCompact {
  readonly step = new Column();
  readonly x = new Column();
  readonly raw = new Column();
  readonly smoothed = new Column();
  /** Rows of the source split read so far. */
  consumed = 0;
  private readonly ema: DebiasedEma;
  /** The series' value while it has been constant (drawn as is, with no smoothing wobble); null once it varies. */
  private constant: number | null | undefined;
  minX = Infinity;
  maxX = -Infinity;
  minPositiveX = Infinity;

  constructor(
    readonly source: SplitSeries,
    readonly cuts: number,
    readonly settings: string,
    private readonly smoothing: number,
  ) {
    this.ema = new DebiasedEma(smoothing);
  }

  extend(steps: Float64Array, xs: Float64Array, values: Float64Array): void {
    for (let i = this.consumed; i < values.length; i++) {
      const value = values[i];
      if (!Number.isFinite(value)) continue;
      const x = xs[i];
      this.step.push(steps[i]);
      this.x.push(x);
      this.raw.push(value);
      if (this.smoothing > 0) {
        const smoothed = this.ema.next(value);
        if (this.constant === undefined) this.constant = value;
        else if (this.constant !== null && value !== this.constant) this.constant = null;
        this.smoothed.push(this.constant === null ? smoothed : value);
      }
      if (x < this.minX) this.minX = x;
      if (x > this.maxX) this.maxX = x;
      if (x > 0 && x < this.minPositiveX) this.minPositiveX = x;
    }
    this.consumed = values.length;
  }

  view(): Compact {
    const raw = this.raw.view();
    return {
      step: this.step.view(),
      x: this.x.view(),
      raw,
      smoothed: this.smoothing > 0 ? this.smoothed.view() : raw,
      minX: this.minX,
      maxX: this.maxX,
      minPositiveX: this.minPositiveX,
    };
  }
}

export class SeriesBuilder {
  private readonly cache = new Map<string, GrowingCompact>();

  constructor(private readonly store: MetricsStore) {}

  build(group: ChartGroup, options: BuildOptions): Drawable[] {
    const entities = this.entities(options);
    // First the compacted series (cached), then the x range they span, then the bucketing.
    const prepared = entities.map((entity) => ({
      entity,
      metrics: group.metrics.map((metric) => ({
        metric,
        members: entity.members.map((run) => this.compact(run, metric, options)).filter((c): c is Compact => c !== undefined),
      })),
    }));
    let low = Infinity;
    let high = -Infinity;
    for (const { metrics } of prepared) {
      for (const { members } of metrics) {
        for (const c of members) {
          low = Math.min(low, options.logX ? c.minPositiveX : c.minX);
          if (!options.logX || c.maxX > 0) high = Math.max(high, c.maxX);
        }
      }
    }
    if (!(high >= low)) return [];
    const position: Position = options.logX ? logPosition(low, high) : linearPosition(low, high);
    const buckets = Math.max(16, Math.round(options.buckets));

    const drawables: Drawable[] = [];
    // One run (or group) alone: each metric gets its own colour; several: each run does, and
    // its metrics differ by dash pattern.
    const alone = prepared.length === 1;
    for (const { entity, metrics } of prepared) {
      metrics.forEach(({ metric, members }, index) => {
        const dash = alone ? 0 : index;
        const colorIndex = alone ? index : entity.colorIndex;
        if (members.length === 0) return;
        const id = `${entity.key}|${metric.split}:${metric.name}`;
        const label = `${entity.label} · ${metricLabel(metric)}`;
        if (members.length === 1) {
          const [c] = members;
          const line = decimateMinMax(c.x, c.smoothed, buckets, position);
          const band =
            options.smoothing > 0 ? { kind: 'envelope' as const, ...bandOf(minMaxEnvelope(c.x, c.raw, buckets, position)) } : undefined;
          drawables.push({ id, label, colorIndex, dash, line, band });
          return;
        }
        const stats = meanStd(members.map((c) => ({ step: c.step, x: c.x, y: c.smoothed, length: c.step.length })));
        const lows = stats.mean.map((m, i) => m - stats.std[i]);
        const highs = stats.mean.map((m, i) => m + stats.std[i]);
        const lowEnvelope = minMaxEnvelope(stats.x, lows, buckets, position);
        const highEnvelope = minMaxEnvelope(stats.x, highs, buckets, position);
        drawables.push({
          id,
          label: `${label} (mean of ${members.length})`,
          colorIndex,
          dash,
          line: decimateMinMax(stats.x, stats.mean, buckets, position),
          band: { kind: 'std', x: lowEnvelope.x, low: lowEnvelope.low, high: highEnvelope.high },
        });
      });
    }
    return drawables;
  }

  /** Runs and seed groups to draw, each with its colour (the position of its first run). */
  private entities(options: BuildOptions): { key: string; label: string; colorIndex: number; members: RunSeries[] }[] {
    const all = this.store.all();
    const indexOf = new Map(all.map((s, i) => [s.run.runDir, i]));
    const grouped = new Set<string>();
    const out: { key: string; label: string; colorIndex: number; members: RunSeries[]; order: number }[] = [];
    for (const group of options.groups) {
      const members = group.runDirs.filter((d) => options.visible.has(d)).map((d) => this.store.get(d)).filter((s): s is RunSeries => !!s);
      group.runDirs.forEach((d) => grouped.add(d));
      if (members.length === 0) continue;
      // The colour of the group's first run, ticked or not, so it keeps its colour as runs are hidden.
      const colorIndex = Math.min(...group.runDirs.map((d) => indexOf.get(d) ?? 0));
      out.push({ key: `group:${group.key}`, label: group.label, colorIndex, members, order: colorIndex });
    }
    all.forEach((series, i) => {
      if (grouped.has(series.run.runDir) || !options.visible.has(series.run.runDir)) return;
      out.push({ key: series.run.runDir, label: runLabel(series), colorIndex: i, members: [series], order: i });
    });
    return out.sort((a, b) => a.order - b.order);
  }

  private compact(series: RunSeries, metric: MetricKey, options: BuildOptions): Compact | undefined {
    const split = series.split(metric.split);
    const values = split.column(metric.name);
    if (!values) return undefined;
    const key = `${series.run.runDir}|${metric.split}:${metric.name}`;
    const settings = `${options.xAxis}|${options.smoothing}`;
    let growing = this.cache.get(key);
    // Anything but rows appended since the last build (other settings, a resumed run cut back,
    // a fresh history after a reload) starts the series over.
    if (!growing || growing.source !== split || growing.cuts !== split.cuts || growing.settings !== settings || values.length < growing.consumed) {
      growing = new GrowingCompact(split, split.cuts, settings, options.smoothing);
      this.cache.set(key, growing);
    }
    growing.extend(split.step.view(), split.x(options.xAxis), values);
    return growing.view();
  }

  /** Forgets runs no longer shown. */
  retain(runDirs: ReadonlySet<string>): void {
    for (const key of this.cache.keys()) if (!runDirs.has(key.slice(0, key.lastIndexOf('|')))) this.cache.delete(key);
  }
}

function bandOf(envelope: { x: number[]; low: number[]; high: number[] }): Omit<Band, 'kind'> {
  return { x: envelope.x, low: envelope.low, high: envelope.high };
}

/** `quickstart · 2n22`: the run's name and the random part of its id, which tells runs apart. */
export function runLabel(series: Pick<RunSeries, 'run'>): string {
  const { name, runId } = series.run;
  const suffix = /-([a-z0-9]{4})(-cell\d+)?$/.exec(runId)?.[1] ?? runId;
  return `${name} · ${suffix}`;
}
