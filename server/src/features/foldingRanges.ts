import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { Body, MasklabDocument } from '../dsl/ast';
import type { LineIndex } from '../dsl/lineIndex';

/** Folds every multi-line `{ … }` body and every multi-line block comment or run of line comments. */
export function foldingRanges(doc: MasklabDocument, lines: LineIndex): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const addBody = (body: Body | undefined) => {
    if (!body) return;
    const startLine = lines.positionAt(body.open.start).line;
    const endOffset = body.close ? body.close.start : body.span.end;
    const endLine = lines.positionAt(endOffset).line;
    // Keep the closing brace visible: fold up to the line before it.
    const last = body.close ? endLine - 1 : endLine;
    if (last > startLine) ranges.push({ startLine, endLine: last });
    for (const entry of body.entries) if (entry.kind === 'block') addBody(entry.body);
  };
  for (const decl of doc.declarations) addBody(decl.body);

  let runStart = -1;
  let runEnd = -1;
  const flush = () => {
    if (runStart >= 0 && runEnd > runStart) ranges.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Comment });
    runStart = runEnd = -1;
  };
  for (const comment of doc.comments) {
    const start = lines.positionAt(comment.span.start).line;
    const end = lines.positionAt(comment.span.end).line;
    if (!comment.line) {
      flush();
      if (end > start) ranges.push({ startLine: start, endLine: end, kind: FoldingRangeKind.Comment });
      continue;
    }
    if (runStart >= 0 && start === runEnd + 1) runEnd = start;
    else {
      flush();
      runStart = runEnd = start;
    }
  }
  flush();
  return ranges;
}
