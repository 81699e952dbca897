// Formatting as an LSP edit: the printer's output in one edit over the whole document, or none.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../../server/src/dsl/lineIndex';
import { formatting } from '../../../server/src/features/formatting';

function formatted(text: string): string | undefined {
  const edits = formatting(text, new LineIndex(text));
  if (edits.length === 0) return undefined;
  assert.equal(edits.length, 1);
  const lines = new LineIndex(text);
  assert.deepEqual(edits[0].range.start, { line: 0, character: 0 });
  assert.equal(lines.offsetAt(edits[0].range.end), text.length, 'the edit covers the whole document');
  return edits[0].newText;
}

test('before and after: layout is normalised, comments stay', () => {
  const before = 'experiment a{\nmodel   "m" // the model\n    train{epochs 3 batch 16}\n\n\n\n  method mask\n}\nsweep s of a {train.seed 1,2}';
  const after = 'experiment a {\n  model "m" // the model\n  train { epochs 3  batch 16 }\n\n  method mask\n}\n\nsweep s of a {\n  train.seed 1, 2\n}\n';
  assert.equal(formatted(before), after);
  assert.equal(formatted(after), undefined, 'formatted text gives no edit');
});

test('CRLF documents keep their line endings; the edit ends at the last position', () => {
  const before = 'experiment a {\r\nmodel "m"\r\n}';
  assert.equal(formatted(before), 'experiment a {\r\n  model "m"\r\n}\r\n');
});

test('a document with syntax errors is left alone', () => {
  assert.equal(formatted('experiment a {\n   model "m\n}'), undefined);
  assert.equal(formatted(''), undefined);
});
