import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { debiasedEma } from '../../../webviews/src/metrics/smoothing';
import { prng } from '../../support/prng';

/** The closed form of a debiased EMA: Σ w^(i−j)(1−w)x_j / (1 − w^(i+1)), computed term by term. */
function closedForm(values: number[], w: number): number[] {
  return values.map((_, i) => {
    let sum = 0;
    for (let j = 0; j <= i; j++) sum += Math.pow(w, i - j) * (1 - w) * values[j];
    return sum / (1 - Math.pow(w, i + 1));
  });
}

test('the debiased EMA equals its closed form (no start-up bias towards 0)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 40 }),
      fc.double({ min: 0.01, max: 0.95, noNaN: true }),
      (values, w) => {
        // A constant series is returned as is; the closed form agrees up to rounding there too.
        const smoothed = debiasedEma(values, w);
        const expected = closedForm(values, w);
        expected.forEach((e, i) => assert.ok(Math.abs(smoothed[i] - e) <= 1e-9 * Math.max(1, Math.abs(e)), `at ${i}: ${smoothed[i]} vs ${e}`));
      },
    ),
  );
});

test('the first smoothed value is the first raw value, and weight 0 changes nothing', () => {
  const values = [5, 1, 9, 3];
  assert.equal(debiasedEma(values, 0.9)[0], 5);
  assert.deepEqual([...debiasedEma(values, 0)], values);
});

test('a constant series stays exactly constant (no rounding wobble for an autoscaled axis)', () => {
  const lr = new Array(500).fill(1e-3);
  assert.ok(debiasedEma(lr, 0.99).every((v) => v === 1e-3));
});

test('non-finite values pass through and do not disturb the average', () => {
  const withGaps = [1, NaN, 3, Infinity, 5];
  const withoutGaps = [1, 3, 5];
  const a = debiasedEma(withGaps, 0.6);
  const b = debiasedEma(withoutGaps, 0.6);
  assert.ok(Number.isNaN(a[1]));
  assert.equal(a[3], Infinity);
  assert.deepEqual([a[0], a[2], a[4]], [...b]);
});

test('smoothing reduces the spread of noise around a trend', () => {
  const random = prng(7);
  const noisy = Array.from({ length: 2000 }, (_, i) => 1 - i / 4000 + (random() - 0.5) * 0.2);
  const smoothed = debiasedEma(noisy, 0.9);
  const roughness = (v: ArrayLike<number>) => {
    let sum = 0;
    for (let i = 1; i < v.length; i++) sum += Math.abs(v[i] - v[i - 1]);
    return sum;
  };
  assert.ok(roughness(smoothed) < roughness(noisy) / 4, `${roughness(smoothed)} vs ${roughness(noisy)}`);
});
