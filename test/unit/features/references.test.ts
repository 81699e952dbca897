// Definition and rename of experiment and sweep names.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WorkspaceEdit } from 'vscode-languageserver-types';
import { LineIndex } from '../../../server/src/dsl/lineIndex';
import { parse } from '../../../server/src/dsl/parser';
import { definition } from '../../../server/src/features/definition';
import { renameProblem } from '../../../server/src/features/experimentReferences';
import { prepareRename, rename } from '../../../server/src/features/rename';
import { cursorIn } from './cursor';

const URI = 'file:///w/exp.masklab';

const DOC = `experiment base {
  method mask
}
experiment child extends base {}
experiment grandchild extends child {}
sweep seeds of base { train.seed 1, 2 }
`;

function at(marked: string) {
  const { text, offset } = cursorIn(marked);
  return { text, offset, doc: parse(text), lines: new LineIndex(text) };
}

/** Applies a rename's edits to the text (edits do not overlap). */
function apply(text: string, edit: WorkspaceEdit | { error: string }): string {
  assert.ok(!('error' in edit), 'error' in edit ? edit.error : '');
  const lines = new LineIndex(text);
  const edits = [...(edit.changes?.[URI] ?? [])].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start));
  let out = text;
  for (const e of edits) out = out.slice(0, lines.offsetAt(e.range.start)) + e.newText + out.slice(lines.offsetAt(e.range.end));
  return out;
}

test('definition: from extends and of to the declaration’s name, in the given document', () => {
  for (const marked of [DOC.replace('extends base', 'extends ba<|>se'), DOC.replace('of base', 'of base<|>'), DOC.replace('experiment base', 'experiment <|>base')]) {
    const m = at(marked);
    const locations = definition(m.doc, m.lines, m.offset, URI);
    assert.deepEqual(locations, [{ uri: URI, range: { start: { line: 0, character: 11 }, end: { line: 0, character: 15 } } }]);
  }
  const m = at(DOC.replace('method mask', 'method ma<|>sk'));
  assert.deepEqual(definition(m.doc, m.lines, m.offset, URI), []);
  const undeclared = at('experiment a extends no<|>where {}');
  assert.deepEqual(definition(undeclared.doc, undeclared.lines, undeclared.offset, URI), []);
});

test('rename: the declaration and every reference, nothing else', () => {
  const m = at(DOC.replace('extends base', 'extends b<|>ase'));
  assert.equal(
    apply(m.text, rename(m.doc, m.lines, m.offset, 'root', URI)),
    DOC.replace('experiment base', 'experiment root').replace('extends base', 'extends root').replace('of base', 'of root'),
  );
  const sweep = at(DOC.replace('sweep seeds', 'sweep se<|>eds'));
  assert.equal(apply(sweep.text, rename(sweep.doc, sweep.lines, sweep.offset, 'by_seed', URI)), DOC.replace('sweep seeds', 'sweep by_seed'));
});

test('rename refuses bad names, keywords, taken names, and places without a name', () => {
  const m = at(DOC.replace('extends base', 'extends b<|>ase'));
  const refuse = (name: string) => {
    const result = rename(m.doc, m.lines, m.offset, name, URI);
    assert.ok('error' in result, `'${name}' should be refused`);
    return result.error;
  };
  assert.match(refuse('2fast'), /not a valid name/);
  assert.match(refuse('my-exp'), /not a valid name/);
  assert.match(refuse('sweep'), /is a keyword/);
  assert.match(refuse('child'), /already exists/);
  assert.match(refuse('seeds'), /already exists/);
  const nowhere = at(DOC.replace('method mask', 'meth<|>od mask'));
  const result = rename(nowhere.doc, nowhere.lines, nowhere.offset, 'x', URI);
  assert.ok('error' in result);
  assert.equal(renameProblem(m.doc, 'base', 'base'), undefined, 'renaming to the same name is allowed (and changes nothing)');
});

test('prepareRename: the name under the cursor, or null', () => {
  const m = at(DOC.replace('extends child', 'extends child<|>'));
  assert.deepEqual(prepareRename(m.doc, m.lines, m.offset), { range: { start: { line: 4, character: 30 }, end: { line: 4, character: 35 } }, placeholder: 'child' });
  const off = at(DOC.replace('train.seed', 'train.<|>seed'));
  assert.equal(prepareRename(off.doc, off.lines, off.offset), null);
});
