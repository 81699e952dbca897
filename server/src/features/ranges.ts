import type { Range } from 'vscode-languageserver-types';
import type { Span } from '../dsl/ast';
import type { LineIndex } from '../dsl/lineIndex';

/** An AST span as an LSP range (0-based lines, UTF-16 columns). */
export function toRange(lines: LineIndex, span: Span): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

export function spanContains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}
