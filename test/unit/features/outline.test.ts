// The outline (document symbols), folding ranges and semantic tokens of a small document.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DocumentSymbol } from 'vscode-languageserver-types';
import { LineIndex } from '../../../server/src/dsl/lineIndex';
import { parse } from '../../../server/src/dsl/parser';
import { documentSymbols } from '../../../server/src/features/documentSymbols';
import { foldingRanges } from '../../../server/src/features/foldingRanges';
import { semanticTokens } from '../../../server/src/features/semanticTokens';
import { checkTokens, decodeTokens } from './semanticDecode';

const DOC = `// header one
// header two
experiment a {
  model "m"
  method mask { lr 1e-3  warmup 2 epochs }
  /* a
     b */
}
sweep s of a {
  train.seed 1..3
}
experiment b extends a {
  select re"enc.*"  train_head true
}
`;

function outline(symbols: DocumentSymbol[], depth = 0): string[] {
  return symbols.flatMap((s) => [
    `${'  '.repeat(depth)}${s.name}${s.detail ? ` (${s.detail})` : ''} @${s.selectionRange.start.line}:${s.selectionRange.start.character}`,
    ...outline(s.children ?? [], depth + 1),
  ]);
}

test('document symbols: declarations, blocks and keys with their values as detail', () => {
  const symbols = documentSymbols(parse(DOC), DOC, new LineIndex(DOC));
  assert.deepEqual(outline(symbols), [
    'a (experiment) @2:11',
    '  model ("m") @3:2',
    '  method (mask) @4:2',
    '    lr (1e-3) @4:16',
    '    warmup (2 epochs) @4:25',
    's (sweep of a) @8:6',
    '  train.seed (1..3) @9:2',
    'b (extends a) @11:11',
    '  select (re"enc.*") @12:2',
    '  train_head (true) @12:20',
  ]);
  const contains = (s: DocumentSymbol): boolean =>
    (s.range.start.line < s.selectionRange.start.line || (s.range.start.line === s.selectionRange.start.line && s.range.start.character <= s.selectionRange.start.character)) &&
    (s.children ?? []).every(contains);
  assert.ok(symbols.every(contains), 'each range contains its selection range');
});

test('document symbols skip nameless declarations and keys, and shorten long details', () => {
  const text = `experiment {\n  model "m"\n}\nexperiment c {\n  matrices ${'query, '.repeat(12)}key\n}\n`;
  const symbols = documentSymbols(parse(text), text, new LineIndex(text));
  assert.deepEqual(symbols.map((s) => s.name), ['c']);
  const detail = symbols[0].children?.[0].detail ?? '';
  assert.equal(detail.length, 58);
  assert.ok(detail.endsWith('…'));
});

test('folding: multi-line bodies up to the line before their brace, comment runs and block comments', () => {
  assert.deepEqual(foldingRanges(parse(DOC), new LineIndex(DOC)), [
    { startLine: 2, endLine: 6 },
    { startLine: 8, endLine: 9 },
    { startLine: 11, endLine: 12 },
    { startLine: 0, endLine: 1, kind: 'comment' },
    { startLine: 5, endLine: 6, kind: 'comment' },
  ]);
  // An unclosed body folds to the end of what it holds.
  const open = 'experiment a {\n  model "m"\n  train {\n    epochs 1\n';
  assert.deepEqual(foldingRanges(parse(open), new LineIndex(open)), [{ startLine: 0, endLine: 4 }, { startLine: 2, endLine: 4 }]);
});

test('semantic tokens: keywords, names, keys, blocks, values; multi-line comments split per line', () => {
  const lines = DOC.split('\n');
  const tokens = semanticTokens(parse(DOC), DOC, new LineIndex(DOC));
  checkTokens(tokens, DOC);
  const rendered = decodeTokens(tokens).map((t) => `${lines[t.line].slice(t.character, t.character + t.length)}:${t.type}${t.modifiers.length ? `+${t.modifiers.join('+')}` : ''}`);
  assert.deepEqual(rendered, [
    '// header one:comment',
    '// header two:comment',
    'experiment:keyword',
    'a:class+declaration',
    'model:property',
    '"m":string',
    'method:namespace',
    'mask:enumMember',
    'lr:property',
    '1e-3:number',
    'warmup:property',
    '2:number',
    'epochs:keyword',
    '/* a:comment',
    '     b */:comment',
    'sweep:keyword',
    's:class+declaration',
    'of:keyword',
    'a:class',
    'train.seed:property',
    '1..3:number',
    'experiment:keyword',
    'b:class+declaration',
    'extends:keyword',
    'a:class',
    'select:property',
    're"enc.*":regexp',
    'train_head:property',
    'true:keyword',
  ]);
});
