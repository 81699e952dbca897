// Completion inside quotes: folders and files relative to the experiment file (a real temporary
// folder), and parameter-name parts from the checkpoint (the BERT-Tiny-shaped stub).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { CompletionItem } from 'vscode-languageserver-types';
import { completion } from '../../../server/src/features/completion';
import { bertDescription, StubModels } from '../analysis/helpers';
import { cursorIn } from './cursor';
import { analysedAt, atCursor, textOf, type Analysed } from './documents';

let root: string;
let file: string;

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'masklab-completion-'));
  const mk = (p: string) => fs.mkdirSync(path.join(root, p), { recursive: true });
  const touch = (p: string) => fs.writeFileSync(path.join(root, p), '');
  mk('models/tiny');
  touch('models/tiny/config.json');
  mk('models/notes');
  mk('data/SST-2');
  touch('data/SST-2/train.tsv');
  touch('data/SST-2/dev.tsv');
  mk('reviews');
  touch('reviews/train.csv');
  touch('reviews/dev.csv');
  touch('reviews/"odd".csv');
  mk('.hidden');
  file = path.join(root, 'exp.masklab');
  touch('exp.masklab');
});

after(() => fs.rmSync(root, { recursive: true, force: true }));

function inFolder(marked: string): Analysed & { offset: number; items: CompletionItem[] } {
  const { text, offset } = cursorIn(marked);
  const models = new StubModels({ [path.join(root, 'models/tiny')]: bertDescription(path.join(root, 'models/tiny')) });
  const a = analysedAt(text, file, models);
  return { ...a, offset, items: completion(a.analysis, a.lines, offset) };
}

const summary = (items: CompletionItem[]) => items.map((i) => `${i.label} (${i.detail})`);

test('model: folders of the experiment file’s folder, model folders marked, hidden ones left out', () => {
  const { items } = inFolder('experiment a {\n  model "<|>"\n}');
  assert.deepEqual(summary(items), ['data/ (folder)', 'models/ (folder)', 'reviews/ (folder)']);
  assert.equal(items[0].command?.command, 'editor.action.triggerSuggest', 'a folder asks for the next level');
  const inside = inFolder('experiment a {\n  model "models/t<|>"\n}');
  assert.deepEqual(summary(inside.items), ['notes/ (folder)', 'tiny/ (model folder (has config.json))']);
  const edit = inside.items[1].textEdit;
  assert.ok(edit && 'range' in edit);
  assert.equal(textOf(inside.analysis, inside.lines, edit.range), 't', 'only the last path segment is replaced');
  assert.equal(edit.newText, 'tiny/');
});

test('train and dev name files; names with quotes are escaped; missing folders give nothing', () => {
  const { items } = inFolder('experiment a {\n  task csv { train "reviews/<|>" }\n}');
  assert.deepEqual(items.map((i) => i.label), ['"odd".csv', 'dev.csv', 'train.csv']);
  const odd = items[0].textEdit;
  assert.ok(odd && 'range' in odd);
  assert.equal(odd.newText, '\\"odd\\".csv');
  assert.deepEqual(inFolder('experiment a {\n  task csv { data "nowhere/<|>" }\n}').items, []);
  assert.deepEqual(inFolder('experiment a {\n  task csv { data "../../../../../../../../nowhere/<|>" }\n}').items, []);
  // `data` names a folder: files are not offered.
  assert.deepEqual(inFolder('experiment a {\n  task glue.sst2 { data "data/SST-2/<|>" }\n}').items, []);
  assert.deepEqual(inFolder('experiment a {\n  model "hf:<|>"\n}').items, [], 'a hub reference is not a path');
  // Dot-folders and the way up appear once a dot is typed, and only then.
  assert.deepEqual(inFolder('experiment a {\n  model ".<|>"\n}').items.map((i) => i.label), ['../', '.hidden/']);
  assert.deepEqual(inFolder('experiment a {\n  model "models/..<|>"\n}').items.map((i) => i.label), ['../']);
});

test('an unterminated string still completes, up to the end of its line', () => {
  const { items } = inFolder('experiment a {\n  model "models/<|>\n}');
  assert.deepEqual(items.map((i) => i.label), ['notes/', 'tiny/']);
});

test('a document without a path gets no path completion', () => {
  const { text, offset } = cursorIn('experiment a {\n  model "<|>"\n}');
  const a = analysedAt(text, '', new StubModels({}));
  assert.deepEqual(completion(a.analysis, a.lines, offset), []);
});

const MASK = `experiment a {
  model "models/tiny"
  task glue.sst2 { data "data/SST-2" }
  method mask { select "`;

function selectItems(typed: string): CompletionItem[] {
  const m = atCursor(`${MASK}${typed}<|>" }\n}`);
  return completion(m.analysis, m.lines, m.offset);
}

test('select: the next part of the canonical parameter names matching what was typed', () => {
  assert.deepEqual(summary(selectItems('')), [
    'embeddings (5 tensors · 3,972,864 params)',
    'encoder (32 tensors · 396,544 params)',
    'pooler (2 tensors · 16,512 params)',
    'cls (1 tensor · 30,522 params)',
    '* (any of these 4 (40 tensors))',
  ]);
  assert.deepEqual(selectItems('encoder.layer.').map((i) => i.label), ['0', '1', '*']);
  assert.deepEqual(summary(selectItems('encoder.layer.1.attention.self.query.')), ['weight (128 × 128 · F32)', 'bias (128 · F32)', '* (any of these 2 (2 tensors))']);
});

test('select: typed parts may be globs', () => {
  assert.deepEqual(selectItems('encoder.layer.*.').map((i) => i.label), ['attention', 'intermediate', 'output', '*']);
  assert.deepEqual(selectItems('encoder.layer.{1..5}.intermediate.dense.').map((i) => i.detail), ['512 × 128 · F32', '512 · F32', 'any of these 2 (2 tensors)']);
  assert.deepEqual(selectItems('encoder.nothing.'), []);
  assert.deepEqual(selectItems('encoder.layer.{2..1}.'), [], 'an invalid glob part matches nothing');
  assert.deepEqual(selectItems('encoder.la[y.'), []);
  const m = atCursor(`${MASK}encoder.la<|>yer" }\n}`);
  const edit = completion(m.analysis, m.lines, m.offset)[0]?.textEdit;
  assert.ok(edit && 'range' in edit);
  assert.equal(textOf(m.analysis, m.lines, edit.range), 'layer', 'the whole part under the cursor is replaced');
});

test('select without a readable model offers nothing', () => {
  const m = atCursor(`experiment a {\n  model "models/broken"\n  method mask { select "<|>" }\n}`);
  assert.deepEqual(completion(m.analysis, m.lines, m.offset), []);
});
