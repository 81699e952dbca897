import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { logTicks, niceTicks, tickLabels } from '../../../webviews/src/metrics/axisTicks';

test('nice ticks are round, evenly spaced, inside the range and about as many as asked', () => {
  assert.deepEqual(niceTicks(0, 200, 5), [0, 50, 100, 150, 200]);
  assert.deepEqual(niceTicks(0.6898, 0.6972, 6), [0.69, 0.692, 0.694, 0.696]);
  fc.assert(
    fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 1e-9, max: 1e6, noNaN: true }), (low, span) => {
      const high = low + span;
      // Spans near the float resolution of their magnitude are beyond any chart.
      fc.pre(span > Math.abs(low) * 1e-9);
      const ticks = niceTicks(low, high, 6);
      assert.ok(ticks.length >= 2 && ticks.length <= 11, `${ticks.length} ticks for [${low}, ${high}]`);
      for (const t of ticks) assert.ok(t >= low - span * 1e-6 && t <= high + span * 1e-6, `${t} outside [${low}, ${high}]`);
      const gaps = ticks.slice(1).map((t, i) => t - ticks[i]);
      for (const g of gaps) assert.ok(Math.abs(g - gaps[0]) <= Math.abs(gaps[0]) * 1e-6, `uneven gaps ${gaps}`);
    }),
  );
});

test('log ticks: 1-2-5 over decades, powers of ten over many, round values over less than a decade', () => {
  assert.deepEqual(logTicks(0.01, 1), [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]);
  assert.deepEqual(logTicks(1e-6, 1e3), [1e-6, 1e-4, 1e-2, 1, 100]);
  // A loss between 0.6898 and 0.6972: no bound ticks crowding the round ones.
  assert.deepEqual(logTicks(0.6898, 0.6972), [0.69, 0.692, 0.694, 0.696]);
  assert.deepEqual(logTicks(0, 1), [], 'a log axis needs positive bounds');
});

test('tick labels use one notation per axis, with just the digits that tell neighbours apart', () => {
  assert.deepEqual(tickLabels([0, 50, 100, 150, 200]), ['0', '50', '100', '150', '200']);
  assert.deepEqual(tickLabels([0.69, 0.692, 0.694]), ['0.690', '0.692', '0.694']);
  assert.deepEqual(tickLabels([0, 0.1, 0.2, 0.7]), ['0.0', '0.1', '0.2', '0.7']);
  // A learning rate of 1e-3 ± 6e-5: exponent form throughout, never `9.8e-4` beside `0.001`.
  const lr = tickLabels([9.4e-4, 9.6e-4, 9.8e-4, 1e-3, 1.02e-3]);
  assert.ok(lr.every((l) => /^\d\.\d+e-\d$/.test(l)), lr.join(' '));
  assert.equal(new Set(lr).size, lr.length, 'neighbouring ticks stay distinct');
  assert.deepEqual(tickLabels([0, 2e5, 4e5]), ['0', '2e5', '4e5']);
  assert.deepEqual(tickLabels([-0.5, 0, 0.5]), ['-0.5', '0.0', '0.5']);
});

test('labels of any nice tick set are distinct and parse back close to their values', () => {
  fc.assert(
    fc.property(fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.double({ min: 1e-7, max: 1e4, noNaN: true }), (low, span) => {
      fc.pre(span > Math.abs(low) * 1e-9);
      const ticks = niceTicks(low, low + span, 6);
      fc.pre(ticks.length >= 2);
      const labels = tickLabels(ticks);
      assert.equal(new Set(labels).size, labels.length, labels.join(' '));
      const gap = ticks[1] - ticks[0];
      labels.forEach((l, i) => assert.ok(Math.abs(Number(l) - ticks[i]) <= gap / 2, `${l} for ${ticks[i]}`));
    }),
  );
});
