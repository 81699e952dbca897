// One chart of the metrics panel (loss, dev metrics, learning rate, sparsity, other): a chart.js
// line chart fed with already smoothed and decimated points (parsing off, no animation), with its
// own log-scale toggles for each axis and a PNG export. Colours come from the theme.

import {
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartDataset,
  type Plugin,
  type Scale,
} from 'chart.js';
import type { XAxisKind } from '../../../schemas/src/webviewMessages';
import { toCss, type Rgba } from '../shared/color';
import { el } from '../shared/dom';
import type { ChartGroup } from './metricGroups';
import type { Drawable } from './seriesBuilder';
import { logTicks, tickLabels } from './axisTicks';
import { formatMetric } from './numberFormat';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, CategoryScale, Filler, Legend, Tooltip);

export interface ChartColors {
  palette: Rgba[];
  foreground: Rgba;
  grid: Rgba;
  background: Rgba;
}

export interface ChartCardEvents {
  logScaleChanged(axis: 'x' | 'y', on: boolean): void;
  exportPng(png: string, title: string): void;
}

type Point = { x: number; y: number };
type LineStyle = Omit<ChartDataset<'line', Point[]>, 'data'>;

const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3]];
const X_TITLES: Record<XAxisKind, string> = { step: 'step', epoch: 'epoch', time: 'wall time (s)' };

/** Paints the canvas with the editor background first, so an exported PNG is not transparent. */
const backgroundPlugin: Plugin<'line', { color: string }> = {
  id: 'masklabBackground',
  beforeDraw(chart, _args, options) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = options.color;
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

export class ChartCard {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly chart: Chart<'line', Point[]>;
  private readonly logX: HTMLInputElement;
  private readonly logY: HTMLInputElement;
  /** Points drawn in the last update (read by tests through the page, and by the status line). */
  pointsDrawn = 0;
  private readonly datasets = new Map<string, ChartDataset<'line', Point[]>>();
  private axesKey = '';

  constructor(
    readonly group: ChartGroup,
    log: { x: boolean; y: boolean },
    private readonly events: ChartCardEvents,
  ) {
    this.canvas = el('canvas', { 'aria-label': `${group.title} chart`, role: 'img' });
    this.logX = el('input', { type: 'checkbox', checked: log.x });
    this.logY = el('input', { type: 'checkbox', checked: log.y });
    this.logX.addEventListener('change', () => this.events.logScaleChanged('x', this.logX.checked));
    this.logY.addEventListener('change', () => this.events.logScaleChanged('y', this.logY.checked));
    const png = el('button', { type: 'button', class: 'secondary', title: `Save the ${group.title} chart as PNG` }, 'PNG');
    png.addEventListener('click', () => this.events.exportPng(this.chart.toBase64Image('image/png', 1), group.title));
    this.element = el(
      'section',
      { class: 'chart-card', 'data-group': group.id },
      el(
        'header',
        {},
        el('h2', {}, group.title),
        el('label', { title: 'Logarithmic x axis' }, this.logX, 'log x'),
        el('label', { title: 'Logarithmic y axis' }, this.logY, 'log y'),
        png,
      ),
      el('div', { class: 'chart-box' }, this.canvas),
    );
    this.chart = new Chart<'line', Point[]>(this.canvas, {
      type: 'line',
      data: { datasets: [] },
      plugins: [backgroundPlugin as Plugin<'line'>],
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        spanGaps: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        elements: { point: { radius: 0, hitRadius: 4 }, line: { borderWidth: 1.5, tension: 0 } },
        scales: { x: { type: 'linear' }, y: { type: 'linear' } },
        plugins: {
          legend: { labels: { boxWidth: 12, filter: (item) => !String(item.text).startsWith('\u200b') } },
          tooltip: {
            filter: (item) => !String(item.dataset.label).startsWith('\u200b'),
            callbacks: { label: (item) => `${item.dataset.label}: ${formatMetric((item.raw as Point).y)}` },
          },
        },
      },
    });
  }

  get logScale(): { x: boolean; y: boolean } {
    return { x: this.logX.checked, y: this.logY.checked };
  }

  /** Chart width in pixels: the number of decimation buckets worth drawing. */
  get width(): number {
    return this.chart.chartArea?.width ?? (this.canvas.clientWidth || 600);
  }

  update(drawables: readonly Drawable[], xAxis: XAxisKind, colors: ChartColors): void {
    const datasets: ChartDataset<'line', Point[]>[] = [];
    const used = new Set<string>();
    // Datasets are kept from one update to the next and only their data replaced: chart.js then
    // reuses what it resolved of their options, which is most of an update's cost.
    const put = (key: string, style: LineStyle, data: Point[]) => {
      let dataset = this.datasets.get(key);
      if (!dataset) {
        dataset = { ...style, data };
        this.datasets.set(key, dataset);
      } else {
        dataset.data = data;
        const target = dataset as unknown as Record<string, unknown>;
        for (const [name, value] of Object.entries(style)) if (JSON.stringify(target[name]) !== JSON.stringify(value)) target[name] = value;
      }
      used.add(key);
      datasets.push(dataset);
    };
    let points = 0;
    let lines = 0;
    let maxX = -Infinity;
    for (const d of drawables) {
      const color = colors.palette[d.colorIndex % colors.palette.length];
      if (d.band) {
        // Two hidden-label datasets, the second filled to the first: the band behind the line.
        const edge = { borderColor: toCss(color, d.band.kind === 'std' ? 0 : 0.35), borderWidth: d.band.kind === 'std' ? 0 : 0.75, pointRadius: 0 };
        put(`${d.id}:high`, { label: `\u200b${d.id}:high`, ...edge, fill: false }, zip(d.band.x, d.band.high));
        put(`${d.id}:low`, { label: `\u200b${d.id}:low`, ...edge, backgroundColor: toCss(color, d.band.kind === 'std' ? 0.22 : 0.14), fill: '-1' }, zip(d.band.x, d.band.low));
        points += d.band.x.length * 2;
      }
      put(
        d.id,
        { label: d.label, borderColor: toCss(color), backgroundColor: toCss(color), borderDash: DASHES[d.dash % DASHES.length], pointRadius: d.line.x.length === 1 ? 3 : 0, fill: false },
        zip(d.line.x, d.line.y),
      );
      points += d.line.x.length;
      if (d.line.x.length > 0) lines++;
      for (const x of d.line.x) if (x > maxX) maxX = x;
    }
    for (const key of [...this.datasets.keys()]) if (!used.has(key)) this.datasets.delete(key);
    this.pointsDrawn = points;
    // What the chart draws, for the real-editor test and the benchmark (they read the page
    // through the webview frame): curves, points, and how far along the x axis they reach.
    Object.assign(this.element.dataset, { lines: String(lines), points: String(points), maxX: Number.isFinite(maxX) ? String(maxX) : '' });
    this.setAxes(xAxis, colors);
    this.chart.data.datasets = datasets;
    this.chart.update('none');
  }

  /** Axis and colour options, replaced only when they change (replacing them makes chart.js resolve everything again). */
  private setAxes(xAxis: XAxisKind, colors: ChartColors): void {
    const foreground = toCss(colors.foreground);
    const grid = toCss(colors.grid);
    const key = JSON.stringify([xAxis, this.logX.checked, this.logY.checked, foreground, grid, toCss(colors.background)]);
    if (key === this.axesKey) return;
    this.axesKey = key;
    // Tick labels are made for a whole axis at once (one notation, enough digits): cached per tick list.
    const labels = new WeakMap<object, string[]>();
    const axis = (title: string, log: boolean) => ({
      type: log ? ('logarithmic' as const) : ('linear' as const),
      title: { display: true, text: title, color: foreground },
      ticks: {
        color: foreground,
        maxTicksLimit: 8,
        callback: (_value: string | number, index: number, ticks: { value: number }[]) => {
          let made = labels.get(ticks);
          if (!made) labels.set(ticks, (made = tickLabels(ticks.map((t) => t.value))));
          return made[index];
        },
      },
      // chart.js puts a log axis' bounds among its ticks, where they collide with the round ones.
      afterBuildTicks: log ? (scale: Scale) => void (scale.ticks = logTicks(scale.min, scale.max).map((value) => ({ value }))) : undefined,
      grid: { color: grid },
      border: { color: grid },
    });
    const options = this.chart.options;
    options.scales = { x: axis(X_TITLES[xAxis], this.logX.checked), y: axis(this.group.unit, this.logY.checked) };
    options.color = foreground;
    (options.plugins as Record<string, unknown>).masklabBackground = { color: toCss(colors.background) };
  }

  destroy(): void {
    this.chart.destroy();
    this.element.remove();
  }
}

function zip(x: readonly number[], y: readonly number[]): Point[] {
  const points = new Array<Point>(x.length);
  for (let i = 0; i < x.length; i++) points[i] = { x: x[i], y: y[i] };
  return points;
}
