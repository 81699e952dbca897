// Colour scales of the masks panel, built from theme colours: sequential for kept fractions (a
// shade off the editor background for the low end to a chart colour for the high end), diverging
// for the change between two snapshots (one colour for fewer kept, another for more, that shade
// for no change). Pure.

import { mix, type Rgba } from '../shared/color';

export interface ColorScale {
  domain: [number, number];
  color(value: number): Rgba;
  /** Values to label on the legend. */
  ticks: number[];
}

export function sequentialScale(domain: [number, number], low: Rgba, high: Rgba): ColorScale {
  const [lo, hi] = domain;
  const span = hi - lo;
  return {
    domain,
    color: (v) => mix(low, high, span > 0 ? (v - lo) / span : 1),
    ticks: niceTicks(lo, hi, 5),
  };
}

/** Symmetric around 0: −limit is `negative`, 0 is `middle`, +limit is `positive`. */
export function divergingScale(limit: number, negative: Rgba, middle: Rgba, positive: Rgba): ColorScale {
  const l = limit > 0 ? limit : 1;
  return {
    domain: [-l, l],
    color: (v) => (v < 0 ? mix(middle, negative, -v / l) : mix(middle, positive, v / l)),
    ticks: niceTicks(-l, l, 5),
  };
}

/**
 * The domain of kept fractions: [0, 1], or fitted to the values shown (widened to at least 0.01
 * so a uniform snapshot still has a legend). Fitting matters: masks often keep 95–99 % everywhere.
 */
export function keptDomain(values: readonly number[], fit: boolean): [number, number] {
  if (!fit || values.length === 0) return [0, 1];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < 0.01) {
    const middle = (lo + hi) / 2;
    lo = middle - 0.005;
    hi = middle + 0.005;
  }
  return [Math.max(0, lo), Math.min(1, hi)];
}

/** The largest |change|, for a diverging domain; fixed at 1 unless fitted. */
export function diffLimit(values: readonly number[], fit: boolean): number {
  if (!fit) return 1;
  const largest = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return largest > 0 ? largest : 0.01;
}

/** About `count` round values from lo to hi, both ends included. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count - 1);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  const first = Math.ceil(lo / step - 1e-9) * step;
  for (let t = first; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks[0] - lo > step * 0.25) ticks.unshift(lo);
  if (hi - ticks[ticks.length - 1] > step * 0.25) ticks.push(hi);
  return ticks;
}
