// Where the cursor is, in the terms completion needs. A half-typed file is the normal case here,
// so the syntax tree alone is not enough: `method |` parses as a property missing its value, and
// `method |` followed by `train {` on the next line even parses `train` as that value. The tree
// says which body the cursor is in and which entry came last; the token just before the word at
// the cursor, and whether a line break separates them, say what is being written.

import type { Block, Body, Declaration, Entry, MasklabDocument, StringValue, Value } from '../dsl/ast';
import { isIdentPart, tokenize, type Token } from '../dsl/lexer';
import { commentAt } from '../dsl/visit';

/** The word being completed: `start` to the cursor is what was typed, up to `end` is replaced. */
export interface Word {
  start: number;
  end: number;
  typed: string;
}

/** The body the cursor is in, with the blocks that lead to it from its declaration. */
export interface BodyScope {
  decl: Declaration;
  body: Body;
  /** Block names from the declaration's body down (`['method', 'prune']`); empty at the top of a declaration. */
  path: string[];
  /** The block entries that opened each level of `path`. */
  openers: Block[];
}

export type CursorContext =
  /** In a comment, on a declaration's new name, or anywhere nothing can be offered. */
  | { kind: 'none' }
  /** Between declarations: `experiment`, `sweep`. */
  | { kind: 'top'; word: Word }
  /** After `experiment NAME` or `sweep NAME`: `extends` or `of`. */
  | { kind: 'after-name'; decl: Declaration; word: Word }
  /** After `extends` or `of`: the name of an experiment. */
  | { kind: 'reference'; decl: Declaration; word: Word }
  /** Where an entry starts. `entry` is the one whose key is the word itself, if any. */
  | { kind: 'key'; scope: BodyScope; word: Word; entry?: Entry }
  /** The `index`-th value of `entry` (a block's argument counts as a value). */
  | { kind: 'value'; scope: BodyScope; entry: Entry; index: number; word: Word }
  /** After a number that a duration key is taking: `steps`, `epochs`. */
  | { kind: 'unit'; scope: BodyScope; entry: Entry; word: Word; touching: boolean }
  /** Inside the quotes of a string value. */
  | { kind: 'string'; scope: BodyScope; entry: Entry; index: number; value: StringValue; typed: string; contentStart: number; contentEnd: number };

/** The values of an entry, a block's arguments included. */
export function entryValues(entry: Entry): Value[] {
  return entry.kind === 'block' ? entry.args : entry.values;
}

const DOT = 46;

function isWordPart(c: number): boolean {
  return isIdentPart(c) || c === DOT;
}

function wordAt(text: string, offset: number): Word {
  let start = offset;
  while (start > 0 && isWordPart(text.charCodeAt(start - 1))) start--;
  // `1e-3`, `60steps`, `.5`: the run is part of a number, not a word to complete.
  const first = text.charCodeAt(start);
  if (start < offset && !(isIdentPart(first) && !(first >= 48 && first <= 57))) start = offset;
  // With nothing typed, the word after the cursor stays: completing before `lr` must not replace it.
  let end = offset;
  if (start < offset) while (end < text.length && isWordPart(text.charCodeAt(end))) end++;
  return { start, end, typed: text.slice(start, offset) };
}

/** The last token ending at or before `offset` (tokens are in text order). */
function tokenBefore(tokens: readonly Token[], offset: number): Token | undefined {
  let low = 0;
  let high = tokens.length - 1;
  let found: Token | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (tokens[mid].end <= offset) {
      found = tokens[mid];
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

function tokenContaining(tokens: readonly Token[], offset: number): Token | undefined {
  const before = tokenBefore(tokens, offset);
  const index = before ? tokens.indexOf(before) + 1 : 0;
  const next = tokens[index];
  if (next && next.start < offset && offset < next.end) return next;
  return before && before.end === offset ? before : undefined;
}

function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return true;
  }
  return false;
}

/** Where a declaration's unclosed body ends: where the parser stopped, at the next declaration. */
function limitAfter(doc: MasklabDocument, index: number, textLength: number): number {
  const next = doc.declarations[index + 1];
  return next ? next.span.start : textLength;
}

function insideBody(body: Body, offset: number, limit: number, textLength: number): boolean {
  if (offset < body.open.end) return false;
  if (body.close) return offset <= body.close.start;
  return limit === textLength ? offset <= limit : offset < limit;
}

/** The innermost body containing `offset`, or undefined outside every declaration body. */
export function bodyScopeAt(doc: MasklabDocument, offset: number, textLength: number): BodyScope | undefined {
  for (let i = 0; i < doc.declarations.length; i++) {
    const decl = doc.declarations[i];
    const limit = limitAfter(doc, i, textLength);
    if (!decl.body || !insideBody(decl.body, offset, limit, textLength)) continue;
    let scope: BodyScope = { decl, body: decl.body, path: [], openers: [] };
    for (;;) {
      const inner = scope.body.entries.find((e): e is Block => e.kind === 'block' && insideBody(e.body, offset, limit, textLength));
      if (!inner) return scope;
      scope = { decl, body: inner.body, path: [...scope.path, inner.key.text], openers: [...scope.openers, inner] };
    }
  }
  return undefined;
}

/** The declaration whose header (`experiment a extends b`, before `{`) contains `offset`. */
function headerAt(doc: MasklabDocument, offset: number, textLength: number): Declaration | undefined {
  for (let i = 0; i < doc.declarations.length; i++) {
    const decl = doc.declarations[i];
    const limit = limitAfter(doc, i, textLength);
    const end = decl.body ? decl.body.open.start : limit;
    if (decl.keyword.end <= offset && offset <= end && (offset < limit || limit === textLength)) return decl;
  }
  return undefined;
}

/** The last entry of `entries` starting at or before `offset`. */
function entryOwning(entries: readonly Entry[], offset: number): Entry | undefined {
  let found: Entry | undefined;
  for (const entry of entries) {
    if (entry.span.start <= offset) found = entry;
    else break;
  }
  return found;
}

/** Whether `entry` (in `scope`) takes a duration, so that a unit may follow a number. */
export type DurationTest = (scope: BodyScope, entry: Entry) => boolean;

export function cursorContext(doc: MasklabDocument, text: string, rawOffset: number, takesDuration: DurationTest): CursorContext {
  const offset = Math.max(0, Math.min(Number.isFinite(rawOffset) ? Math.floor(rawOffset) : 0, text.length));
  if (commentAt(doc, offset)) return { kind: 'none' };
  const { tokens } = tokenize(text);

  const literal = tokenContaining(tokens, offset);
  if (literal && (literal.kind === 'string' || literal.kind === 'regex') && offset > literal.start) {
    const unterminated = doc.errors.some((e) => (e.code === 'unterminated-string' || e.code === 'unterminated-regex') && e.span.start === literal.start);
    if (offset < literal.end || unterminated) return literal.kind === 'string' ? stringContext(doc, text, literal, offset, unterminated) : { kind: 'none' };
  }

  const word = wordAt(text, offset);
  const at = word.start;
  const header = headerAt(doc, at, text.length);
  const scope = header ? undefined : bodyScopeAt(doc, at, text.length);
  const prev = tokenBefore(tokens, at);
  const broken = !prev || hasLineBreak(text, prev.end, at);

  if (header && prev) {
    if (prev.start === header.keyword.start) return { kind: 'none' }; // naming a new declaration
    if (header.name && prev.start === header.name.span.start) return { kind: 'after-name', decl: header, word };
    const keyword = header.kind === 'experiment' ? header.extendsKeyword : header.ofKeyword;
    if (keyword && prev.start === keyword.start) return { kind: 'reference', decl: header, word };
    return { kind: 'none' };
  }
  if (!scope) {
    const decl = doc.declarations.find((d) => d.keyword.start === at);
    // `experimen|` parses as the declaration it is becoming; it is still the keyword being typed.
    if (decl || !prev || prev.kind === 'rbrace' || broken) return { kind: 'top', word };
    return { kind: 'none' };
  }

  const keyContext = (): CursorContext => ({ kind: 'key', scope, word, entry: scope.body.entries.find((e) => e.key.span.start === at) });
  if (!prev || prev.end <= scope.body.open.end || prev.kind === 'lbrace' || prev.kind === 'rbrace') return keyContext();
  const owner = entryOwning(scope.body.entries, prev.start);
  if (!owner) return keyContext();
  if (prev.kind === 'comma') {
    const index = entryValues(owner).filter((v) => v.span.end <= prev.start).length;
    return { kind: 'value', scope, entry: owner, index, word };
  }
  if (broken) return keyContext();
  if (prev.end === owner.key.span.end) return { kind: 'value', scope, entry: owner, index: 0, word };
  if (prev.kind === 'number' && takesDuration(scope, owner)) return { kind: 'unit', scope, entry: owner, word, touching: prev.end === offset };
  return keyContext();
}

function stringContext(doc: MasklabDocument, text: string, token: Token, offset: number, unterminated: boolean): CursorContext {
  const scope = bodyScopeAt(doc, token.start, text.length);
  if (!scope) return { kind: 'none' };
  for (const entry of scope.body.entries) {
    const values = entryValues(entry);
    const index = values.findIndex((v) => v.span.start === token.start);
    const value = values[index];
    if (value?.kind !== 'string') continue;
    const contentStart = value.span.start + 1;
    const contentEnd = Math.max(contentStart, unterminated ? value.span.end : value.span.end - 1);
    return {
      kind: 'string',
      scope,
      entry,
      index,
      value,
      typed: text.slice(contentStart, Math.max(contentStart, offset)),
      contentStart,
      contentEnd,
    };
  }
  return { kind: 'none' };
}
