import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ExperimentDecl, Property } from '../../../server/src/dsl/ast';
import { parse, MAX_NESTING } from '../../../server/src/dsl/parser';
import { MAX_SYNTAX_ERRORS } from '../../../server/src/dsl/syntaxErrors';
import { dumpErrors, dumpTree } from './dumpTree';
import { checkSpans } from './invariants';

function parseChecked(text: string) {
  const doc = parse(text);
  checkSpans(doc, text);
  return doc;
}

test('several errors in one file are all reported, and the rest still parses', () => {
  const text = `experiment a {
  lr
  batch 32
  5 6
  seed 4
}
foo bar
experiment b {
  s "abc
  w 10x
  ok 1
}`;
  const doc = parseChecked(text);
  assert.deepEqual(dumpErrors(doc, text), [
    'expected-value@2:3',
    'unexpected-token@4:3',
    'expected-declaration@7:1',
    'unterminated-string@9:5',
    'invalid-number@10:5',
  ]);
  assert.equal(
    dumpTree(doc),
    'experiment a\n  lr = missing\n  batch = num(32)\n  seed = num(4)\nexperiment b\n  s = str("abc")\n  w = missing\n  ok = num(1)',
  );
});

test('a missing } at the end is reported at the opening brace, and close stays undefined', () => {
  const text = 'experiment a {\n  train {\n    epochs 2\n';
  const doc = parseChecked(text);
  assert.deepEqual(
    doc.errors.map((e) => [e.code, text.slice(e.span.start, e.span.end), e.message]),
    [
      ['unclosed-brace', '{', "this '{' is never closed: add '}' after its last entry"],
      ['unclosed-brace', '{', "this '{' is never closed: add '}' after its last entry"],
    ],
  );
  assert.deepEqual(doc.errors.map((e) => e.span.start), [13, 23]);
  const decl = doc.declarations[0] as ExperimentDecl;
  assert.equal(decl.body!.close, undefined);
  assert.equal(decl.body!.span.end, text.length, 'an unclosed body reaches the end, so the cursor there is inside it');
  assert.equal(dumpTree(doc), 'experiment a\n  train {\n    epochs = num(2)\n    <unclosed>\n  <unclosed>');
});

test('a missing } before the next declaration does not swallow it', () => {
  const text = 'experiment a {\n  lr 1\nexperiment b {\n  x 1\n}\nsweep s of b { y 2 }';
  const doc = parseChecked(text);
  assert.deepEqual(dumpErrors(doc, text), ['unclosed-brace@1:14']);
  assert.equal(dumpTree(doc), 'experiment a\n  lr = num(1)\n  <unclosed>\nexperiment b\n  x = num(1)\nsweep s of b\n  y = num(2)');
});

test('misspelt keywords: exact message, replacement, and the declaration still parses', () => {
  const text = 'experimnt a extend b { lr 1 }\nswep s off a { x 1 }';
  const doc = parseChecked(text);
  assert.deepEqual(
    doc.errors.map((e) => [e.code, text.slice(e.span.start, e.span.end), e.message, e.replacement]),
    [
      ['unknown-keyword', 'experimnt', "unknown keyword 'experimnt', did you mean 'experiment'?", 'experiment'],
      ['unknown-keyword', 'extend', "unknown keyword 'extend', did you mean 'extends'?", 'extends'],
      ['unknown-keyword', 'swep', "unknown keyword 'swep', did you mean 'sweep'?", 'sweep'],
      ['unknown-keyword', 'off', "unknown keyword 'off', did you mean 'of'?", 'of'],
    ],
  );
  assert.equal(dumpTree(doc), 'experiment a extends b\n  lr = num(1)\nsweep s of a\n  x = num(1)');
});

test('a stray } at the top level is reported on its own', () => {
  const text = 'experiment a { x 1 } }\nexperiment b { y 2 }';
  const doc = parseChecked(text);
  assert.deepEqual(dumpErrors(doc, text), ['unmatched-brace@1:22']);
  assert.equal(doc.declarations.length, 2);
});

test('top-level junk that is no keyword is skipped up to the next declaration', () => {
  const text = 'lr 1e-3 { x 1 }\n} 42\nexperiment a { y 2 }';
  const doc = parseChecked(text);
  // One error for the whole stretch: reporting each stray token would only repeat it.
  assert.deepEqual(dumpErrors(doc, text), ['expected-declaration@1:1']);
  assert.equal(dumpTree(doc), 'experiment a\n  y = num(2)');
});

test('missing names, missing of, junk before the brace', () => {
  const text = 'experiment { a 1 }\nexperiment extends b { c 2 }\nsweep s { d 3 }\nexperiment e f g { h 4 }';
  const doc = parseChecked(text);
  assert.deepEqual(
    doc.errors.map((e) => e.code),
    ['expected-name', 'expected-name', 'unexpected-token', 'expected-brace'],
  );
  assert.equal(
    dumpTree(doc),
    'experiment <no name>\n  a = num(1)\nexperiment <no name> extends b\n  c = num(2)\nsweep s\n  d = num(3)\nexperiment e\n  h = num(4)',
  );
});

test('junk inside a body recovers at the next line, skipping whole { … } groups', () => {
  const text = 'experiment a {\n  lr 1 @ 2\n  b 3\n  bad { { x 1 } }\n  good 1\n  "stray" 5\n  last 2\n}';
  const doc = parseChecked(text);
  assert.deepEqual(dumpErrors(doc, text), ['unexpected-character@2:8', 'unexpected-token@2:10', 'unexpected-token@4:9', 'unexpected-token@6:3']);
  assert.equal(dumpTree(doc), 'experiment a\n  lr = num(1)\n  b = num(3)\n  bad {\n  good = num(1)\n  last = num(2)');
});

test('trailing commas and half-typed dotted keys leave placeholders for completion', () => {
  const text = 'experiment a {\n  matrices query,\n}\nsweep s of a { train. }';
  const doc = parseChecked(text);
  assert.deepEqual(dumpErrors(doc, text), ['expected-value@3:1', 'expected-name@4:21', 'expected-value@4:23']);
  const matrices = (doc.declarations[0] as ExperimentDecl).body!.entries[0] as Property;
  assert.deepEqual(matrices.values.map((v) => v.kind), ['identifier-value', 'missing']);
  const train = doc.declarations[1].body!.entries[0] as Property;
  assert.deepEqual(train.key.parts.map((p) => p.name), ['train', '']);
  assert.equal(train.key.text, 'train.');
  assert.equal(train.key.parts[1].span.start, text.indexOf('train.') + 6);
});

test('an unterminated string or comment does not hide later errors', () => {
  const text = 'experiment a {\n  s "open\n  t 1x\n}\n/* open';
  const doc = parseChecked(text);
  assert.deepEqual(dumpErrors(doc, text), ['unterminated-string@2:5', 'invalid-number@3:5', 'unterminated-comment@5:1']);
});

test('nesting past the limit is one error, not a stack overflow', () => {
  const depth = 100_000;
  const text = 'experiment a {' + 'a {'.repeat(depth);
  const doc = parseChecked(text);
  assert.equal(doc.errors.filter((e) => e.code === 'too-deep').length, 1);
  assert.equal(doc.errors.filter((e) => e.code === 'unclosed-brace').length, MAX_NESTING, 'the braces that were parsed are each reported');
  const closed = 'experiment a {' + 'a {'.repeat(depth) + '}'.repeat(depth + 1) + '\nexperiment b { x 1 }';
  const doc2 = parseChecked(closed);
  assert.deepEqual(doc2.errors.map((e) => e.code), ['too-deep']);
  assert.equal(doc2.declarations[1].name?.name, 'b', 'parsing continues after the skipped block');
});

test('pathological input: 10 MB of braces, binary junk, NULs, lone surrogates', () => {
  const braces = parseChecked('{'.repeat(10_000_000));
  assert.deepEqual(braces.errors.map((e) => e.code), ['expected-declaration']);
  let seed = 1;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  let junk = '';
  // Mostly ASCII, like a binary file: plenty of tokens and stray characters between them.
  for (let i = 0; i < 200_000; i++) junk += String.fromCharCode(Math.floor(random() * (random() < 0.9 ? 0x80 : 0x10000)));
  const doc = parseChecked(junk);
  assert.ok(doc.errors.length <= MAX_SYNTAX_ERRORS + 1, 'errors are capped');
  assert.equal(doc.errors[doc.errors.length - 1].code, 'too-many-errors');
  const odd = parseChecked('experiment a {\u0000 x "\ud800" \udc00 y 1 }');
  assert.equal(dumpTree(odd), 'experiment a\n  x = str("\\ud800")\n  y = num(1)', 'JSON shows the lone surrogate escaped');
  assert.deepEqual(odd.errors.map((e) => e.code), ['unexpected-character', 'unexpected-character']);
});

// Speed is measured in bench/language.ts, never timed here; this checks a large file parses whole.
test('a 5,000-line file parses completely', () => {
  const fixture = readFileSync(path.join(__dirname, 'fixtures', 'mask.masklab'), 'utf8');
  const copies = Math.ceil(5000 / fixture.split('\n').length);
  const big = Array.from({ length: copies }, (_, i) => fixture.replace('sst2_mask', `e${i}`)).join('\n');
  const doc = parse(big);
  assert.equal(doc.errors.length, 0);
  assert.equal(doc.declarations.length, copies);
  assert.equal(doc.declarations[copies - 1].name?.name, `e${copies - 1}`);
});
