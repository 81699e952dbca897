import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../../server/src/dsl/ast';
import { parse } from '../../../server/src/dsl/parser';
import { commentAt, nodeAt, walk } from '../../../server/src/dsl/visit';

/** Text with a `<|>` cursor marker: returns the text without it and the cursor offset. */
function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('<|>');
  return { text: marked.slice(0, offset) + marked.slice(offset + 3), offset };
}

function pathAt(marked: string): string {
  const { text, offset } = cursor(marked);
  return nodeAt(parse(text), offset)
    .map((n: Node) => (n.kind === 'identifier' ? `identifier(${n.name})` : n.kind))
    .join(' > ');
}

test('nodeAt returns the path from the document to the innermost node', () => {
  assert.equal(pathAt('experiment a { task glue.ss<|>t2 { x 1 } }'), 'document > experiment > body > block > identifier-value > identifier(sst2)');
  assert.equal(pathAt('experiment a { t { lr<|> 1 } }'), 'document > experiment > body > block > body > property > key > identifier(lr)');
  assert.equal(pathAt('experiment a { t { lr 1 } <|> }'), 'document > experiment > body');
  assert.equal(pathAt('experiment a<|> { }'), 'document > experiment > identifier(a)');
  assert.equal(pathAt('<|>  experiment a { }'), 'document');
});

test('nodeAt finds the placeholders of half-typed input', () => {
  assert.equal(pathAt('experiment a {\n  train.<|>\n}'), 'document > experiment > body > property > key > identifier()');
  assert.equal(pathAt('experiment a {\n  matrices query,<|>\n}'), 'document > experiment > body > property > missing');
  assert.equal(pathAt('experiment a {\n  lr 1\n  <|>'), 'document > experiment > body', 'an unclosed body reaches the end of the file');
});

test('walk visits every node in source order and can skip subtrees', () => {
  const doc = parse('experiment a { t { x 1 } y 2 }');
  const seen: string[] = [];
  walk(doc, (node) => {
    seen.push(node.kind === 'identifier' ? node.name : node.kind);
    return node.kind !== 'block';
  });
  assert.deepEqual(seen, ['document', 'experiment', 'a', 'body', 'block', 'property', 'key', 'y', 'number']);
});

test('commentAt finds the comment under the cursor', () => {
  const text = 'experiment a { // trailing\n  x /* inline */ 1 }';
  const doc = parse(text);
  assert.equal(commentAt(doc, text.indexOf('trailing'))?.text, '// trailing');
  assert.equal(commentAt(doc, text.indexOf('inline'))?.text, '/* inline */');
  assert.equal(commentAt(doc, text.indexOf('x')), undefined);
  assert.equal(commentAt(doc, text.indexOf('*/') + 2), undefined, 'just after a block comment is outside it');
});
