import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../../server/src/dsl/lineIndex';

test('positions across \\n, \\r\\n and \\r line breaks', () => {
  const text = 'ab\ncd\r\nef\rgh';
  const index = new LineIndex(text);
  assert.equal(index.lineCount, 4);
  const expected = [
    [0, 0, 0], [2, 0, 2], [3, 1, 0], [5, 1, 2], [7, 2, 0], [9, 2, 2], [10, 3, 0], [12, 3, 2],
  ];
  for (const [offset, line, character] of expected) {
    assert.deepEqual(index.positionAt(offset), { line, character }, `offset ${offset}`);
    assert.equal(index.offsetAt({ line, character }), offset, `line ${line}:${character}`);
  }
});

test('characters are UTF-16 code units: an emoji counts two', () => {
  const text = '😀中 x\n😀y';
  const index = new LineIndex(text);
  assert.deepEqual(index.positionAt(text.indexOf('x')), { line: 0, character: 4 });
  assert.deepEqual(index.positionAt(text.indexOf('y')), { line: 1, character: 2 });
  assert.equal(index.offsetAt({ line: 1, character: 2 }), text.indexOf('y'));
});

test('out-of-range offsets and positions clamp instead of throwing', () => {
  const text = 'abc\r\ndef';
  const index = new LineIndex(text);
  assert.deepEqual(index.positionAt(-5), { line: 0, character: 0 });
  assert.deepEqual(index.positionAt(1000), { line: 1, character: 3 });
  assert.equal(index.offsetAt({ line: 0, character: 99 }), 3, 'clamped before the line break');
  assert.equal(index.offsetAt({ line: 9, character: 0 }), text.length);
  assert.equal(index.offsetAt({ line: -1, character: 4 }), 0);
  assert.equal(index.lineEnd(0), 3);
  assert.equal(index.lineEnd(1), 8);
});

test('empty text and a trailing line break', () => {
  assert.equal(new LineIndex('').lineCount, 1);
  const index = new LineIndex('a\n');
  assert.equal(index.lineCount, 2);
  assert.deepEqual(index.positionAt(2), { line: 1, character: 0 });
});

test('a large text maps every offset consistently', () => {
  const text = Array.from({ length: 20_000 }, (_, i) => 'x'.repeat(i % 7) + (i % 3 === 0 ? '\r\n' : '\n')).join('');
  const index = new LineIndex(text);
  for (let offset = 0; offset < text.length; offset += 97) {
    if (text[offset - 1] === '\r' && text[offset] === '\n') continue; // between \r and \n is no position
    assert.equal(index.offsetAt(index.positionAt(offset)), offset);
  }
});
