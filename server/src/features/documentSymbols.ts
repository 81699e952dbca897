import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { Body, Entry, MasklabDocument, Value } from '../dsl/ast';
import type { LineIndex } from '../dsl/lineIndex';
import { toRange } from './ranges';

/** The outline: experiments and sweeps, their blocks, and each property with its value as detail. */
export function documentSymbols(doc: MasklabDocument, text: string, lines: LineIndex): DocumentSymbol[] {
  const symbols: DocumentSymbol[] = [];
  for (const decl of doc.declarations) {
    if (!decl.name || decl.name.name === '') continue;
    const detail =
      decl.kind === 'experiment'
        ? decl.base
          ? `extends ${decl.base.name}`
          : 'experiment'
        : decl.target
          ? `sweep of ${decl.target.name}`
          : 'sweep';
    symbols.push({
      name: decl.name.name,
      detail,
      kind: decl.kind === 'experiment' ? SymbolKind.Class : SymbolKind.Array,
      range: toRange(lines, decl.span),
      selectionRange: toRange(lines, decl.name.span),
      children: decl.body ? bodySymbols(decl.body, text, lines) : [],
    });
  }
  return symbols;
}

function bodySymbols(body: Body, text: string, lines: LineIndex): DocumentSymbol[] {
  return body.entries.filter((e) => e.key.text !== '').map((entry) => entrySymbol(entry, text, lines));
}

function entrySymbol(entry: Entry, text: string, lines: LineIndex): DocumentSymbol {
  const values = entry.kind === 'block' ? entry.args : entry.values;
  const detail = valuesText(values, text);
  return {
    name: entry.key.text,
    detail: detail || undefined,
    kind: entry.kind === 'block' ? SymbolKind.Namespace : SymbolKind.Property,
    range: toRange(lines, entry.span),
    selectionRange: toRange(lines, entry.key.span),
    children: entry.kind === 'block' ? bodySymbols(entry.body, text, lines) : undefined,
  };
}

function valuesText(values: Value[], text: string): string {
  const shown = values
    .filter((v) => v.kind !== 'missing')
    .map((v) => text.slice(v.span.start, v.span.end))
    .join(', ');
  return shown.length > 60 ? shown.slice(0, 57) + '…' : shown;
}
