// Inlay hints after each selection: how many tensors and parameters it matched, so a selector that
// picks far more (or fewer) than meant shows at a glance. A selection matching nothing gets no hint:
// its error already says so.

import type { InlayHint } from 'vscode-languageserver-types';
import type { Analysis, SelectionInfo } from '../analysis/analysis';
import type { Span } from '../dsl/ast';
import type { LineIndex } from '../dsl/lineIndex';
import { selectionHint } from './selectionSummary';

export function inlayHints(analysis: Analysis, lines: LineIndex, range: Span): InlayHint[] {
  const from = Math.min(range.start, range.end);
  const to = Math.max(range.start, range.end);
  const hints: InlayHint[] = [];
  for (const selection of shown(analysis.selections)) {
    const at = selection.span.end;
    if (at < from || at > to) continue;
    hints.push({ position: lines.positionAt(at), label: selectionHint(selection), paddingLeft: true, tooltip: `${selection.label} in '${selection.experiment}'` });
  }
  return hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}

/**
 * The selections worth a hint: `blocks` and `matrices` record the same blocks × matrices selection,
 * which is shown once, after whichever of the two comes last.
 */
function shown(selections: readonly SelectionInfo[]): SelectionInfo[] {
  const last = new Map<string, SelectionInfo>();
  const out: SelectionInfo[] = [];
  for (const s of selections) {
    if (s.tensors === 0) continue;
    if (s.label !== 'blocks × matrices') {
      out.push(s);
      continue;
    }
    const previous = last.get(s.experiment);
    if (!previous || previous.span.end < s.span.end) last.set(s.experiment, s);
  }
  return [...out, ...last.values()];
}
