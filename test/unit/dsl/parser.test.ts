import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Block, DurationValue, ExperimentDecl, Property, SweepDecl } from '../../../server/src/dsl/ast';
import { parse } from '../../../server/src/dsl/parser';
import { dumpTree } from './dumpTree';
import { checkSpans } from './invariants';

const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

/** Parses, checks the document is clean and sound, and returns it. */
function parseClean(text: string) {
  const doc = parse(text);
  assert.deepEqual(doc.errors, []);
  checkSpans(doc, text);
  return doc;
}

test('mask fixture: every block, list, percent, duration and comment', () => {
  const text = fixture('mask.masklab');
  const doc = parseClean(text);
  assert.equal(
    dumpTree(doc),
    `experiment sst2_mask
  model = str("../models/bert-tiny")
  task id(glue.sst2) {
    data = str("../data/glue/sst2")
    max_length = num(64)
  method id(mask) {
    blocks = id(all)
    matrices = id(query), id(key), id(value), id(attention_output), id(intermediate), id(output)
    also = id(pooler), id(head)
    threshold = num(0.01)
    initial_sparsity = pct(0.05)
    lr = num(0.001)
  train {
    epochs = num(10)
    batch = num(32)
    seed = num(42)
  evaluate {
    every = dur(60 steps)
    metrics = id(accuracy), id(f1)
    keep = id(best)
  backend = id(auto)`,
  );
  assert.deepEqual(
    doc.comments.map((c) => c.text),
    ['// Learn binary masks over a pretrained BERT instead of fine-tuning it (Zhao et al., 2020).', '// Hugging Face folder, relative to this file', '/* or 2..11 on a 12-block model */'],
  );
});

test('finetune fixture: extends, ranges, selectors, regexes, escapes', () => {
  const doc = parseClean(fixture('finetune-extends.masklab'));
  assert.equal(
    dumpTree(doc),
    String.raw`experiment sst2_base
  model = str("models/tiny")
  task id(csv) {
    data = str("reviews.csv")
    text = str("review")
    label = str("stars")
  train {
    epochs = num(3)
    batch = num(16)
    seed = num(7)
experiment sst2_finetune extends sst2_base
  method id(finetune) {
    blocks = range(2..11)
    lr = num(0.00002)
    warmup = pct(0.1)
  evaluate {
    every = dur(1 epochs)
    metrics = id(accuracy)
  select = str("encoder.layer.{2..11}.attention.self.*.weight")
  exclude = re("encoder\\.layer\\.(0|1)\\..*\"q\"")
  note = str("tab\there, \"quoted\", snowman ☃")`,
  );
});

test('dsee and sweep fixture: nested prune blocks, dotted sweep keys', () => {
  const doc = parseClean(fixture('dsee-sweep.masklab'));
  const sweep = doc.declarations[1] as SweepDecl;
  assert.equal(sweep.kind, 'sweep');
  assert.equal(sweep.name?.name, 'seeds_and_rates');
  assert.equal(sweep.target?.name, 'sst2_dsee');
  assert.equal(
    dumpTree({ ...doc, declarations: [sweep] }),
    `sweep seeds_and_rates of sst2_dsee
  train.seed = num(1), num(2), num(3)
  method.lr = num(0.0001), num(0.001)`,
  );
  const method = (doc.declarations[0] as ExperimentDecl).body!.entries[2] as Block;
  const prune = method.body.entries.filter((e): e is Block => e.kind === 'block');
  assert.deepEqual(
    prune.map((b) => dumpTree({ ...doc, declarations: [{ ...(doc.declarations[0] as ExperimentDecl), body: { ...b.body } }] }).split('\n').slice(1)),
    [
      ['  sparsity = pct(0.2)', '  retune = dur(3 epochs)'],
      ['  count = num(2)', '  retune = dur(100 steps)'],
    ],
  );
  assert.deepEqual(sweep.body!.entries.map((e) => (e as Property).key.parts.map((p) => p.name)), [
    ['train', 'seed'],
    ['method', 'lr'],
  ]);
});

test('duration rule: unit on the same line and not followed by a literal', () => {
  const text = `experiment a {
  batch 32 epochs 10
  every 60 steps  metrics accuracy
  retune 3 epochs }
experiment b {
  x 5
  steps 1
  wait 2 step, 1 epoch
  late 4
    epochs { y 1 }
  glued 60steps
  dotted 3 epochs.lr 1
}`;
  const doc = parseClean(text);
  assert.equal(
    dumpTree(doc),
    `experiment a
  batch = num(32)
  epochs = num(10)
  every = dur(60 steps)
  metrics = id(accuracy)
  retune = dur(3 epochs)
experiment b
  x = num(5)
  steps = num(1)
  wait = dur(2 steps), dur(1 epochs)
  late = num(4)
  epochs {
    y = num(1)
  glued = dur(60 steps)
  dotted = num(3)
  epochs.lr = num(1)`,
  );
  const every = ((doc.declarations[0] as ExperimentDecl).body!.entries[2] as Property).values[0] as DurationValue;
  assert.equal(text.slice(every.span.start, every.span.end), '60 steps');
  assert.equal(text.slice(every.unitSpan.start, every.unitSpan.end), 'steps');
  assert.equal(every.raw, '60 steps');
});

test('values may continue on the next line after a comma; lists need commas', () => {
  const doc = parseClean('experiment a {\n  metrics accuracy,\n    f1   keep best\n  m a , b,c\n}');
  assert.equal(dumpTree(doc), 'experiment a\n  metrics = id(accuracy), id(f1)\n  keep = id(best)\n  m = id(a), id(b), id(c)');
});

test('blocks take any values as arguments, and nest', () => {
  const doc = parseClean('experiment a { prune heads, 2 { inner "x" { deepest 1 } } empty {} }');
  assert.equal(dumpTree(doc), 'experiment a\n  prune id(heads), num(2) {\n    inner str("x") {\n      deepest = num(1)\n  empty {');
});

test('spans: a property covers key through last value; keys and dotted parts are exact', () => {
  const text = 'sweep s of a {\n  train.seed 1, 2, 3 // c\n}';
  const doc = parseClean(text);
  const prop = (doc.declarations[0] as SweepDecl).body!.entries[0] as Property;
  const slice = (s: { start: number; end: number }) => text.slice(s.start, s.end);
  assert.equal(slice(prop.span), 'train.seed 1, 2, 3');
  assert.equal(slice(prop.key.span), 'train.seed');
  assert.deepEqual(prop.key.parts.map((p) => slice(p.span)), ['train', 'seed']);
  assert.equal(prop.key.text, 'train.seed');
  const decl = doc.declarations[0] as SweepDecl;
  assert.equal(slice(decl.keyword), 'sweep');
  assert.equal(slice(decl.ofKeyword!), 'of');
  assert.equal(slice(decl.span), text);
});

test('positions are UTF-16 offsets: emoji and CJK before a token', () => {
  const text = '/* 😀 中文 */ experiment a { note "😀" lr 1 }';
  const doc = parseClean(text);
  const decl = doc.declarations[0] as ExperimentDecl;
  assert.equal(decl.keyword.start, text.indexOf('experiment'));
  const [note, lr] = decl.body!.entries as Property[];
  assert.equal(text.slice(note.values[0].span.start, note.values[0].span.end), '"😀"');
  assert.equal(note.values[0].span.end - note.values[0].span.start, 4, 'the emoji counts as two code units');
  assert.equal(lr.key.span.start, text.indexOf('lr'));
});

test('CRLF line endings parse like LF, with exact offsets', () => {
  const lf = 'experiment a {\n  lr 1\n  // c\n  t { x 2 }\n}\n';
  const crlf = lf.replace(/\n/g, '\r\n');
  const a = parseClean(lf);
  const b = parseClean(crlf);
  assert.equal(dumpTree(a), dumpTree(b));
  const lr = (b.declarations[0] as ExperimentDecl).body!.entries[0] as Property;
  assert.equal(lr.key.span.start, crlf.indexOf('lr'));
  assert.equal(b.comments[0].text, '// c', 'a line comment stops before \\r');
});

test('comments may sit anywhere between tokens', () => {
  const doc = parseClean('/*a*/experiment/*b*/x/*c*/extends/*d*/y/*e*/{/*f*/lr/*g*/1/*h*/,/*i*/2/*j*/}//k');
  assert.equal(dumpTree(doc), 'experiment x extends y\n  lr = num(1), num(2)');
  assert.equal(doc.comments.length, 11);
});

test('empty and comment-only documents', () => {
  assert.deepEqual(parseClean('').declarations, []);
  const doc = parseClean('// just a note\n\n/* and another */\n');
  assert.equal(doc.comments.length, 2);
});
