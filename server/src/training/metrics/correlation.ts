// Correlation metrics for regression (STS-B). A constant vector has no defined correlation
// (0/0); we report 0 — "no linear/monotone relation shown", the same convention as MCC — and
// say so through `correlationIsDegenerate`, which computeMetrics turns into a warning, rather
// than letting a NaN poison best-checkpoint comparisons.

import { checkPaired } from './classification';

/** True when x or y is constant, so Pearson and Spearman are undefined (reported as 0). */
export function correlationIsDegenerate(x: ArrayLike<number>, y: ArrayLike<number>): boolean {
  return isConstant(x) || isConstant(y);
}

/**
 * Pearson's r, computed around the means (two passes) for numerical stability. NaN when any
 * value is not finite (a diverged model), so that failure is never mistaken for a real score.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPaired(x, y, 'pearson');
  if (!allFinite(x) || !allFinite(y)) return Number.NaN;
  const n = x.length;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i];
    meanY += y[i];
  }
  meanX /= n;
  meanY /= n;
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - meanX;
    const dy = y[i] - meanY;
    covariance += dx * dy;
    varianceX += dx * dx;
    varianceY += dy * dy;
  }
  if (varianceX === 0 || varianceY === 0) return 0;
  // Clamp rounding overshoot so a perfect fit reads exactly ±1, never 1.0000000000000002.
  return Math.max(-1, Math.min(1, covariance / Math.sqrt(varianceX * varianceY)));
}

/** 1-based ranks; tied values share the average of the ranks they span. */
export function averageRanks(values: ArrayLike<number>): number[] {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    // Positions start…end-1 hold ranks start+1…end; their mean is (start+1+end)/2.
    const rank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) ranks[order[i]] = rank;
    start = end;
  }
  return ranks;
}

/** Spearman's ρ: Pearson's r of the average ranks (correct with ties); NaN for non-finite input. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPaired(x, y, 'spearman');
  if (!allFinite(x) || !allFinite(y)) return Number.NaN;
  return pearson(averageRanks(x), averageRanks(y));
}

function isConstant(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}

function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}
