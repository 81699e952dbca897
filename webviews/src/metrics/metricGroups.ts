// Which chart each logged metric goes on: loss (train and dev together), learning rate, the dev
// metrics, sparsity, and anything else the trainer logs (e.g. grad_norm). Pure functions.

export type Split = 'train' | 'dev';

export type ChartGroupId = 'loss' | 'lr' | 'dev' | 'sparsity' | 'other';

export interface MetricKey {
  split: Split;
  name: string;
}

export interface ChartGroup {
  id: ChartGroupId;
  title: string;
  /** The y axis as a reader says it. */
  unit: string;
  metrics: MetricKey[];
}

const ORDER: ChartGroupId[] = ['loss', 'dev', 'lr', 'sparsity', 'other'];
const TITLES: Record<ChartGroupId, { title: string; unit: string }> = {
  loss: { title: 'Loss', unit: 'loss' },
  dev: { title: 'Dev metrics', unit: 'fraction' },
  lr: { title: 'Learning rate', unit: 'learning rate' },
  sparsity: { title: 'Sparsity', unit: 'fraction masked' },
  other: { title: 'Other', unit: 'value' },
};

const LEARNING_RATE = new Set(['lr', 'learning_rate']);

export function groupOf(metric: MetricKey): ChartGroupId {
  if (metric.name === 'loss') return 'loss';
  if (metric.split === 'dev') return 'dev';
  if (LEARNING_RATE.has(metric.name)) return 'lr';
  if (metric.name === 'sparsity') return 'sparsity';
  return 'other';
}

/** The charts to draw for the metrics present, in a fixed order; empty groups are left out. */
export function chartGroups(present: readonly MetricKey[]): ChartGroup[] {
  const byGroup = new Map<ChartGroupId, MetricKey[]>();
  const seen = new Set<string>();
  for (const metric of present) {
    const id = `${metric.split}:${metric.name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const group = groupOf(metric);
    byGroup.set(group, [...(byGroup.get(group) ?? []), metric]);
  }
  return ORDER.filter((id) => byGroup.has(id)).map((id) => ({
    id,
    ...TITLES[id],
    // Train before dev, then by name, so colours and legends keep their places as metrics appear.
    metrics: byGroup.get(id)!.sort((a, b) => (a.split === b.split ? a.name.localeCompare(b.name) : a.split === 'train' ? -1 : 1)),
  }));
}

/** True when larger is better, false when smaller is, undefined when neither (lr, sparsity). */
export function higherIsBetter(metric: MetricKey): boolean | undefined {
  if (metric.name === 'loss' || metric.name.endsWith('_loss')) return false;
  if (['accuracy', 'f1', 'mcc', 'pearson', 'spearman', 'matthews'].includes(metric.name)) return true;
  return undefined;
}

export function metricLabel(metric: MetricKey): string {
  return `${metric.split} ${metric.name}`;
}
