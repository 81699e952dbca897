// Completion at `<|>` markers: which labels are offered where, and what accepting one writes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CompletionItem } from 'vscode-languageserver-types';
import { completion } from '../../../server/src/features/completion';
import { atCursor, textOf } from './documents';

const HEAD = `experiment a {
  model "models/tiny"
  task glue.sst2 { data "data/SST-2" }
`;

function complete(marked: string): CompletionItem[] {
  const m = atCursor(marked);
  return completion(m.analysis, m.lines, m.offset);
}

function labels(marked: string): string[] {
  return complete(marked).map((i) => i.label);
}

function find(items: CompletionItem[], label: string): CompletionItem {
  const found = items.find((i) => i.label === label);
  assert.ok(found, `no item '${label}' among ${items.map((i) => i.label).join(', ')}`);
  return found;
}

function newText(item: CompletionItem): string {
  assert.ok(item.textEdit && 'range' in item.textEdit, 'items replace a range');
  return item.textEdit.newText;
}

test('between declarations: the declaration keywords, with snippets naming the experiments', () => {
  const items = complete(`${HEAD}  method mask\n}\n\n<|>`);
  assert.deepEqual(items.map((i) => i.label), ['experiment', 'sweep']);
  assert.equal(items[1].insertTextFormat, 2);
  assert.equal(newText(items[1]), 'sweep ${1:name} of ${2|a|} {\n\t${3:train.seed} ${4:1, 2, 3}\n}');
  assert.match(newText(items[0]), /^experiment \$\{1:name\} \{\n\tmodel "\$\{2\}"\n\ttask \$\{3\|glue\.sst2,/);
  // A keyword half typed is replaced whole, even when the parser already took it for the keyword.
  const m = atCursor(`${HEAD}  method mask\n}\nexperimen<|>`);
  const [first] = completion(m.analysis, m.lines, m.offset);
  assert.ok(first.textEdit && 'range' in first.textEdit);
  assert.equal(textOf(m.analysis, m.lines, first.textEdit.range), 'experimen');
});

test('in a header: extends or of after the name, experiment names after them', () => {
  const doc = `${HEAD}  method mask\n}\nexperiment b {}\n`;
  assert.deepEqual(labels(`${doc}experiment c <|>`), ['extends']);
  assert.deepEqual(labels(`${doc}sweep s <|>`), ['of']);
  assert.deepEqual(labels(`${doc}experiment c extends <|>`), ['a', 'b']);
  // An experiment does not extend itself; a sweep may run any experiment.
  assert.deepEqual(labels(`${doc}experiment c extends <|> {}`), ['a', 'b']);
  assert.deepEqual(labels(`experiment a extends <|> {}\nexperiment b {}`), ['b']);
  assert.deepEqual(labels(`${doc}sweep s of b<|> {}`), ['a', 'b']);
  assert.deepEqual(labels(`${doc}experiment <|>`), [], 'a new name is the user’s to invent');
});

test('the keys and blocks an experiment can still take, in key-table order', () => {
  assert.deepEqual(labels(`${HEAD}  method mask\n  <|>\n}`), ['train', 'evaluate', 'device']);
  assert.deepEqual(labels(`experiment a {\n  <|>\n}`), ['model', 'task', 'method', 'train', 'evaluate', 'device']);
  // The key being typed is not "already present".
  assert.deepEqual(labels(`experiment a {\n  mod<|>\n}`), ['model', 'task', 'method', 'train', 'evaluate', 'device']);
  assert.deepEqual(labels(`${HEAD}  method mask\n  train { epochs 10 <|> }\n}`), ['batch', 'seed', 'max_steps', 'grad_accumulation', 'checkpoint_every', 'dropout']);
});

test('knobs follow the method, written or inherited', () => {
  const mask = labels(`${HEAD}  method mask {\n    lr 1e-3\n    <|>\n  }\n}`);
  assert.ok(mask.includes('threshold') && mask.includes('initial_sparsity'));
  assert.ok(!mask.includes('lr'), 'lr is already set');
  assert.ok(!mask.includes('rank') && !mask.includes('prune'), 'dsee knobs and blocks are not mask knobs');
  const dsee = labels(`${HEAD}  method dsee {\n    <|>\n  }\n}`);
  assert.deepEqual(dsee.slice(-5), ['rank', 'alpha', 'sparse_entries', 'support', 'prune']);
  // `method { … }` in a child takes its kind from the experiment it extends.
  const inherited = labels(`${HEAD}  method sparse_finetune\n}\nexperiment b extends a {\n  method {\n    <|>\n  }\n}`);
  assert.ok(inherited.includes('sparsity') && inherited.includes('mode') && !inherited.includes('threshold'));
});

test('a key item writes the key and a snippet for its value, with type and default as detail', () => {
  const items = complete(`${HEAD}  method mask {\n    <|>\n  }\n}`);
  const lr = find(items, 'lr');
  assert.equal(lr.detail, 'number > 0 · default 1e-3');
  assert.equal(newText(lr), 'lr ${1:1e-3}');
  assert.equal(lr.kind, 10);
  const doc = lr.documentation;
  assert.ok(doc && typeof doc === 'object' && doc.kind === 'markdown');
  assert.match(doc.value, /^`method\.lr` · method knob\n\nThe learning rate/);
  assert.match(doc.value, /- Default: `1e-3` here \(finetune: `2e-5`; mask: `1e-3`; dsee: `2e-4`; sparse_finetune:/);
  assert.match(doc.value, /From \*\*Zhao et al\. 2020\*\*/);
  assert.equal(newText(find(items, 'variant')), 'variant ${1|threshold,sign,stochastic|}');
  assert.equal(find(items, 'variant').detail, 'threshold | sign | stochastic · default threshold');
  // Blocks open a body; blocks with kinds offer the kinds as a choice.
  const top = complete(`experiment a {\n  <|>\n}`);
  assert.equal(newText(find(top, 'train')), 'train {\n\t$0\n}');
  assert.equal(newText(find(top, 'method')), 'method ${1|finetune,mask,sparse_finetune,dsee|} {\n\t$0\n}');
  assert.equal(newText(find(top, 'model')), 'model "${1}"');
  assert.equal(find(top, 'model').command?.command, 'editor.action.triggerSuggest');
  assert.equal(find(top, 'model').detail, 'folder path · required');
});

test('renaming a key that already has a value inserts the name alone', () => {
  const items = complete(`${HEAD}  method mask {\n    thr<|>eshold 0.02\n  }\n}`);
  const item = find(items, 'threshold');
  assert.equal(newText(item), 'threshold');
  assert.equal(item.insertTextFormat, undefined);
  const m = atCursor(`${HEAD}  method mask {\n    thr<|>eshold 0.02\n  }\n}`);
  const edit = completion(m.analysis, m.lines, m.offset).find((i) => i.label === 'threshold')?.textEdit;
  assert.ok(edit && 'range' in edit);
  assert.equal(textOf(m.analysis, m.lines, edit.range), 'threshold', 'the whole word is replaced');
});

test('kinds after method, task and prune', () => {
  assert.deepEqual(labels(`${HEAD}  method <|>\n}`), ['finetune', 'mask', 'sparse_finetune', 'dsee']);
  assert.deepEqual(labels(`experiment a {\n  task <|>\n}`), [
    'glue.sst2', 'glue.mrpc', 'glue.cola', 'glue.rte', 'glue.qnli', 'glue.stsb', 'glue.mnli', 'glue.qqp', 'csv', 'tsv', 'jsonl',
  ]);
  // `method` with the next line's block parsed as its value: still the kind being written.
  assert.deepEqual(labels(`${HEAD}  method <|>\n  train { epochs 1 }\n}`), ['finetune', 'mask', 'sparse_finetune', 'dsee']);
  assert.deepEqual(labels(`${HEAD}  method dsee {\n    prune <|>\n  }\n}`), ['unstructured', 'heads']);
  const m = atCursor(`experiment a {\n  task glue.s<|>\n}`);
  const item = completion(m.analysis, m.lines, m.offset).find((i) => i.label === 'glue.sst2');
  assert.ok(item?.textEdit && 'range' in item.textEdit);
  assert.equal(textOf(m.analysis, m.lines, item.textEdit.range), 'glue.s', 'the dotted name typed so far is replaced');
});

test('enum values, list values after a comma, booleans, none', () => {
  assert.deepEqual(labels(`${HEAD}  method mask {\n    variant <|>\n  }\n}`), ['threshold', 'sign', 'stochastic']);
  assert.deepEqual(labels(`${HEAD}  method mask {\n    matrices query, <|>\n  }\n}`), ['key', 'value', 'attention_output', 'intermediate', 'output']);
  assert.deepEqual(labels(`${HEAD}  method mask {\n    matrices query,\n             <|>\n  }\n}`), ['key', 'value', 'attention_output', 'intermediate', 'output']);
  // `also` allows what the method allows, and `none`.
  assert.deepEqual(labels(`${HEAD}  method mask {\n    also <|>\n  }\n}`), ['pooler', 'head', 'none']);
  assert.deepEqual(labels(`${HEAD}  method finetune {\n    also head, <|>\n  }\n}`), ['pooler', 'embeddings']);
  assert.deepEqual(labels(`${HEAD}  method mask\n  device { require_gpu <|> }\n}`), ['true', 'false']);
  assert.deepEqual(labels(`${HEAD}  method mask\n  evaluate { keep best, <|> }\n}`), [], 'keep takes one value');
  // A value half typed is not excluded because it is "written".
  assert.deepEqual(labels(`${HEAD}  method mask {\n    also pooler<|>\n  }\n}`), ['pooler', 'head', 'none']);
});

test('block numbers come from the checkpoint; numbers offer their default', () => {
  const blocks = complete(`${HEAD}  method mask {\n    blocks <|>\n  }\n}`);
  assert.deepEqual(blocks.map((i) => `${i.label}: ${i.detail}`), ['all: every block (0..1)', '0: block 0 of 2', '1: block 1 of 2']);
  assert.deepEqual(labels(`${HEAD}  method mask {\n    blocks 0, <|>\n  }\n}`), ['1']);
  assert.deepEqual(labels(`${HEAD}  method finetune {\n    lr <|>\n  }\n}`), ['2e-5']);
  assert.deepEqual(labels(`${HEAD}  method mask {\n    warmup <|>\n  }\n}`), ['0%']);
});

test('units after a number where the key takes a duration', () => {
  assert.deepEqual(labels(`${HEAD}  method mask\n  evaluate { every 60 <|> }\n}`), ['steps', 'epochs']);
  assert.deepEqual(labels(`${HEAD}  method mask { warmup 2 ep<|> }\n}`), ['steps', 'epochs']);
  // Touching the number, the unit brings its space.
  const touching = complete(`${HEAD}  method mask\n  train { checkpoint_every 200<|> }\n}`);
  assert.deepEqual(touching.map(newText), [' steps', ' epochs']);
  // Not after a plain number: the next key instead.
  assert.ok(!labels(`${HEAD}  method mask\n  train { batch 32 <|> }\n}`).includes('steps'));
});

test('sweeps: dotted keys for the target method, minus the axes already there; values per axis', () => {
  const doc = `${HEAD}  method mask\n}\nsweep s of a {\n  train.seed 1, 2\n  <|>\n}`;
  const keys = labels(doc);
  assert.ok(keys.includes('method.lr') && keys.includes('method.threshold') && keys.includes('train.batch'));
  assert.ok(!keys.includes('train.seed'), 'already an axis');
  assert.ok(!keys.includes('method.rank'), 'a dsee knob has no effect on a mask experiment');
  assert.ok(!keys.includes('task.text'), 'a csv key has no effect on a GLUE task');
  assert.ok(keys.includes('method') && keys.includes('task'));
  // Varying the method opens every method's knobs.
  const open = labels(`${HEAD}  method mask\n}\nsweep s of a {\n  method mask, dsee\n  <|>\n}`);
  assert.ok(open.includes('method.rank') && open.includes('method.prune'));
  const items = complete(`${HEAD}  method mask\n}\nsweep s of a {\n  method.l<|>\n}`);
  const lr = find(items, 'method.lr');
  assert.equal(newText(lr), 'method.lr ${1:1e-3}');
  assert.deepEqual(labels(`${HEAD}  method mask\n}\nsweep s of a {\n  method.variant sign, <|>\n}`), ['threshold', 'stochastic']);
  assert.deepEqual(labels(`${HEAD}  method mask\n}\nsweep s of a {\n  method mask, <|>\n}`), ['finetune', 'sparse_finetune', 'dsee']);
});

test('nothing in comments, on junk, or inside regular expressions', () => {
  assert.deepEqual(labels(`${HEAD}  method mask // <|>\n}`), []);
  assert.deepEqual(labels(`${HEAD}  method mask /* a <|> */\n}`), []);
  assert.deepEqual(labels(`${HEAD}  method mask { select re"enc<|>" }\n}`), []);
  assert.deepEqual(labels(`${HEAD}  method mask { lr "x<|>" }\n}`), [], 'lr takes no string');
});

test('typing a new declaration at the margin of an unclosed experiment', () => {
  const items = labels(`${HEAD}  method mask\n\n<|>`);
  assert.deepEqual(items.slice(-2), ['experiment', 'sweep']);
  assert.ok(items.includes('train'));
});
