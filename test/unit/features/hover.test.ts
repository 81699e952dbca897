// Hover at `<|>` markers, compared as markdown fragments, and the range it covers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hover } from '../../../server/src/features/hover';
import { MAX_TABLE_ROWS } from '../../../server/src/features/selectionSummary';
import { bertDescription, StubModels, TINY_DIR } from '../analysis/helpers';
import { cursorIn } from './cursor';
import { analysedAt, atCursor, textOf } from './documents';

const DOC = `experiment a {
  model "models/tiny"
  task glue.sst2 { data "data/SST-2" }
  method mask {
    blocks 0..1
    matrices query, value
    also pooler, head
    select "encoder.layer.0.output.dense.weight"
    variant sign
    lr 1e-3
  }
}
experiment b extends a {
  method finetune { warmup 10% }
}
sweep s of a {
  train.seed 1..3
  method.lr 1e-4, 1e-3
}
`;

/** Hover with the cursor just inside the first occurrence of `needle` (after `skip` characters of it). */
function hoverAt(needle: string, skip = 1, text = DOC): { markdown: string; covered: string } | null {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `no '${needle}' in the document`);
  const m = atCursor(text.slice(0, at + skip) + '<|>' + text.slice(at + skip));
  const h = hover(m.analysis, m.lines, m.offset);
  if (!h) return null;
  assert.ok(typeof h.contents === 'object' && 'kind' in h.contents && h.contents.kind === 'markdown');
  assert.ok(h.range, 'hovers say what they cover');
  return { markdown: h.contents.value, covered: textOf(m.analysis, m.lines, h.range) };
}

function markdownAt(needle: string, skip = 1, text = DOC): string {
  const h = hoverAt(needle, skip, text);
  assert.ok(h, `no hover at '${needle}'`);
  return h.markdown;
}

test('a key: documentation, type, the default here and by method, the paper, an example', () => {
  const h = hoverAt('lr 1e-3');
  assert.ok(h);
  assert.equal(h.covered, 'lr');
  const lines = h.markdown.split('\n');
  assert.equal(lines[0], '`method.lr` · method knob');
  assert.match(lines[2], /^The learning rate of what the method trains/);
  assert.ok(lines.includes('- Type: a number > 0'));
  assert.ok(lines.some((l) => l.startsWith('- Default: `1e-3` here (finetune: `2e-5`; mask: `1e-3`; dsee: `2e-4`; sparse_finetune: `1e-3` with mode topk, `2e-5` with mode layers)')));
  assert.ok(lines.some((l) => l.startsWith('- From **Zhao et al. 2020**: Mengjie Zhao')));
  assert.equal(lines[lines.length - 1], 'Example: `lr 1e-3`');
  // The same knob in the fine-tuning child has that method's default.
  assert.match(markdownAt('warmup'), /- Default: `10%` here \(finetune: `10%`; mask: `0%`/);
  assert.match(markdownAt('variant'), /- Method: `mask` only/);
});

test('a block: documentation, its kinds, required', () => {
  const md = markdownAt('task');
  assert.match(md, /^`task` · block\n\nThe task to adapt the model to/);
  assert.match(md, /- Task: `glue\.sst2`, `glue\.mrpc`/);
  assert.match(md, /- Required \(or inherited through `extends`\)/);
});

test('an enum value and a kind: what they mean', () => {
  assert.equal(markdownAt('sign'), '`variant sign` · value of `variant`\n\nM = (sign(S) + 1)/2 with S clipped to [−1, 1] (sign-STE).');
  assert.match(markdownAt('glue.sst2', 6), /^`task glue\.sst2` · task\n\nGLUE SST-2 sentiment \(single sentence\)\. Default metrics: accuracy\./);
  assert.equal(hoverAt('glue.sst2', 6)?.covered, 'glue.sst2');
});

test('selections: the matched tensors with shapes and totals', () => {
  const blocks = markdownAt('blocks');
  assert.deepEqual(blocks.split('\n').slice(0, 8), [
    '**blocks × matrices** in `a`: 4 tensors · 65,536 parameters (65.5K)',
    '',
    '| tensor | shape | parameters |',
    '| --- | --- | ---: |',
    '| `encoder.layer.0.attention.self.query.weight` | 128 × 128 | 16,384 |',
    '| `encoder.layer.0.attention.self.value.weight` | 128 × 128 | 16,384 |',
    '| `encoder.layer.1.attention.self.query.weight` | 128 × 128 | 16,384 |',
    '| `encoder.layer.1.attention.self.value.weight` | 128 × 128 | 16,384 |',
  ]);
  assert.match(blocks, /`method\.blocks` · method knob/, 'the key keeps its documentation below the table');
  assert.match(markdownAt('0..1'), /^\*\*blocks × matrices\*\* in `a`: 4 tensors/);
  assert.match(markdownAt('head'), /^\*\*also head\*\* in `a`: 1 tensor · 256 parameters \(256\)\n\n.*\n.*\n\| `classifier\.weight` — created at train time/);
  assert.match(markdownAt('head'), /`also head` · value of `also`/);
  assert.match(markdownAt('"encoder.layer.0.output'), /^\*\*select "encoder\.layer\.0\.output\.dense\.weight"\*\* in `a`: 1 tensor · 65,536 parameters \(65\.5K\)/);
  const kind = markdownAt('mask {');
  assert.match(kind, /^\*\*method mask: every target\*\* in `a`: 7 tensors · 147,712 parameters \(0\.1M\)/);
  assert.match(kind, /`method mask` · method\n\nLearn a binary mask/);
});

test('a long selection table is capped, with how many more', () => {
  const models = new StubModels({ [TINY_DIR]: bertDescription(TINY_DIR, { layers: 12 }) });
  const { text, offset } = cursorIn(`experiment a {\n  model "models/tiny"\n  task glue.sst2 { data "data/SST-2" }\n  method m<|>ask\n}`);
  const a = analysedAt(text, '/proj/experiments/exp.masklab', models);
  const h = hover(a.analysis, a.lines, offset);
  assert.ok(h && typeof h.contents === 'object' && 'value' in h.contents);
  const rows = h.contents.value.split('\n').filter((l) => l.startsWith('| `'));
  assert.equal(rows.length, MAX_TABLE_ROWS);
  // 12 blocks × 6 matrices, the pooler and the created head.
  assert.match(h.contents.value, new RegExp(`\\| … and ${12 * 6 + 2 - MAX_TABLE_ROWS} more \\| \\| \\|`));
});

test('the model line: the architecture, or why it cannot be read', () => {
  const md = markdownAt('"models/tiny"');
  assert.match(md, /^\*\*Model\*\* `models\/tiny`: BERT \(`BertForMaskedLM`\)\n\n2 layers · hidden 128 · 2 heads · FFN 512 · 4\.4M parameters/);
  assert.match(md, /\| parameters \| 4,416,442 in 40 tensors \|/);
  assert.match(markdownAt('model'), /^\*\*Model\*\*[^]*`model` · key/);
  const broken = `experiment a {\n  model "models/broken"\n}`;
  assert.match(markdownAt('"models', 1, broken), /^\*\*Model\*\* `models\/broken` cannot be read\n\n.*model\.safetensors is truncated/);
});

test('experiment and sweep names: the extends chain, the axes and cells', () => {
  assert.equal(markdownAt('b extends', 0), '`b` · experiment\n\nExtends: `b` → `a`\n\nmethod `finetune` · task `glue.sst2` · model `models/tiny`');
  assert.equal(markdownAt('a {', 0), '`a` · experiment\n\nExtends nothing: every entry is its own.\n\nmethod `mask` · task `glue.sst2` · model `models/tiny`');
  assert.equal(markdownAt('s of', 0), '`s` · sweep of `a`: 6 cells\n\n- `train.seed`: 1, 2, 3\n- `method.lr`: 1e-4, 1e-3');
  assert.match(markdownAt('a {\n  train', 0, `${DOC}sweep t of a {\n  train.seed 1\n}\n`), /^`a` · experiment/);
  const broken = 'experiment x extends y {}\nexperiment p extends q {}\nexperiment q extends p {}\n';
  assert.equal(markdownAt('x extends', 0, broken), '`x` · experiment\n\nExtends: `x` → `y` (not declared)');
  assert.equal(markdownAt('y', 0, broken), '`y` is not declared in this file');
  assert.equal(markdownAt('p extends', 0, broken), '`p` · experiment\n\n`extends` goes round in a circle: `p` → `q` → `p`');
});

test('sweep keys: each part of a dotted key, and the values', () => {
  assert.match(markdownAt('train.seed', 1), /^`train` · block/);
  const seed = hoverAt('seed 1', 1);
  assert.ok(seed);
  assert.equal(seed.covered, 'seed');
  assert.match(seed.markdown, /^`train\.seed` · train key/);
  assert.match(markdownAt('method.lr 1e-4', 8), /^`method\.lr` · method knob[^]*Default: `1e-3` here/);
  assert.match(markdownAt('1e-4'), /^`method\.lr` · method knob/);
});

test('nothing on whitespace, comments, keywords, or unknown keys', () => {
  assert.equal(hoverAt('  method mask', 1), null);
  assert.equal(hoverAt('extends a', 2), null);
  assert.equal(hoverAt('// c', 2, `${DOC}// c\n`), null);
  assert.equal(hoverAt('trian', 2, `experiment a {\n  trian { epochs 1 }\n}`), null);
});
