import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compactNumber, groupDigits, plural } from '../../../server/src/features/compactNumber';

test('compact numbers: exact below 1000, K below 100K, then M and B with one decimal', () => {
  const cases: [number, string][] = [
    [0, '0'], [1, '1'], [999, '999'], [1000, '1K'], [16384, '16.4K'], [65536, '65.5K'], [99_949, '99.9K'],
    [100_000, '0.1M'], [393_216, '0.4M'], [1_234_567, '1.2M'], [4_416_442, '4.4M'], [12_345_678, '12.3M'],
    [109_482_240, '109M'], [999_999_999, '1B'], [999_400_000, '999M'], [1_300_000_000, '1.3B'], [-2048, '-2K'],
  ];
  for (const [n, expected] of cases) assert.equal(compactNumber(n), expected, String(n));
});

test('compact numbers stay within a few per cent of the number they stand for', () => {
  const unit: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9 };
  fc.assert(
    fc.property(fc.integer({ min: 1000, max: 2 ** 40 }), (n) => {
      const text = compactNumber(n);
      const m = /^(\d+(?:\.\d)?)([KMB])$/.exec(text);
      assert.ok(m, text);
      const back = Number(m[1]) * unit[m[2]];
      // One decimal below 100 units, whole units above: never off by more than half the last digit.
      const step = Number(m[1]) >= 100 ? 1 : 0.1;
      assert.ok(Math.abs(back - n) <= (step / 2) * unit[m[2]] + 1e-6, `${n} → ${text}`);
    }),
  );
});

test('grouped digits and plurals', () => {
  assert.equal(groupDigits(393216), '393,216');
  assert.equal(groupDigits(4416442), '4,416,442');
  assert.equal(groupDigits(999), '999');
  assert.equal(groupDigits(-1234.5), '-1,234.5');
  assert.equal(plural(1, 'tensor'), '1 tensor');
  assert.equal(plural(2, 'matrix', 'matrices'), '2 matrices');
});
