import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { grebsmoSparse, largestMagnitudes } from '../../../../server/src/training/methods/grebsmo';
import { chooseSupport } from '../../../../server/src/training/methods/dseeSupport';
import { kthLargest, topkMasks } from '../../../../server/src/training/methods/topk';
import { createRandom } from '../../../../server/src/training/random';

describe('top-k selection', () => {
  test('kthLargest agrees with sorting, duplicates included', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 60 }), fc.nat(), (values, pick) => {
        const k = 1 + (pick % values.length);
        const sorted = [...values].sort((a, b) => b - a);
        assert.equal(kthLargest(values, k), sorted[k - 1]);
      }),
    );
  });

  test('topkMasks keeps exactly k entries, the largest ones, over several arrays at once', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 4 }), fc.nat(), (lists, pick) => {
        const arrays = lists.map((l) => Float32Array.from(l));
        const total = lists.reduce((s, l) => s + l.length, 0);
        const k = pick % (total + 1);
        const masks = topkMasks(arrays, k);
        const kept = masks.reduce((s, m) => s + m.reduce((a, b) => a + b, 0), 0);
        assert.equal(kept, k);
        const keptValues = arrays.flatMap((a, i) => Array.from(a).filter((_, j) => masks[i][j] === 1));
        const droppedValues = arrays.flatMap((a, i) => Array.from(a).filter((_, j) => masks[i][j] === 0));
        if (keptValues.length > 0 && droppedValues.length > 0) assert.ok(Math.min(...keptValues) >= Math.max(...droppedValues));
      }),
    );
  });
});

describe('DSEE support', () => {
  test('GreBsmo finds a sparse spike hidden in a low-rank matrix that magnitude alone misses', () => {
    const rows = 24;
    const cols = 20;
    const random = createRandom(3);
    const u = Array.from({ length: rows * 2 }, () => random() * 2 - 1);
    const v = Array.from({ length: 2 * cols }, () => random() * 2 - 1);
    const x = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) x[r * cols + c] = u[r * 2] * v[c] + u[r * 2 + 1] * v[cols + c];
    // Spikes smaller than the largest low-rank entries, so the N largest |W| are not them.
    const spikes = [7, 55, 130, 301, 444];
    for (const i of spikes) x[i] += 0.6;
    const byMagnitude = Array.from(largestMagnitudes(x, spikes.length));
    assert.notDeepEqual(byMagnitude, spikes, 'the test needs spikes that magnitude does not find');
    const sparse = grebsmoSparse(x, rows, cols, { rank: 2, card: spikes.length, random: createRandom(9), rounds: 6 });
    assert.deepEqual(Array.from(largestMagnitudes(sparse, spikes.length)), spikes);
    assert.deepEqual(Array.from(chooseSupport('grebsmo', x, rows, cols, spikes.length, 2, createRandom(9))).length, spikes.length);
  });

  test('random support: distinct, ascending, in range, reproducible by seed', () => {
    const weight = new Float32Array(50);
    const a = chooseSupport('random', weight, 5, 10, 20, 2, createRandom(1));
    const b = chooseSupport('random', weight, 5, 10, 20, 2, createRandom(1));
    assert.deepEqual(a, b);
    assert.equal(new Set(a).size, 20);
    assert.ok(Array.from(a).every((v, i) => v >= 0 && v < 50 && (i === 0 || v > a[i - 1])));
    assert.equal(chooseSupport('random', weight, 5, 10, 80, 2, createRandom(1)).length, 50, 'at most every entry');
  });
});
