// Longest-first truncation: Hugging Face removes one token at a time from the end of the longer
// text, the pair losing the token on a tie. The closed form must agree with that loop.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { truncateLongestFirst } from '../../../../server/src/training/tokenizer';

/** The reference: Hugging Face's token-at-a-time loop, written out literally. */
function oneAtATime(first: number[], second: number[], budget: number): [number[], number[]] {
  const a = first.slice();
  const b = second.slice();
  while (a.length + b.length > budget) {
    if (a.length > b.length) a.pop();
    else b.pop();
  }
  return [a, b];
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

test('hand-worked cases', () => {
  // 6 + 5 into 7: remove 4 → first loses its lead (1), then pair, first, pair → 4 + 3.
  assert.deepEqual(truncateLongestFirst(range(6), range(5, 100), 7), { first: range(4), second: range(3, 100) });
  // 5 + 5 into 7: tie → pair first: 5+4, then first: 4+4, then pair: 4+3.
  assert.deepEqual(truncateLongestFirst(range(5), range(5, 100), 7), { first: range(4), second: range(3, 100) });
  // 10 + 2 into 8: only the long first text is cut.
  assert.deepEqual(truncateLongestFirst(range(10), range(2, 100), 8), { first: range(6), second: range(2, 100) });
  // Single text: plain cut from the end; nothing to cut leaves a copy.
  assert.deepEqual(truncateLongestFirst(range(5), undefined, 3), { first: range(3) });
  assert.deepEqual(truncateLongestFirst(range(2), range(2), 10), { first: range(2), second: range(2) });
});

test('agrees with the token-at-a-time loop for any lengths', () => {
  fc.assert(
    fc.property(fc.nat(40), fc.nat(40), fc.nat(90), (n1, n2, budget) => {
      const got = truncateLongestFirst(range(n1), range(n2, 1000), budget);
      const [a, b] = oneAtATime(range(n1), range(n2, 1000), budget);
      assert.deepEqual(got.first, a);
      assert.deepEqual(got.second, b);
    }),
  );
});
