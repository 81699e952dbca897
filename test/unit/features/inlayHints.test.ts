// Inlay hints: tensors and parameters after each selection that matched something.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inlayHints } from '../../../server/src/features/inlayHints';
import { analysed } from './documents';

const DOC = `experiment a {
  model "models/tiny"
  task glue.sst2 { data "data/SST-2" }
  method mask {
    blocks 0
    matrices query, key, value, attention_output, intermediate, output
    also pooler, head
    select "encoder.layer.1.*.dense.weight", "nothing.here"
  }
}
experiment b extends a {
  method mask { also pooler }
}
`;

/** Each hint as `after <text before it on its line>: label`. */
function rendered(text: string, range?: { start: number; end: number }): string[] {
  const a = analysed(text);
  return inlayHints(a.analysis, a.lines, range ?? { start: 0, end: text.length }).map((h) => {
    const line = text.split('\n')[h.position.line];
    assert.equal(h.paddingLeft, true);
    return `after ${JSON.stringify(line.slice(0, h.position.character).trim())}: ${typeof h.label === 'string' ? h.label : ''}`;
  });
}

test('after each selection: tensors and compact parameters; nothing for a selection matching nothing', () => {
  assert.deepEqual(rendered(DOC), [
    'after "method mask": 10 tensors · 0.3M params',
    'after "matrices query, key, value, attention_output, intermediate, output": 6 tensors · 0.2M params',
    'after "also pooler": 1 tensor · 16.4K params',
    'after "also pooler, head": 1 tensor · 256 params',
    'after "select \\"encoder.layer.1.*.dense.weight\\"": 2 tensors · 0.1M params',
    'after "method mask": 9 tensors · 0.3M params',
    'after "method mask { also pooler": 1 tensor · 16.4K params',
  ]);
});

test('only hints inside the requested range', () => {
  const start = DOC.indexOf('experiment b');
  assert.deepEqual(rendered(DOC, { start, end: DOC.length }), [
    'after "method mask": 9 tensors · 0.3M params',
    'after "method mask { also pooler": 1 tensor · 16.4K params',
  ]);
  assert.deepEqual(rendered(DOC, { start: 0, end: 10 }), []);
});

test('no model, no hints', () => {
  assert.deepEqual(rendered('experiment a {\n  model "models/broken"\n  method mask { blocks 0 }\n}'), []);
});
