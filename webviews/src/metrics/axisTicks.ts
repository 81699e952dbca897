// Tick values and labels for the metric charts. chart.js labels each tick on its own, which mixes
// notations on one axis (`9.8e-4` under `0.001`) and, on a log axis over a narrow range (a loss
// between 0.689 and 0.697), puts its range bounds next to its round ticks until the labels
// overlap. Here an axis gets round ticks and one notation with as many digits as neighbouring
// ticks need to differ. Pure functions.

/** About `count` round values (1, 2, 2.5 or 5 × 10^k apart) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 6): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max < min) [min, max] = [max, min];
  if (max === min) return [min];
  const raw = (max - min) / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw * 0.999) ?? 10 * power;
  const ticks: number[] = [];
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  // Rounded to the step's digits: 0.30000000000000004 → 0.3.
  const digits = Math.min(100, Math.max(0, 2 - Math.floor(Math.log10(step))));
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toFixed(digits)));
  return ticks;
}

/**
 * Ticks of a logarithmic axis over [min, max] (min > 0): over a decade or more, 1-2-5 × 10^k
 * (thinned to about `count`); over less than a decade, round values as on a linear axis, which
 * a log axis that narrow spaces almost evenly.
 */
export function logTicks(min: number, max: number, count = 8): number[] {
  if (!(min > 0) || !(max > 0)) return [];
  if (max < min) [min, max] = [max, min];
  if (max / min < 10) return niceTicks(min, max, 6);
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) ticks.push(v);
    }
  }
  if (ticks.length <= count) return ticks;
  // Many decades: powers of ten only, every n-th.
  const powers = ticks.filter((v) => Number.isInteger(Math.round(Math.log10(v) * 1e6) / 1e6));
  const every = Math.ceil(powers.length / count);
  return powers.filter((_, i) => i % every === 0);
}

/**
 * Labels of one axis' ticks in one notation: exponent form when the largest magnitude is below
 * 0.01 or from 100,000 on, fixed otherwise; with the digits the closest two ticks need to differ.
 */
export function tickLabels(values: readonly number[]): string[] {
  const finite = values.filter((v) => Number.isFinite(v));
  const largest = Math.max(0, ...finite.map((v) => Math.abs(v)));
  if (largest === 0) return values.map((v) => (v === 0 ? '0' : String(v)));
  const sorted = [...new Set(finite)].sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, sorted[i] - sorted[i - 1]);
  if (largest < 1e-2 || largest >= 1e5) {
    // Mantissa digits per value, down to the gap: 9.8e-4 beside 1.00e-3 and 1.02e-3.
    const digits = (v: number) => (gap === Infinity ? 1 : clamp(Math.ceil(Math.floor(Math.log10(Math.abs(v))) - Math.log10(gap) - 1e-9), 0, 6));
    return values.map((v) => (v === 0 ? '0' : v.toExponential(digits(v)).replace('e+', 'e')));
  }
  const decimals = gap === Infinity ? clamp(3 - Math.floor(Math.log10(largest)), 0, 6) : clamp(Math.ceil(-Math.log10(gap) - 1e-9), 0, 8);
  return values.map((v) => {
    const text = v.toFixed(decimals);
    return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
  });
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
