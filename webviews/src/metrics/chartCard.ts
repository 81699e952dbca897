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
} from 'chart.js';
import type { XAxisKind } from '../../../schemas/src/webviewMessages';
import { toCss, type Rgba } from '../shared/color';
import { el } from '../shared/dom';
import type { ChartGroup } from './metricGroups';
import type { Drawable } from './seriesBuilder';
import { formatMetric, formatTick } from './numberFormat';

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
    let points = 0;
    for (const d of drawables) {
      const color = colors.palette[d.colorIndex % colors.palette.length];
      if (d.band) {
        // Two hidden-label datasets, the second filled to the first: the band behind the line.
        const faint = toCss(color, d.band.kind === 'std' ? 0.22 : 0.14);
        datasets.push({
          label: `\u200b${d.id}:high`,
          data: zip(d.band.x, d.band.high),
          borderColor: toCss(color, d.band.kind === 'std' ? 0 : 0.35),
          borderWidth: d.band.kind === 'std' ? 0 : 0.75,
          pointRadius: 0,
          fill: false,
        });
        datasets.push({
          label: `\u200b${d.id}:low`,
          data: zip(d.band.x, d.band.low),
          borderColor: toCss(color, d.band.kind === 'std' ? 0 : 0.35),
          borderWidth: d.band.kind === 'std' ? 0 : 0.75,
          backgroundColor: faint,
          pointRadius: 0,
          fill: '-1',
        });
        points += d.band.x.length * 2;
      }
      datasets.push({
        label: d.label,
        data: zip(d.line.x, d.line.y),
        borderColor: toCss(color),
        backgroundColor: toCss(color),
        borderDash: DASHES[d.dash % DASHES.length],
        pointRadius: d.line.x.length === 1 ? 3 : 0,
        fill: false,
      });
      points += d.line.x.length;
    }
    this.pointsDrawn = points;
    const foreground = toCss(colors.foreground);
    const grid = toCss(colors.grid);
    const axis = (title: string, log: boolean) => ({
      type: log ? ('logarithmic' as const) : ('linear' as const),
      title: { display: true, text: title, color: foreground },
      ticks: { color: foreground, maxTicksLimit: 8, callback: (value: string | number) => formatTick(Number(value)) },
      grid: { color: grid },
      border: { color: grid },
    });
    const options = this.chart.options;
    options.scales = { x: axis(X_TITLES[xAxis], this.logX.checked), y: axis(this.group.unit, this.logY.checked) };
    options.color = foreground;
    (options.plugins as Record<string, unknown>).masklabBackground = { color: toCss(colors.background) };
    this.chart.data.datasets = datasets;
    this.chart.update('none');
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
