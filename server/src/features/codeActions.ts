// Quick fixes: every diagnostic touching the requested range that carries a fix (did-you-mean,
// quotes around an identifier, a range written backwards) becomes one preferred code action.

import { CodeActionKind, type CodeAction } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis/analysis';
import type { Span } from '../dsl/ast';
import type { LineIndex } from '../dsl/lineIndex';
import { toLspDiagnostic } from './lspDiagnostic';
import { toRange } from './ranges';

export function codeActions(analysis: Analysis, lines: LineIndex, range: Span): CodeAction[] {
  const from = Math.min(range.start, range.end);
  const to = Math.max(range.start, range.end);
  const actions: CodeAction[] = [];
  for (const d of analysis.diagnostics) {
    // Touching counts: the editor asks with an empty range at the cursor, often just after a word.
    if (!d.fix || d.span.end < from || d.span.start > to) continue;
    actions.push({
      title: d.fix.title,
      kind: CodeActionKind.QuickFix,
      isPreferred: true,
      diagnostics: [toLspDiagnostic(d, analysis.uri, lines)],
      edit: { changes: { [analysis.uri]: [{ range: toRange(lines, d.fix.span), newText: d.fix.newText }] } },
    });
  }
  return actions;
}
