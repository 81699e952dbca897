import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMetric } from '../../../webviews/src/metrics/numberFormat';
import { summarise, tableMetrics } from '../../../webviews/src/metrics/summaryTable';

const steps = [20, 40, 60, 80];

test('best follows the metric’s direction; last and min are plain; ties keep the earliest step', () => {
  const accuracy = summarise({ split: 'dev', name: 'accuracy' }, steps, [0.5, 0.8, 0.8, 0.7]);
  assert.deepEqual(accuracy.best, { value: 0.8, step: 40 });
  assert.deepEqual(accuracy.last, { value: 0.7, step: 80 });
  assert.deepEqual(accuracy.min, { value: 0.5, step: 20 });
  const loss = summarise({ split: 'dev', name: 'loss' }, steps, [0.9, 0.4, NaN, 0.6]);
  assert.deepEqual(loss.best, { value: 0.4, step: 40 });
  assert.deepEqual(loss.last, { value: 0.6, step: 80 }, 'a missing value is skipped');
});

test('metrics without a direction have no best; a metric never logged has nothing', () => {
  assert.equal(summarise({ split: 'train', name: 'sparsity' }, steps, [0.1, 0.2, 0.3, 0.4]).best, undefined);
  const empty = summarise({ split: 'dev', name: 'f1' }, steps, [NaN, NaN, NaN, NaN]);
  assert.deepEqual([empty.best, empty.last, empty.min], [undefined, undefined, undefined]);
});

test('the table lists dev metrics, then dev loss, then train loss; lr and sparsity are left out', () => {
  const metrics = tableMetrics([
    { split: 'train', name: 'lr' },
    { split: 'train', name: 'loss' },
    { split: 'dev', name: 'loss' },
    { split: 'dev', name: 'f1' },
    { split: 'dev', name: 'accuracy' },
    { split: 'train', name: 'sparsity' },
  ]);
  assert.deepEqual(metrics.map((m) => `${m.split} ${m.name}`), ['dev accuracy', 'dev f1', 'dev loss', 'train loss']);
});

test('numbers read well in the table and on axes', () => {
  assert.equal(formatMetric(0.83333), '0.8333');
  assert.equal(formatMetric(0.5), '0.5');
  assert.equal(formatMetric(2e-5), '2.00e-5');
});
