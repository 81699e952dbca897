// Document formatting through the printer: one edit replacing the whole text, or none when the
// text is already formatted (or has syntax errors, which the printer leaves alone).

import type { TextEdit } from 'vscode-languageserver-types';
import type { LineIndex } from '../dsl/lineIndex';
import { format, type FormatOptions } from '../dsl/printer';

export function formatting(text: string, lines: LineIndex, options: FormatOptions = {}): TextEdit[] {
  const formatted = format(text, options);
  if (formatted === text) return [];
  return [{ range: { start: { line: 0, character: 0 }, end: lines.positionAt(text.length) }, newText: formatted }];
}
