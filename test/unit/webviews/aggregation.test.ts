import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isSeedKey, meanStd, seedGroups } from '../../../webviews/src/metrics/aggregation';

const cell = (runDir: string, index: number, values: Record<string, number | string>) => ({
  runDir,
  sweep: { name: 'lr_seeds', index, cells: 6, values },
});

test('seed keys are recognised by name, other keys are not', () => {
  for (const key of ['train.seed', 'seed', 'data_seed', 'train.data_seed']) assert.ok(isSeedKey(key), key);
  for (const key of ['method.lr', 'seeds', 'train.seeding', 'reseed', 'method.seed_count']) assert.ok(!isSeedKey(key), key);
});

test('sweep cells differing only in seed form one group per configuration; lone runs stay alone', () => {
  const runs = [
    cell('a', 0, { 'method.lr': 1e-3, 'train.seed': 1 }),
    cell('b', 1, { 'method.lr': 1e-3, 'train.seed': 2 }),
    cell('c', 2, { 'method.lr': 3e-3, 'train.seed': 1 }),
    cell('d', 3, { 'method.lr': 3e-3, 'train.seed': 2 }),
    cell('e', 4, { 'method.lr': 1e-2, 'train.seed': 1 }),
    { runDir: 'f', sweep: null },
  ];
  const groups = seedGroups(runs);
  assert.deepEqual(groups.map((g) => g.runDirs), [['a', 'b'], ['c', 'd']]);
  assert.equal(groups[0].label, 'lr_seeds method.lr=0.001');
  assert.notEqual(groups[0].key, groups[1].key);
});

test('cells of two sweeps with the same values are not mixed', () => {
  const groups = seedGroups([
    { runDir: 'a', sweep: { name: 's1', index: 0, cells: 2, values: { 'train.seed': 1 } } },
    { runDir: 'b', sweep: { name: 's2', index: 0, cells: 2, values: { 'train.seed': 2 } } },
  ]);
  assert.deepEqual(groups, []);
});

const member = (steps: number[], y: number[], x = steps) => ({ step: steps, x, y, length: steps.length });

test('mean and sample standard deviation, step by step, using the members that have the step', () => {
  const stats = meanStd([member([1, 2, 3], [1, 2, 3]), member([1, 2], [3, 4]), member([2, 3], [6, NaN])]);
  assert.deepEqual(stats.step, [1, 2, 3]);
  assert.deepEqual(stats.mean, [2, 4, 3]);
  assert.deepEqual(stats.count, [2, 3, 1]);
  assert.ok(Math.abs(stats.std[0] - Math.SQRT2) < 1e-12);
  assert.ok(Math.abs(stats.std[1] - 2) < 1e-12);
  assert.equal(stats.std[2], 0, 'one member: no spread');
});

test('x is the members’ mean x at the step (wall times differ between seeds)', () => {
  const stats = meanStd([member([10], [1], [100]), member([10], [2], [140])]);
  assert.deepEqual(stats.x, [120]);
});

test('the running statistics agree with a two-pass computation', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.double({ min: 1e6, max: 1e6 + 1, noNaN: true }), { minLength: 5, maxLength: 5 }), { minLength: 2, maxLength: 6 }), (rows) => {
      const steps = [0, 1, 2, 3, 4];
      const stats = meanStd(rows.map((y) => member(steps, y)));
      steps.forEach((s) => {
        const column = rows.map((r) => r[s]);
        const mean = column.reduce((a, b) => a + b, 0) / column.length;
        const variance = column.reduce((a, b) => a + (b - mean) ** 2, 0) / (column.length - 1);
        assert.ok(Math.abs(stats.mean[s] - mean) < 1e-6);
        assert.ok(Math.abs(stats.std[s] - Math.sqrt(variance)) < 1e-6);
      });
    }),
  );
});
