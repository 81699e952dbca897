// Pixels for the drill-down: the block-pooled mask image (or its change between two snapshots)
// coloured through a scale, and the geometry of the score histogram. Pure.

import type { Rgba } from '../shared/color';

/** RGBA bytes (ImageData order) of a width × height grid of values coloured by `color`. */
export function valuesToRgba(values: ArrayLike<number>, color: (value: number) => Rgba): Uint8ClampedArray {
  const out = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const c = color(values[i]);
    out[i * 4] = c.r;
    out[i * 4 + 1] = c.g;
    out[i * 4 + 2] = c.b;
    out[i * 4 + 3] = Math.round(c.a * 255);
  }
  return out;
}

/** Mask image bytes (0–255 kept fraction per cell) as fractions. */
export function keptFractions(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] / 255;
  return out;
}

/** Display size of a w × h image scaled by a whole factor to fit `box` pixels (at least 1×). */
export function pixelScale(width: number, height: number, box: number): { scale: number; width: number; height: number } {
  const scale = Math.max(1, Math.floor(box / Math.max(width, height, 1)));
  return { scale, width: width * scale, height: height * scale };
}

export interface HistogramBar {
  x: number;
  y: number;
  width: number;
  height: number;
  count: number;
  /** Score range of the bin. */
  from: number;
  to: number;
}

export interface HistogramGeometry {
  bars: HistogramBar[];
  /** Horizontal position of the threshold, when it lies within the scores' range. */
  thresholdX?: number;
  maxCount: number;
}

/**
 * Bars of a histogram with equal-width bins from `min` to `max`, scaled into width × height (y
 * grows downwards, bars stand on the bottom edge). Heights are proportional to the square root of
 * the counts when `sqrt`, so a bin holding most scores does not flatten the others.
 */
export function histogramGeometry(
  scores: { min: number; max: number; counts: readonly number[] },
  width: number,
  height: number,
  options: { threshold?: number | null; sqrt?: boolean } = {},
): HistogramGeometry {
  const n = scores.counts.length;
  const maxCount = Math.max(0, ...scores.counts);
  const scaleOf = (c: number) => (options.sqrt ? Math.sqrt(c) : c);
  const top = scaleOf(maxCount);
  const binWidth = n > 0 ? width / n : 0;
  const span = scores.max - scores.min;
  const bars = scores.counts.map((count, i) => {
    const h = top > 0 ? (scaleOf(count) / top) * height : 0;
    return {
      x: i * binWidth,
      y: height - h,
      width: binWidth,
      height: h,
      count,
      from: scores.min + (span * i) / n,
      to: scores.min + (span * (i + 1)) / n,
    };
  });
  const geometry: HistogramGeometry = { bars, maxCount };
  const t = options.threshold;
  if (t !== undefined && t !== null && span > 0 && t >= scores.min && t <= scores.max) geometry.thresholdX = ((t - scores.min) / span) * width;
  return geometry;
}
