import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricsRecord } from '../../../schemas/src/runRecord';
import type { MetricsRunHistory } from '../../../schemas/src/webviewMessages';
import { MetricsStore, SplitSeries } from '../../../webviews/src/metrics/metricsStore';

const train = (step: number, values: Record<string, number>): MetricsRecord => ({ step, epoch: step / 10, time: step * 0.5, split: 'train', values });

export function history(runDir: string, overrides: Partial<MetricsRunHistory> = {}): MetricsRunHistory {
  return {
    runDir,
    runId: `20261123-101502-${runDir.slice(-4).padStart(4, 'x')}`,
    name: 'quickstart',
    experiment: 'quickstart',
    state: 'completed',
    message: null,
    sweep: null,
    primaryMetric: 'accuracy',
    train: { step: [1, 2], epoch: [0.1, 0.2], time: [0.5, 1], values: { loss: [0.7, 0.6], lr: [1e-3, null] } },
    dev: { step: [2], epoch: [0.2], time: [1.1], values: { accuracy: [0.5] } },
    ...overrides,
  };
}

test('columns from the host become typed series, null as NaN', () => {
  const store = new MetricsStore();
  store.reset([history('/runs/a')]);
  const series = store.get('/runs/a')!;
  assert.deepEqual([...series.train.column('loss')!], [0.7, 0.6]);
  const lr = series.train.column('lr')!;
  assert.equal(lr[0], 1e-3);
  assert.ok(Number.isNaN(lr[1]));
  assert.deepEqual([...series.train.x('time')], [0.5, 1]);
  assert.equal(series.lastStep(), 2);
});

test('appends grow the series past its initial capacity, padding metrics that appear late', () => {
  const split = new SplitSeries();
  for (let step = 1; step <= 300; step++) split.append(train(step, step > 100 ? { loss: 1 / step, grad_norm: step } : { loss: 1 / step }));
  assert.equal(split.length, 300);
  const gradNorm = split.column('grad_norm')!;
  assert.equal(gradNorm.length, 300);
  assert.ok(Number.isNaN(gradNorm[99]));
  assert.equal(gradNorm[100], 101);
  assert.equal(split.column('loss')![299], 1 / 300);
});

test('a record at a step already held cuts the series back there (a resumed run logs those steps again)', () => {
  const split = new SplitSeries();
  for (let step = 1; step <= 10; step++) split.append(train(step, { loss: step }));
  split.append(train(7, { loss: 70 }));
  assert.deepEqual([...split.step.view()], [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual([...split.column('loss')!], [1, 2, 3, 4, 5, 6, 70]);
  // The same record twice (from the live event and from the file) is harmless.
  split.append(train(7, { loss: 70 }));
  assert.equal(split.length, 7);
});

test('records() gives back what was appended, as metrics.jsonl lines', () => {
  const split = new SplitSeries();
  const input = [train(1, { loss: 0.5 }), train(2, { loss: 0.4, lr: 0.1 })];
  input.forEach((r) => split.append(r));
  assert.deepEqual([...split.records('train')], input);
});

test('the store appends only to runs it shows and knows every logged metric', () => {
  const store = new MetricsStore();
  store.reset([history('/runs/a')]);
  assert.equal(store.append('/runs/other', [train(3, { loss: 1 })]), false);
  const before = store.get('/runs/a')!.version;
  assert.equal(store.append('/runs/a', [train(3, { loss: 0.5, sparsity: 0.1 })]), true);
  assert.ok(store.get('/runs/a')!.version > before);
  const names = store.presentMetrics().map((m) => `${m.split}:${m.name}`).sort();
  assert.deepEqual(names, ['dev:accuracy', 'train:loss', 'train:lr', 'train:sparsity']);
});
