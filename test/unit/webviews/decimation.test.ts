import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decimateMinMax, linearPosition, logPosition, minMaxEnvelope } from '../../../webviews/src/metrics/decimation';
import { prng } from '../../support/prng';

function series(n: number, seed: number): { x: Float64Array; y: Float64Array } {
  const random = prng(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i + 1;
    y[i] = Math.sin(i / 500) + (random() - 0.5) * 0.3 + (i === 31_337 ? 5 : 0);
  }
  return { x, y };
}

test('100,000 points become at most four per bucket and keep the spike, the extremes and both ends', () => {
  const { x, y } = series(100_000, 3);
  const buckets = 800;
  const out = decimateMinMax(x, y, buckets, linearPosition(x[0], x[x.length - 1]));
  assert.ok(out.x.length <= buckets * 4, `${out.x.length} points`);
  assert.ok(out.x.length >= buckets, 'every bucket keeps at least one point');
  assert.equal(Math.max(...out.y), Math.max(...y), 'the spike survives');
  assert.equal(Math.min(...out.y), Math.min(...y));
  assert.equal(out.x[0], x[0]);
  assert.equal(out.x[out.x.length - 1], x[x.length - 1]);
});

test('decimated points are input points, in their original order', () => {
  fc.assert(
    fc.property(fc.integer({ min: 50, max: 3000 }), fc.integer({ min: 4, max: 60 }), fc.integer(), (n, buckets, seed) => {
      const { x, y } = series(n, seed);
      const out = decimateMinMax(x, y, buckets, linearPosition(1, n));
      for (let i = 0; i < out.x.length; i++) {
        const index = out.x[i] - 1;
        assert.equal(out.y[i], y[index]);
        if (i > 0) assert.ok(out.x[i] > out.x[i - 1], 'strictly ascending x');
      }
    }),
  );
});

test('small inputs come back whole, without their non-finite values', () => {
  const out = decimateMinMax([1, 2, 3, 4], [0.5, NaN, 0.25, 0.125], 100, linearPosition(1, 4));
  assert.deepEqual(out, { x: [1, 3, 4], y: [0.5, 0.25, 0.125] });
});

test('the envelope brackets every raw value of its bucket and reaches the global extremes', () => {
  const { x, y } = series(20_000, 11);
  const buckets = 300;
  const position = linearPosition(1, 20_000);
  const envelope = minMaxEnvelope(x, y, buckets, position);
  assert.ok(envelope.x.length <= buckets);
  assert.equal(Math.max(...envelope.high), Math.max(...y));
  assert.equal(Math.min(...envelope.low), Math.min(...y));
  // Every raw point lies within the band of the bucket starting at or before it.
  let k = 0;
  for (let i = 0; i < x.length; i++) {
    while (k + 1 < envelope.x.length && envelope.x[k + 1] <= x[i]) k++;
    assert.ok(envelope.low[k] <= y[i] && y[i] <= envelope.high[k], `point ${i} outside its band`);
  }
});

test('with fewer points than buckets the envelope is the raw series (low = high)', () => {
  const envelope = minMaxEnvelope([1, 2, 3], [3, 1, 2], 100, linearPosition(1, 3));
  assert.deepEqual(envelope, { x: [1, 2, 3], low: [3, 1, 2], high: [3, 1, 2] });
});

test('on a log axis each decade gets the same share of buckets', () => {
  const position = logPosition(1, 1e4);
  assert.equal(position(1), 0);
  assert.ok(Math.abs(position(10) - 0.25) < 1e-12);
  assert.ok(Math.abs(position(100) - 0.5) < 1e-12);
  assert.equal(position(-5), 0, 'non-positive x lands at the left edge');
});
