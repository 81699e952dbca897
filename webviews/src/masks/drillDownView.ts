// One matrix up close: its block-pooled mask image (each pixel the kept fraction of a block of
// weights; in diff mode the change of that fraction), scaled up without smoothing, and the
// histogram of its scores with the method's threshold. Painted from theme colours.

import type { MaskMatrixSnapshot } from '../../../schemas/src/trainerMessages';
import { toCss, type Rgba } from '../shared/color';
import { clear, el } from '../shared/dom';
import type { ColorScale } from './colorScale';
import { sized, type HeatmapColors } from './heatmapView';
import { histogramGeometry, pixelScale, valuesToRgba } from './maskImage';

export interface DrillDownContent {
  matrix: MaskMatrixSnapshot;
  /** Values per image cell: kept fractions, or changes in diff mode. */
  values: ArrayLike<number> | undefined;
  scale: ColorScale;
  /** One line under the title: kept fraction, change. */
  summary: string;
  /** The baseline's scores, outlined behind the current ones in diff mode. */
  baseScores?: MaskMatrixSnapshot['scores'];
  threshold: number | null;
  imageCaption: string;
}

const IMAGE_BOX = 256;
const HISTOGRAM = { width: 300, height: 110, axis: 16 };

export class DrillDownView {
  readonly element = el('aside', { class: 'drill-down', 'aria-live': 'polite' });

  show(content: DrillDownContent | undefined, colors: HeatmapColors & { bar: Rgba; baseBar: Rgba; threshold: Rgba }): void {
    clear(this.element);
    if (!content) {
      this.element.append(el('p', { class: 'hint' }, 'Click a cell (or use the arrow keys on the heatmap) to see its mask image and score histogram.'));
      return;
    }
    const { matrix } = content;
    const [rows, cols] = matrix.shape;
    this.element.append(el('h2', {}, matrix.name), el('p', {}, `${rows} × ${cols} · ${content.summary}`));

    const { width, height } = matrix.image;
    if (content.values && content.values.length === width * height) {
      const source = document.createElement('canvas');
      source.width = width;
      source.height = height;
      const pixels = new ImageData(valuesToRgba(content.values, content.scale.color) as Uint8ClampedArray<ArrayBuffer>, width, height);
      source.getContext('2d')!.putImageData(pixels, 0, 0);
      const size = pixelScale(width, height, IMAGE_BOX);
      const image = el('canvas', { class: 'mask-image', role: 'img', 'aria-label': `Block-pooled mask of ${matrix.name}` });
      const ctx = sized(image, size.width, Math.max(size.height, 4));
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(source, 0, 0, size.width, size.height);
      if (colors.border) {
        ctx.strokeStyle = toCss(colors.border);
        ctx.strokeRect(0.5, 0.5, size.width - 1, size.height - 1);
      }
      this.element.append(el('figure', {}, image, el('figcaption', {}, content.imageCaption)));
    } else {
      this.element.append(el('p', { class: 'notice warning' }, 'The mask image of this matrix could not be read (or differs in size between the two snapshots).'));
    }

    if (matrix.scores && matrix.scores.counts.length > 0) {
      this.element.append(el('figure', {}, this.histogram(matrix.scores, content, colors), el('figcaption', {}, histogramCaption(content))));
    } else {
      this.element.append(el('p', { class: 'hint' }, 'No scores for this matrix (the method keeps none).'));
    }
  }

  private histogram(
    scores: NonNullable<MaskMatrixSnapshot['scores']>,
    content: DrillDownContent,
    colors: HeatmapColors & { bar: Rgba; baseBar: Rgba; threshold: Rgba },
  ): HTMLCanvasElement {
    const canvas = el('canvas', { class: 'histogram', role: 'img', 'aria-label': 'Histogram of the scores' });
    const { width, height, axis } = HISTOGRAM;
    const ctx = sized(canvas, width, height + axis);
    const plot = height;
    const geometry = histogramGeometry(scores, width, plot, { threshold: content.threshold, sqrt: true });
    ctx.fillStyle = toCss(colors.bar);
    for (const bar of geometry.bars) ctx.fillRect(bar.x + 0.5, bar.y, Math.max(1, bar.width - 1), bar.height);
    if (content.baseScores && content.baseScores.counts.length > 0) {
      // The baseline drawn as an outline on the same score axis, where the ranges overlap.
      const base = histogramGeometry(content.baseScores, width, plot, { sqrt: true });
      const span = scores.max - scores.min || 1;
      const toX = (score: number) => ((score - scores.min) / span) * width;
      ctx.strokeStyle = toCss(colors.baseBar);
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (const bar of base.bars) {
        ctx.moveTo(toX(bar.from), bar.y);
        ctx.lineTo(toX(bar.to), bar.y);
      }
      ctx.stroke();
    }
    if (geometry.thresholdX !== undefined) {
      ctx.strokeStyle = toCss(colors.threshold);
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(geometry.thresholdX + 0.5, 0);
      ctx.lineTo(geometry.thresholdX + 0.5, plot);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.fillStyle = toCss(colors.muted);
    ctx.font = `11px ${colors.fontFamily}`;
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left';
    ctx.fillText(formatScore(scores.min), 0, plot + 3);
    ctx.textAlign = 'right';
    ctx.fillText(formatScore(scores.max), width, plot + 3);
    return canvas;
  }
}

function histogramCaption(content: DrillDownContent): string {
  const parts = ['scores (bar height ∝ √count)'];
  if (content.threshold !== null) parts.push(`dashed: threshold ${formatScore(content.threshold)}`);
  if (content.baseScores) parts.push('outline: baseline');
  return parts.join(' · ');
}

function formatScore(value: number): string {
  return Math.abs(value) >= 1e3 || (value !== 0 && Math.abs(value) < 1e-3) ? value.toExponential(2) : value.toFixed(3);
}
