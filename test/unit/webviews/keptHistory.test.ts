import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { KeptHistory, rowLabel, sampleSteps, stripKey } from '../../../webviews/src/masks/keptHistory';

const matrices = (kept: number[]) =>
  [
    { name: 'l1.q', block: 1, matrix: 'query' },
    { name: 'head', block: null, matrix: 'head' },
    { name: 'l0.ffn', block: 0, matrix: 'intermediate' },
    { name: 'l0.q', block: 0, matrix: 'query' },
  ].map((m, i) => ({ ...m, shape: [4, 4] as [number, number], kept: kept[i] }));

test('the strip has a row per matrix in heatmap order and a cell per recorded (matrix, step)', () => {
  const history = new KeptHistory();
  assert.equal(history.add('/r', { step: 20, matrices: matrices([0.9, 0.8, 0.7, 0.6]) }), true);
  assert.equal(history.add('/r', { step: 40, matrices: matrices([0.85, 0.75, 0.65, 0.55]) }), true);
  assert.equal(history.add('/r', { step: 40, matrices: matrices([0.85, 0.75, 0.65, 0.55]) }), false, 'a step already known');
  const layout = history.layout('/r', [20, 40, 60]);
  assert.deepEqual(layout.rows.map((r) => r.label), ['b0 Q', 'b0 FFN in', 'b1 Q', 'head']);
  assert.deepEqual(layout.columns.map((c) => c.label), ['20', '40', '60']);
  assert.equal(layout.cells.length, 8, 'step 60 is not loaded yet: no cells');
  const cell = layout.cells.find((c) => c.key === stripKey('l1.q', 40))!;
  assert.deepEqual([cell.row, cell.column, cell.value], [2, 1, 0.85]);
  assert.deepEqual(history.values('/r', [20]).sort(), [0.6, 0.7, 0.8, 0.9]);
  assert.equal(history.has('/r', 20), true);
  assert.equal(history.has('/other', 20), false);
  assert.deepEqual(history.layout('/other', [20]).cells, []);
});

test('row labels are short: block and matrix kind, or the kind alone outside the blocks', () => {
  assert.equal(rowLabel({ block: 11, matrix: 'output' }), 'b11 FFN out');
  assert.equal(rowLabel({ block: null, matrix: 'pooler' }), 'pooler');
  assert.equal(rowLabel({ block: 2, matrix: 'custom_proj' }), 'b2 custom_proj');
});

test('sampled steps: at most the limit, ascending, always the first and the last, all when they fit', () => {
  assert.deepEqual(sampleSteps([20, 40, 60], 80), [20, 40, 60]);
  assert.deepEqual(sampleSteps([1, 2, 3, 4, 5, 6, 7, 8, 9], 3), [1, 5, 9]);
  fc.assert(
    fc.property(fc.uniqueArray(fc.nat(100_000), { minLength: 1, maxLength: 500 }), fc.integer({ min: 2, max: 100 }), (raw, max) => {
      const steps = raw.sort((a, b) => a - b);
      const picked = sampleSteps(steps, max);
      assert.ok(picked.length <= max && picked.length >= Math.min(2, steps.length));
      assert.equal(picked[0], steps[0]);
      assert.equal(picked.at(-1), steps.at(-1));
      for (let i = 1; i < picked.length; i++) assert.ok(picked[i] > picked[i - 1]);
      for (const p of picked) assert.ok(steps.includes(p));
    }),
  );
});
