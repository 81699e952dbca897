// Hover: a key's documentation, type, default and paper; an enum value's or a kind's meaning; what
// a selection matched (tensors with shapes and totals); the checkpoint behind `model`; and for an
// experiment or sweep name, its `extends` chain or its axes.

import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import type { Analysis, SelectionInfo } from '../analysis/analysis';
import { blockAtPath } from '../analysis/entryTree';
import { lookupKeyPath } from '../analysis/keyPath';
import { blockAt, findBlock, findKey, findKind, type BlockSpec, type KeySpec } from '../analysis/keyTable';
import type { Block, Declaration, Entry, Identifier, Key, Node, Span, Value } from '../dsl/ast';
import type { LineIndex } from '../dsl/lineIndex';
import { commentAt, nodeAt } from '../dsl/visit';
import { entryValues } from './cursorContext';
import { declarationMarkdown } from './declarationSummary';
import { defaultIn, experimentFor, familyAt } from './experimentFacts';
import { blockMarkdown, choiceMarkdown, keyMarkdown, kindMarkdown } from './keyDocs';
import { modelMarkdown } from './modelSummary';
import { toRange } from './ranges';
import { selectionMarkdown } from './selectionSummary';

export function hover(analysis: Analysis, lines: LineIndex, offset: number): Hover | null {
  const doc = analysis.document;
  const at = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, analysis.text.length));
  if (commentAt(doc, at)) return null;
  const path = nodeAt(doc, at);
  const decl = path[1];
  if (!decl || (decl.kind !== 'experiment' && decl.kind !== 'sweep')) return null;
  const third = path[2];
  if (third?.kind === 'identifier') return answer(lines, third.span, declarationMarkdown(analysis, decl, third));

  const entries = path.filter((n): n is Entry => n.kind === 'property' || n.kind === 'block');
  const entry = entries[entries.length - 1];
  if (!entry) return null;
  const openers = entries.slice(0, -1) as Block[];
  const blockPath = openers.map((b) => b.key.text);
  const after = path[path.indexOf(entry) + 1];
  if (!after || after.kind === 'body') return null;
  const place: Place = { analysis, decl, entry, blockPath, opener: openers[openers.length - 1] };
  if (after.kind === 'key') {
    const part = path[path.indexOf(after) + 1];
    const index = part && part.kind === 'identifier' ? after.parts.indexOf(part) : after.parts.length - 1;
    const span = after.parts.length > 1 && index >= 0 ? after.parts[index].span : after.span;
    return answer(lines, span, decl.kind === 'sweep' ? axisKeyMarkdown(place, after, index) : keyHoverMarkdown(place));
  }
  if (isValue(after)) {
    return answer(lines, after.span, decl.kind === 'sweep' ? axisValueMarkdown(place, after) : valueHoverMarkdown(place, after));
  }
  return null;
}

interface Place {
  analysis: Analysis;
  decl: Declaration;
  entry: Entry;
  blockPath: string[];
  opener?: Block;
}

function isValue(node: Node): node is Value {
  return ['number', 'percent', 'duration', 'string', 'regex', 'identifier-value', 'range'].includes(node.kind);
}

function answer(lines: LineIndex, span: Span, markdown: string | undefined): Hover | null {
  if (!markdown) return null;
  return { contents: { kind: MarkupKind.Markdown, value: markdown }, range: toRange(lines, span) };
}

function sameSpan(a: Span, b: Span): boolean {
  return a.start === b.start && a.end === b.end;
}

function selectionAt(analysis: Analysis, span: Span): SelectionInfo | undefined {
  return analysis.selections.find((s) => sameSpan(s.span, span));
}

function joined(...parts: (string | undefined)[]): string | undefined {
  const present = parts.filter((p): p is string => p !== undefined && p !== '');
  return present.length > 0 ? present.join('\n\n---\n\n') : undefined;
}

function keyText(place: Place, key: KeySpec, block: BlockSpec, blockPath: readonly string[], family: string | undefined): string {
  const info = experimentFor(place.analysis, place.decl);
  return keyMarkdown(key, { blockPath, block, family, here: info ? defaultIn(key, family, info) : undefined });
}

// ---- experiments ----------------------------------------------------------------------------

function keyHoverMarkdown(place: Place): string | undefined {
  const { analysis, entry, blockPath } = place;
  const spec = blockAt(blockPath);
  if (!spec || entry.key.parts.length !== 1) return undefined;
  const name = entry.key.text;
  const block = findBlock(spec, name);
  if (block) {
    // `method { … }` taking its kind through `extends` records its selection on the key.
    const selection = selectionAt(analysis, entry.key.span);
    return joined(selection && selectionMarkdown(selection), blockMarkdown(block, [...blockPath, name]));
  }
  const key = findKey(spec, name);
  if (!key) return undefined;
  const family = familyAt(analysis, place.decl, blockPath, place.opener);
  const doc = keyText(place, key, spec, blockPath, family);
  if (blockPath.length === 0 && name === 'model') return joined(modelText(place), doc);
  // `blocks` and `matrices` record the blocks × matrices selection on the whole entry.
  const selection = selectionAt(analysis, entry.span);
  return joined(selection && selectionMarkdown(selection), doc);
}

function modelText(place: Place): string | undefined {
  const state = experimentFor(place.analysis, place.decl)?.model;
  return state ? modelMarkdown(state) : undefined;
}

function valueHoverMarkdown(place: Place, value: Value): string | undefined {
  const { analysis, entry, blockPath } = place;
  const spec = blockAt(blockPath);
  if (!spec || entry.key.parts.length !== 1) return undefined;
  const name = entry.key.text;
  const own = selectionAt(analysis, value.span);
  const block = findBlock(spec, name);
  if (block) {
    const kind = block.kinds && value.kind === 'identifier-value' && entryValues(entry)[0] === value ? findKind(block, value.name) : undefined;
    return joined(own && selectionMarkdown(own), kind && kindMarkdown(block, kind));
  }
  const key = findKey(spec, name);
  if (!key) return undefined;
  if (blockPath.length === 0 && name === 'model') return modelText(place) ?? keyText(place, key, spec, blockPath, undefined);
  const choice = choiceOf(key, value);
  if (own || choice) return joined(own && selectionMarkdown(own), choice && choiceMarkdown(key, choice));
  const whole = selectionAt(analysis, entry.span);
  if (whole) return selectionMarkdown(whole);
  return keyText(place, key, spec, blockPath, familyAt(analysis, place.decl, blockPath, place.opener));
}

function choiceOf(key: KeySpec, value: Value) {
  if (key.type.kind !== 'enum' || value.kind !== 'identifier-value') return undefined;
  return key.type.choices.find((c) => c.name === value.name);
}

// ---- sweeps ---------------------------------------------------------------------------------

function sweepFamily(place: Place, blockPath: readonly string[]): string | undefined {
  const info = experimentFor(place.analysis, place.decl);
  return info ? blockAtPath(info.effective, blockPath)?.kind?.family : undefined;
}

/** `method.lr`: `method` is the method block, `lr` the knob. */
function axisKeyMarkdown(place: Place, key: Key, index: number): string | undefined {
  const names = key.parts.map((p: Identifier) => p.name);
  if (index < 0) return undefined;
  if (index < names.length - 1) {
    const block = blockAt(names.slice(0, index + 1));
    return block ? blockMarkdown(block, names.slice(0, index + 1)) : undefined;
  }
  const found = lookupKeyPath(names);
  if ('problem' in found) return undefined;
  const t = found.target;
  if (t.kind === 'block-kind') return blockMarkdown(t.block, t.blockPath);
  return keyText(place, t.key, t.block, t.blockPath, sweepFamily(place, t.blockPath));
}

function axisValueMarkdown(place: Place, value: Value): string | undefined {
  const found = lookupKeyPath(place.entry.key.parts.map((p) => p.name));
  if ('problem' in found) return undefined;
  const t = found.target;
  if (t.kind === 'block-kind') {
    const kind = value.kind === 'identifier-value' ? findKind(t.block, value.name) : undefined;
    return kind ? kindMarkdown(t.block, kind) : blockMarkdown(t.block, t.blockPath);
  }
  const choice = choiceOf(t.key, value);
  return choice ? choiceMarkdown(t.key, choice) : keyText(place, t.key, t.block, t.blockPath, sweepFamily(place, t.blockPath));
}
