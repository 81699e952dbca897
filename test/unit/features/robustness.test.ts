// Property test: the DSL fixtures and the quickstart, randomly edited the way half-typed files look,
// analysed, and every feature called at many offsets. Nothing may throw, and everything the
// features return must point inside the document: ranges on real lines and columns, completion
// edits on the cursor's line around the cursor, hovers covering the cursor, edits on this document.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Position, Range, WorkspaceEdit } from 'vscode-languageserver-types';
import { analyse } from '../../../server/src/analysis/analyse';
import { LineIndex } from '../../../server/src/dsl/lineIndex';
import { parse } from '../../../server/src/dsl/parser';
import {
  codeActions,
  codeLenses,
  completion,
  definition,
  documentSymbols,
  foldingRanges,
  formatting,
  hover,
  inlayHints,
  prepareRename,
  rename,
  semanticTokens,
} from '../../../server/src/features';
import { bertDescription, repoRoot } from '../analysis/helpers';
import { mutate, prng } from './mutations';
import { checkTokens } from './semanticDecode';

const ROOT = repoRoot();
const fixtureDir = path.join(ROOT, 'test', 'unit', 'dsl', 'fixtures');
const quickstart = path.join(ROOT, 'examples', 'quickstart.masklab');
const fixtures = [
  ...readdirSync(fixtureDir)
    .filter((f) => f.endsWith('.masklab'))
    .map((f) => readFileSync(path.join(fixtureDir, f), 'utf8')),
  ...(existsSync(quickstart) ? [readFileSync(quickstart, 'utf8')] : []),
];

// The document lives in examples/, so path completion reads real folders; every model folder is a BERT-Tiny.
const FILE = path.join(ROOT, 'examples', 'fuzz.masklab');
const URI = 'file:///fuzz.masklab';
const models = { describe: (dir: string) => bertDescription(dir) };

function checkPosition(p: Position, lines: LineIndex, what: string): void {
  const inside =
    Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < lines.lineCount && p.character >= 0 && p.character <= lines.lineEnd(p.line) - lines.lineStart(p.line);
  if (!inside) throw new Error(`${what}: position ${JSON.stringify(p)} is outside the document`);
}

function checkRange(r: Range, lines: LineIndex, what: string): void {
  checkPosition(r.start, lines, what);
  checkPosition(r.end, lines, what);
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) throw new Error(`${what}: range ${JSON.stringify(r)} ends before it starts`);
}

function contains(r: Range, p: Position): boolean {
  const after = (a: Position, b: Position) => a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(p, r.start) && after(r.end, p);
}

function checkEdit(edit: WorkspaceEdit, lines: LineIndex, uri: string, what: string): void {
  for (const [target, edits] of Object.entries(edit.changes ?? {})) {
    if (target !== uri) throw new Error(`${what}: edits ${target}, not the document`);
    for (const e of edits) checkRange(e.range, lines, what);
  }
}

/** How much the features answered, so the test notices when they fall silent. */
const answered = { completions: 0, hovers: 0, renames: 0, hints: 0, lenses: 0, actions: 0 };

function exercise(text: string, offsets: number[]): void {
  const doc = parse(text);
  const analysis = analyse(doc, { filePath: FILE, uri: URI, text, models, resolveModel: (ref, base) => ({ dir: path.resolve(base, ref) }) });
  const lines = new LineIndex(text);
  const whole = { start: 0, end: text.length };

  for (const offset of offsets) {
    const cursor = lines.positionAt(offset);
    const items = completion(analysis, lines, offset);
    answered.completions += items.length;
    for (const item of items) {
      const edit = item.textEdit;
      if (!edit || !('range' in edit)) throw new Error(`completion '${item.label}' at ${offset} has no range edit`);
      checkRange(edit.range, lines, `completion '${item.label}' at ${offset}`);
      if (edit.range.start.line !== edit.range.end.line || !contains(edit.range, cursor)) {
        throw new Error(`completion '${item.label}' at ${offset} replaces ${JSON.stringify(edit.range)}, not around the cursor`);
      }
      if (!item.label) throw new Error(`completion at ${offset} has an empty label`);
    }
    const h = hover(analysis, lines, offset);
    if (h) {
      answered.hovers++;
      if (!h.range) throw new Error(`hover at ${offset} has no range`);
      checkRange(h.range, lines, `hover at ${offset}`);
      if (!contains(h.range, cursor)) throw new Error(`hover at ${offset} covers ${JSON.stringify(h.range)}, not the cursor`);
    }
    for (const l of definition(doc, lines, offset, URI)) checkRange(l.range, lines, `definition at ${offset}`);
    const prepared = prepareRename(doc, lines, offset);
    if (prepared) checkRange(prepared.range, lines, `prepareRename at ${offset}`);
    const renamed = rename(doc, lines, offset, 'renamed', URI);
    if (!('error' in renamed)) answered.renames++;
    if (!('error' in renamed)) checkEdit(renamed, lines, URI, `rename at ${offset}`);
    const around = { start: Math.max(0, offset - 20), end: offset };
    for (const a of codeActions(analysis, lines, around)) if (a.edit) checkEdit(a.edit, lines, URI, `code action '${a.title}'`);
  }

  const actions = codeActions(analysis, lines, whole);
  const hints = inlayHints(analysis, lines, whole);
  const lenses = codeLenses(analysis, lines);
  answered.actions += actions.length;
  answered.hints += hints.length;
  answered.lenses += lenses.length;
  for (const a of actions) if (a.edit) checkEdit(a.edit, lines, URI, `code action '${a.title}'`);
  for (const h of hints) checkPosition(h.position, lines, 'inlay hint');
  for (const l of lenses) checkRange(l.range, lines, `code lens '${l.command?.title}'`);
  for (const e of formatting(text, lines)) checkRange(e.range, lines, 'formatting');
  const symbols = documentSymbols(doc, text, lines);
  const visit = (s: (typeof symbols)[number]) => {
    if (!s.name) throw new Error('a document symbol without a name');
    checkRange(s.range, lines, `symbol ${s.name}`);
    checkRange(s.selectionRange, lines, `symbol ${s.name}`);
    if (!contains(s.range, s.selectionRange.start) || !contains(s.range, s.selectionRange.end)) throw new Error(`symbol ${s.name}: selection outside its range`);
    s.children?.forEach(visit);
  };
  symbols.forEach(visit);
  for (const f of foldingRanges(doc, lines)) {
    if (!(f.startLine >= 0 && f.startLine <= f.endLine && f.endLine < lines.lineCount)) throw new Error(`folding range ${JSON.stringify(f)} is outside the document`);
  }
  checkTokens(semanticTokens(doc, text, lines), text);
}

/** Offsets worth trying: both ends, around every brace, quote, dot, comma and line break, and some at random. */
function offsetsFor(text: string, random: () => number, count: number): number[] {
  const special = [...text.matchAll(/[{}",.\n]/g)].map((m) => m.index ?? 0);
  const picked = new Set<number>([0, text.length]);
  while (picked.size < count && special.length > 0) {
    const at = special[Math.floor(random() * special.length)];
    picked.add(Math.min(text.length, at + Math.floor(random() * 3)));
    picked.add(Math.floor(random() * (text.length + 1)));
  }
  return [...picked];
}

test('fixtures, randomly edited: every feature at many offsets, nothing throws, every range inside the document', () => {
  const random = prng(20240611);
  const iterations = 200;
  for (let i = 0; i < iterations; i++) {
    const text = i < fixtures.length ? fixtures[i] : mutate(fixtures[i % fixtures.length], random);
    try {
      exercise(text, offsetsFor(text, random, 24));
    } catch (e) {
      assert.fail(`${(e as Error).stack}\niteration ${i}, input ${JSON.stringify(text)}`);
    }
  }
  // Guard the generator and the setup: features that answer nothing prove nothing.
  for (const [what, n] of Object.entries(answered)) assert.ok(n > 10, `only ${n} ${what} in ${iterations} documents`);
});

test('every offset of each unedited fixture', () => {
  for (const text of fixtures) exercise(text, Array.from({ length: text.length + 1 }, (_, i) => i));
});
