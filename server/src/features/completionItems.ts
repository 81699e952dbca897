// Building blocks of completion items: the edit that replaces the word at the cursor, snippet
// escaping, ordering, and the short type-and-default line shown beside a key.

import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type Command,
  type CompletionItem,
  type Range,
} from 'vscode-languageserver-types';
import type { KeySpec, TypedValue } from '../analysis/keyTable';
import { formatValue } from '../analysis/valueFormat';

/** Asks the editor for the next completion right away (after a folder, or after opening quotes). */
export const TRIGGER_SUGGEST: Command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

export interface ItemOptions {
  kind: CompletionItemKind;
  detail?: string;
  documentation?: string;
  /** Text replacing the range; a snippet when `snippet` is set. Defaults to the label. */
  newText?: string;
  snippet?: boolean;
  command?: Command;
  /** Used instead of the label when the editor filters on what was typed. */
  filterText?: string;
}

/** One item replacing `range`, ordered by `order` (the key table's order, not the alphabet). */
export function item(label: string, range: Range, order: number, options: ItemOptions): CompletionItem {
  const result: CompletionItem = {
    label,
    kind: options.kind,
    sortText: String(order).padStart(4, '0'),
    textEdit: { range, newText: options.newText ?? label },
  };
  if (options.detail !== undefined) result.detail = options.detail;
  if (options.documentation !== undefined) result.documentation = { kind: MarkupKind.Markdown, value: options.documentation };
  if (options.snippet) result.insertTextFormat = InsertTextFormat.Snippet;
  if (options.command) result.command = options.command;
  if (options.filterText !== undefined) result.filterText = options.filterText;
  return result;
}

/** Text taken literally inside a snippet. */
export function snippetText(text: string): string {
  return text.replace(/[$}\\]/g, (c) => `\\${c}`);
}

/** `${1|a,b|}`: a choice placeholder (commas and bars inside a choice are escaped). */
export function choiceSnippet(index: number, choices: readonly string[]): string {
  const escaped = choices.map((c) => c.replace(/[$}\\,|]/g, (ch) => `\\${ch}`));
  return `\${${index}|${escaped.join(',')}|}`;
}

export function placeholder(index: number, text: string): string {
  return text === '' ? `\${${index}}` : `\${${index}:${snippetText(text)}}`;
}

/** The value part of a key's example: `lr 1e-3` → `1e-3`. */
export function exampleValue(key: KeySpec): string | undefined {
  const prefix = `${key.name} `;
  return key.example.startsWith(prefix) ? key.example.slice(prefix.length) : undefined;
}

/** `number > 0`, `integer in 1..4096`, `threshold | sign | stochastic`: short enough for an item's detail. */
export function shortType(key: KeySpec, choices: readonly string[]): string {
  const t = key.type;
  let text: string;
  switch (t.kind) {
    case 'number': {
      const noun = t.integer ? 'integer' : 'number';
      if (t.min !== undefined && t.max !== undefined) text = `${noun} in ${t.minExclusive ? '(' : '['}${t.min}, ${t.max}${t.maxExclusive ? ')' : ']'}`;
      else if (t.min !== undefined) text = `${noun} ${t.minExclusive ? '>' : '≥'} ${t.min}`;
      else if (t.max !== undefined) text = `${noun} ${t.maxExclusive ? '<' : '≤'} ${t.max}`;
      else text = noun;
      break;
    }
    case 'fraction':
      text = 'percentage';
      break;
    case 'duration':
      text = 'duration';
      break;
    case 'runPoint':
      text = 'percentage or duration';
      break;
    case 'string':
      text = t.role === 'column' ? 'column name' : t.role === 'file' ? 'file path' : 'folder path';
      break;
    case 'enum':
      text = choices.length <= 4 ? choices.join(' | ') : key.many ? 'names' : `one of ${choices.length} names`;
      break;
    case 'boolean':
      text = 'true | false';
      break;
    case 'blocks':
      text = 'blocks';
      break;
    case 'selector':
      text = 'parameter selectors';
      break;
    case 'label':
      text = 'labels';
      break;
  }
  if (key.many && t.kind !== 'blocks') text = `list of ${text}`;
  return text;
}

/** `number > 0 · default 1e-3`. */
export function keyDetail(key: KeySpec, choices: readonly string[], defaultValue: TypedValue | undefined): string {
  const def = key.required ? 'required' : defaultValue === undefined ? 'no default' : `default ${formatValue(defaultValue, key.type)}`;
  return `${shortType(key, choices)} · ${def}`;
}
