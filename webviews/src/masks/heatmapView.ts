// Paints the blocks × matrices heatmap on a canvas (crisp at any device pixel ratio), with row
// and column headings, the value in each cell when it fits, the selected cell outlined, a legend
// strip for the colour scale, and a tooltip on hover. Clicking (or Enter on) a cell selects it.

import { over, readableOn, toCss, type Rgba } from '../shared/color';
import { el } from '../shared/dom';
import type { ColorScale } from './colorScale';
import type { HeatmapCell, HeatmapLayout } from './heatmapLayout';

export interface HeatmapColors {
  foreground: Rgba;
  muted: Rgba;
  background: Rgba;
  focus: Rgba;
  /** Cell outlines: the theme's contrast border in high-contrast themes, else none. */
  border: Rgba | undefined;
  /** Canvas text cannot use CSS variables: the editor's font family, resolved. */
  fontFamily: string;
}

const LABEL_WIDTH = 70;
const HEADER_HEIGHT = 22;
const GAP = 2;

export interface HeatmapOptions {
  /** Screen readers' name for the grid. */
  label: string;
  /** Called with the clicked (or arrow-key reached) cell. */
  onSelect(cell: HeatmapCell): void;
  /** Cell width bounds in CSS pixels, and the row height. */
  minCell?: number;
  maxCell?: number;
  cellHeight?: number;
  /** Print each cell's value in it (when it fits). */
  showValues?: boolean;
  /** The tooltip's text for a cell. */
  describe?(cell: HeatmapCell, value: string): string;
}

export class HeatmapView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly legend = el('canvas', { 'aria-hidden': 'true', class: 'legend' });
  private readonly tooltip = el('div', { class: 'tooltip', role: 'tooltip', hidden: true });
  private layout: HeatmapLayout = { rows: [], columns: [], cells: [] };
  private cellWidth = 60;
  private readonly cellHeight: number;
  private selected: string | null = null;
  /** Cells painted in the last paint (read by tests through the page). */
  painted = 0;
  private last: { scale: ColorScale; colors: HeatmapColors; format: (v: number) => string; legendTitle: string } | undefined;

  constructor(private readonly options: HeatmapOptions) {
    this.cellHeight = options.cellHeight ?? 28;
    this.canvas = el('canvas', { tabindex: 0, role: 'grid', 'aria-label': options.label });
    this.element = el('div', { class: 'heatmap' }, this.canvas, this.legend, this.tooltip);
    this.canvas.addEventListener('click', (event) => {
      const cell = this.cellAt(event.offsetX, event.offsetY);
      if (cell) this.options.onSelect(cell);
    });
    this.canvas.addEventListener('mousemove', (event) => this.hover(event.offsetX, event.offsetY));
    this.canvas.addEventListener('mouseleave', () => (this.tooltip.hidden = true));
    this.canvas.addEventListener('keydown', (event) => this.key(event));
  }

  paint(
    layout: HeatmapLayout,
    scale: ColorScale,
    colors: HeatmapColors,
    selected: string | null,
    format: (value: number) => string,
    legendTitle: string,
  ): void {
    this.layout = layout;
    this.selected = selected;
    this.last = { scale, colors, format, legendTitle };
    const available = Math.max(200, (this.element.clientWidth || 600) - LABEL_WIDTH - 8);
    const columns = Math.max(1, layout.columns.length);
    this.cellWidth = Math.max(this.options.minCell ?? 34, Math.min(this.options.maxCell ?? 96, Math.floor(available / columns)));
    const width = LABEL_WIDTH + columns * this.cellWidth;
    const height = HEADER_HEIGHT + layout.rows.length * this.cellHeight;
    const ctx = sized(this.canvas, width, height);
    ctx.clearRect(0, 0, width, height);
    ctx.font = `11px ${colors.fontFamily}`;
    ctx.textBaseline = 'middle';

    ctx.fillStyle = toCss(colors.muted);
    ctx.textAlign = 'center';
    // Narrow columns (many steps in the history strip): label every n-th, always the last.
    const every = Math.max(1, Math.ceil(40 / this.cellWidth));
    layout.columns.forEach((c, i) => {
      if (i % every !== 0 && i !== layout.columns.length - 1) return;
      if (i !== layout.columns.length - 1 && layout.columns.length - 1 - i < every && every > 1) return;
      ctx.fillText(c.label, LABEL_WIDTH + (i + 0.5) * this.cellWidth, HEADER_HEIGHT / 2, Math.max(this.cellWidth, 40) - 4);
    });
    ctx.textAlign = 'right';
    layout.rows.forEach((r, i) => ctx.fillText(r.label, LABEL_WIDTH - 8, HEADER_HEIGHT + (i + 0.5) * this.cellHeight, LABEL_WIDTH - 10));

    ctx.textAlign = 'center';
    const light = colors.foreground;
    const dark = colors.background;
    let painted = 0;
    for (const cell of layout.cells) {
      const { x, y, w, h } = this.rect(cell);
      const fill = scale.color(cell.value);
      ctx.fillStyle = toCss(fill);
      ctx.fillRect(x, y, w, h);
      if (colors.border) {
        ctx.strokeStyle = toCss(colors.border);
        ctx.lineWidth = 1;
        ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
      }
      if (w >= 34 && this.options.showValues !== false) {
        ctx.fillStyle = toCss(readableOn(over(fill, colors.background), light, dark));
        ctx.fillText(format(cell.value), x + w / 2, y + h / 2, w - 4);
      }
      painted++;
    }
    const chosen = layout.cells.find((c) => keyOf(c) === selected);
    if (chosen) {
      const { x, y, w, h } = this.rect(chosen);
      ctx.strokeStyle = toCss(colors.focus);
      ctx.lineWidth = 2;
      ctx.strokeRect(x + 1, y + 1, w - 2, h - 2);
    }
    this.painted = painted;
    this.paintLegend(scale, colors, legendTitle, format, width);
  }

  private paintLegend(scale: ColorScale, colors: HeatmapColors, title: string, format: (v: number) => string, width: number): void {
    const height = 40;
    const x0 = LABEL_WIDTH;
    const barWidth = Math.max(240, Math.min(360, width - LABEL_WIDTH - 20));
    // The title goes right of the bar (a long one would not fit the label column); the legend
    // keeps a readable width under a narrow grid (a history strip of a few steps).
    const measure = this.legend.getContext('2d')!;
    measure.font = `11px ${colors.fontFamily}`;
    width = Math.max(width, x0 + barWidth + 12 + measure.measureText(title).width + 4);
    const ctx = sized(this.legend, width, height);
    ctx.clearRect(0, 0, width, height);
    const [lo, hi] = scale.domain;
    for (let i = 0; i < barWidth; i++) {
      ctx.fillStyle = toCss(scale.color(lo + ((hi - lo) * i) / (barWidth - 1)));
      ctx.fillRect(x0 + i, 4, 1, 12);
    }
    if (colors.border) {
      ctx.strokeStyle = toCss(colors.border);
      ctx.strokeRect(x0 + 0.5, 4.5, barWidth - 1, 11);
    }
    ctx.font = `11px ${colors.fontFamily}`;
    ctx.fillStyle = toCss(colors.muted);
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left';
    ctx.fillText(title, x0 + barWidth + 12, 4);
    ctx.textAlign = 'center';
    // A label that would touch the one before it is left out (its tick mark stays).
    let labelledTo = -Infinity;
    for (const tick of scale.ticks) {
      const x = x0 + ((tick - lo) / (hi - lo || 1)) * (barWidth - 1);
      ctx.fillRect(x, 16, 1, 4);
      const label = format(tick);
      const half = ctx.measureText(label).width / 2;
      const at = Math.min(Math.max(x, x0 + half), x0 + barWidth - half);
      if (at - half < labelledTo + 6) continue;
      ctx.fillText(label, at, 22);
      labelledTo = at + half;
    }
  }

  private rect(cell: HeatmapCell): { x: number; y: number; w: number; h: number } {
    // Narrow cells lose their gap rather than their colour.
    const gap = this.cellWidth >= 12 ? GAP : 0;
    return {
      x: LABEL_WIDTH + cell.column * this.cellWidth + gap / 2,
      y: HEADER_HEIGHT + cell.row * this.cellHeight + GAP / 2,
      w: this.cellWidth - gap,
      h: this.cellHeight - GAP,
    };
  }

  private cellAt(x: number, y: number): HeatmapCell | undefined {
    const column = Math.floor((x - LABEL_WIDTH) / this.cellWidth);
    const row = Math.floor((y - HEADER_HEIGHT) / this.cellHeight);
    if (x < LABEL_WIDTH || y < HEADER_HEIGHT) return undefined;
    return this.layout.cells.find((c) => c.row === row && c.column === column);
  }

  private hover(x: number, y: number): void {
    const cell = this.cellAt(x, y);
    if (!cell || !this.last) {
      this.tooltip.hidden = true;
      return;
    }
    const [rows, cols] = cell.matrix.shape;
    const value = `${this.last.legendTitle} ${this.last.format(cell.value)}`;
    this.tooltip.textContent = this.options.describe?.(cell, value) ?? `${cell.matrix.name} · ${rows}×${cols} · ${value}`;
    this.tooltip.style.left = `${Math.min(x + 12, Math.max(0, (this.element.clientWidth || 600) - 320))}px`;
    this.tooltip.style.top = `${y + 14}px`;
    this.tooltip.hidden = false;
  }

  /** Arrow keys move the selection between cells; it follows the grid, skipping empty places. */
  private key(event: KeyboardEvent): void {
    const moves: Record<string, [number, number]> = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const cells = this.layout.cells;
    const current = cells.find((c) => keyOf(c) === this.selected) ?? cells[0];
    if (!current) return;
    let [row, column] = [current.row, current.column];
    for (let i = 0; i < 16; i++) {
      row += move[0];
      column += move[1];
      const next = cells.find((c) => c.row === row && c.column === column);
      if (next) {
        this.options.onSelect(next);
        return;
      }
    }
  }
}

function keyOf(cell: HeatmapCell): string {
  return cell.key ?? cell.matrix.name;
}

/** A canvas of width × height CSS pixels backed by device pixels; returns its scaled context. */
export function sized(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}
