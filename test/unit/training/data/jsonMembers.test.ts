// Streaming the members of one big JSON object (QNLI's train_subset9k.json form) or array.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsonMemberScanner, type JsonMember } from '../../../../server/src/training/data/jsonMembers';
import { DataError } from '../../../../server/src/training/data';

function scan(text: string, cuts: number[] = []): JsonMember[] {
  const scanner = new JsonMemberScanner('t.json');
  const members: JsonMember[] = [];
  let at = 0;
  for (const cut of [...cuts, text.length]) {
    members.push(...scanner.push(text.slice(at, cut)));
    at = cut;
  }
  scanner.end();
  return members;
}

const qnliLike = `{
    "0": {
        "text_a": "What's \\"quoted\\", {braced} and [bracketed]?",
        "text_b": "Line two \\u2013 with an escape\\\\",
        "label": "entailment"
    },
    "1": {"text_a": "b", "text_b": "c", "label": "not_entailment", "extra": [1, {"x": "}"}]}
}
`;

describe('JSON members', () => {
  test('members of an object with their keys and starting lines', () => {
    assert.deepEqual(scan(qnliLike), [
      { key: '0', line: 2, value: { text_a: 'What\'s "quoted", {braced} and [bracketed]?', text_b: 'Line two \u2013 with an escape\\', label: 'entailment' } },
      { key: '1', line: 7, value: { text_a: 'b', text_b: 'c', label: 'not_entailment', extra: [1, { x: '}' }] } },
    ]);
  });

  test('a top-level array and primitive members', () => {
    assert.deepEqual(scan('[\n{"a": 1},\n2, "x"]'), [
      { key: '0', line: 2, value: { a: 1 } },
      { key: '1', line: 3, value: 2 },
      { key: '2', line: 3, value: 'x' },
    ]);
    assert.deepEqual(scan('{}'), []);
  });

  test('chunk boundaries never change the members', () => {
    const whole = scan(qnliLike);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: qnliLike.length - 1 }), { maxLength: 20 }), (cuts) => {
        assert.deepEqual(scan(qnliLike, cuts.sort((a, b) => a - b)), whole);
      }),
    );
  });

  test('broken files are DataErrors with a line', () => {
    assert.throws(() => scan('{"0": {"a": 1},\n"1": {"a": }\n}'), (error: unknown) => error instanceof DataError && error.line === 2 && /member "1" is not valid JSON/.test(error.message));
    assert.throws(() => scan('{"0": 1,\n}'), (error: unknown) => error instanceof DataError && error.line === 2 && /expected a quoted member name/.test(error.message));
    assert.throws(() => scan('{"0": 1'), /ends before its top-level object is closed/);
    assert.throws(() => scan('"just a string"'), /expected the file to hold one JSON object/);
  });
});
