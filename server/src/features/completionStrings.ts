// Completion inside quotes: folder and file names for path keys (relative to the experiment file,
// as paths in the language are), and parameter-name segments for `select "…"` from the checkpoint.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver-types';
import type { ParameterInfo } from '../checkpoint/parameterNames';
import { compileSelector } from '../checkpoint/selector';
import type { LineIndex } from '../dsl/lineIndex';
import { groupDigits, plural } from './compactNumber';
import { TRIGGER_SUGGEST, item } from './completionItems';
import { toRange } from './ranges';

export interface StringSpot {
  /** What is written between the opening quote and the cursor. */
  typed: string;
  /** Offset just after the opening quote, and of the closing quote (or the line's end). */
  contentStart: number;
  contentEnd: number;
  text: string;
}

/** End of the path segment or name part at `from`: the next separator, the quote, or the line's end. */
function segmentEnd(spot: StringSpot, from: number, separator: string): number {
  let end = from;
  while (end < spot.contentEnd && spot.text[end] !== separator) end++;
  return end;
}

interface DirectoryEntry {
  name: string;
  folder: boolean;
}

/** A folder's entries; a folder that cannot be read (missing, no permission) has none. */
function readDirectory(dir: string): DirectoryEntry[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.map((e) => ({ name: e.name, folder: e.isDirectory() || (e.isSymbolicLink() && isFolder(path.join(dir, e.name))) }));
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function escapeInString(name: string): string {
  return name.replace(/[\\"]/g, (c) => `\\${c}`);
}

/**
 * Names in the folder typed so far. `model` and `data` name folders, so only folders are offered
 * for them; `train` and `dev` name files. A folder is offered with its `/` and asks for the next
 * level at once.
 */
export function pathItems(documentPath: string, role: 'model' | 'folder' | 'file', spot: StringSpot, lines: LineIndex): CompletionItem[] {
  if (documentPath === '' || spot.typed.startsWith('hf:') || spot.typed.includes('\\')) return [];
  const slash = spot.typed.lastIndexOf('/');
  const folderTyped = spot.typed.slice(0, slash + 1);
  const partial = spot.typed.slice(slash + 1);
  const base = path.dirname(path.resolve(documentPath));
  const dir = path.resolve(base, folderTyped === '' ? '.' : folderTyped);
  const start = spot.contentStart + slash + 1;
  const range = toRange(lines, { start, end: segmentEnd(spot, start, '/') });
  const own = path.resolve(documentPath);
  const items: CompletionItem[] = [];
  // Dot-folders once a dot is typed (with the way up), and only then.
  const dotted = partial.startsWith('.');
  const listed = readDirectory(dir);
  if (dotted && listed.length > 0) listed.push({ name: '..', folder: true });
  const entries = listed
    .filter((e) => dotted === e.name.startsWith('.'))
    .filter((e) => e.folder || role === 'file')
    .filter((e) => path.join(dir, e.name) !== own)
    .sort((a, b) => Number(b.folder) - Number(a.folder) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  entries.forEach((e, i) => {
    if (e.folder) {
      const isModel = role === 'model' && fs.existsSync(path.join(dir, e.name, 'config.json'));
      items.push(
        item(`${e.name}/`, range, i, {
          kind: CompletionItemKind.Folder,
          detail: isModel ? 'model folder (has config.json)' : 'folder',
          newText: `${escapeInString(e.name)}/`,
          command: TRIGGER_SUGGEST,
        }),
      );
    } else {
      items.push(item(e.name, range, i, { kind: CompletionItemKind.File, detail: 'file', newText: escapeInString(e.name) }));
    }
  });
  return items;
}

/** Offsets of the dots that separate name parts: not those inside `{2..11}` or `{a.b,c}`. */
function partDots(typed: string): number[] {
  const dots: number[] = [];
  let depth = 0;
  for (let i = 0; i < typed.length; i++) {
    const c = typed[i];
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (c === '.' && depth === 0) dots.push(i);
  }
  return dots;
}

/** A matcher per dot-separated part typed so far; a part that is not a valid glob matches nothing. */
function partMatchers(parts: readonly string[]): ((name: string) => boolean)[] | undefined {
  const matchers: ((name: string) => boolean)[] = [];
  for (const part of parts) {
    const compiled = compileSelector(part, 'glob');
    if (!compiled.ok) return undefined;
    matchers.push((name) => compiled.test(name));
  }
  return matchers;
}

/**
 * The next part of the checkpoint's canonical parameter names, among the names whose first parts
 * match what was typed (each typed part may be a glob: `encoder.layer.*.` goes on with
 * `attention`, `intermediate`, `output`).
 */
export function parameterItems(parameters: readonly ParameterInfo[], spot: StringSpot, lines: LineIndex): CompletionItem[] {
  const dots = partDots(spot.typed);
  const dot = dots.length > 0 ? dots[dots.length - 1] : -1;
  const typedParts = dots.map((d, i) => spot.typed.slice(i === 0 ? 0 : dots[i - 1] + 1, d));
  const matchers = partMatchers(typedParts);
  if (!matchers) return [];
  const next = new Map<string, { tensors: number; parameters: number; leaf?: ParameterInfo }>();
  for (const p of parameters) {
    const parts = p.canonical.split('.');
    if (parts.length <= typedParts.length || !matchers.every((m, i) => m(parts[i]))) continue;
    const name = parts[typedParts.length];
    const entry = next.get(name) ?? { tensors: 0, parameters: 0 };
    entry.tensors++;
    entry.parameters += p.count;
    if (parts.length === typedParts.length + 1) entry.leaf = p;
    next.set(name, entry);
  }
  const start = spot.contentStart + dot + 1;
  const range = toRange(lines, { start, end: segmentEnd(spot, start, '.') });
  const items: CompletionItem[] = [];
  let order = 0;
  for (const [name, entry] of next) {
    const detail = entry.leaf
      ? `${entry.leaf.shape.join(' × ')} · ${entry.leaf.dtype}`
      : `${plural(entry.tensors, 'tensor')} · ${groupDigits(entry.parameters)} params`;
    items.push(item(name, range, order++, { kind: entry.leaf ? CompletionItemKind.Field : CompletionItemKind.Module, detail, newText: escapeInString(name) }));
  }
  if (next.size > 1) {
    const tensors = [...next.values()].reduce((s, e) => s + e.tensors, 0);
    items.push(item('*', range, order, { kind: CompletionItemKind.Operator, detail: `any of these ${next.size} (${plural(tensors, 'tensor')})` }));
  }
  return items;
}
