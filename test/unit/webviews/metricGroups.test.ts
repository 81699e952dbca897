import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chartGroups, groupOf, higherIsBetter } from '../../../webviews/src/metrics/metricGroups';

test('each logged metric lands on its chart: loss of both splits together, dev metrics, lr, sparsity, the rest', () => {
  assert.equal(groupOf({ split: 'train', name: 'loss' }), 'loss');
  assert.equal(groupOf({ split: 'dev', name: 'loss' }), 'loss');
  assert.equal(groupOf({ split: 'dev', name: 'accuracy' }), 'dev');
  assert.equal(groupOf({ split: 'train', name: 'lr' }), 'lr');
  assert.equal(groupOf({ split: 'train', name: 'learning_rate' }), 'lr');
  assert.equal(groupOf({ split: 'train', name: 'sparsity' }), 'sparsity');
  assert.equal(groupOf({ split: 'train', name: 'grad_norm' }), 'other');
});

test('charts come in a fixed order, without empty ones, metrics train-first then by name, each once', () => {
  const groups = chartGroups([
    { split: 'train', name: 'sparsity' },
    { split: 'dev', name: 'loss' },
    { split: 'dev', name: 'f1' },
    { split: 'train', name: 'loss' },
    { split: 'dev', name: 'accuracy' },
    { split: 'train', name: 'loss' },
  ]);
  assert.deepEqual(groups.map((g) => g.id), ['loss', 'dev', 'sparsity']);
  assert.deepEqual(groups[0].metrics, [{ split: 'train', name: 'loss' }, { split: 'dev', name: 'loss' }]);
  assert.deepEqual(groups[1].metrics.map((m) => m.name), ['accuracy', 'f1']);
});

test('better is higher for scores, lower for losses, undefined for lr and sparsity', () => {
  assert.equal(higherIsBetter({ split: 'dev', name: 'accuracy' }), true);
  assert.equal(higherIsBetter({ split: 'dev', name: 'mcc' }), true);
  assert.equal(higherIsBetter({ split: 'dev', name: 'loss' }), false);
  assert.equal(higherIsBetter({ split: 'train', name: 'lr' }), undefined);
  assert.equal(higherIsBetter({ split: 'train', name: 'sparsity' }), undefined);
});
