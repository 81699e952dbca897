// The best / last / min table under the charts: per run and metric, the best value (by the
// metric's direction), the last and the lowest, each with its step. Pure.

import { higherIsBetter, type MetricKey } from './metricGroups';

export interface AtStep {
  value: number;
  step: number;
}

export interface SummaryRow {
  metric: MetricKey;
  /** Undefined for metrics without a better direction (learning rate, sparsity). */
  best: AtStep | undefined;
  last: AtStep | undefined;
  min: AtStep | undefined;
}

/** Summarises one metric's values (NaN = not logged at that step). Ties keep the earliest step. */
export function summarise(metric: MetricKey, steps: ArrayLike<number>, values: ArrayLike<number>, length = values.length): SummaryRow {
  let min: AtStep | undefined;
  let max: AtStep | undefined;
  let last: AtStep | undefined;
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (!Number.isFinite(value)) continue;
    const here = { value, step: steps[i] };
    if (!min || value < min.value) min = here;
    if (!max || value > max.value) max = here;
    last = here;
  }
  const direction = higherIsBetter(metric);
  return { metric, best: direction === undefined ? undefined : direction ? max : min, last, min };
}

/** The metrics worth a row, in reading order: dev metrics, then dev and train loss. */
export function tableMetrics(present: readonly MetricKey[]): MetricKey[] {
  const unique = new Map(present.map((m) => [`${m.split}:${m.name}`, m]));
  const rank = (m: MetricKey) => (m.split === 'dev' && m.name !== 'loss' ? 0 : m.split === 'dev' ? 1 : m.name === 'loss' ? 2 : 3);
  return [...unique.values()].filter((m) => rank(m) < 3).sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}
