// Renaming an experiment (or sweep) renames its declaration and every `extends` and `sweep … of`
// that names it. Names elsewhere (in other files, on the command line) are not this file's to change.

import type { Range, WorkspaceEdit } from 'vscode-languageserver-types';
import type { MasklabDocument } from '../dsl/ast';
import type { LineIndex } from '../dsl/lineIndex';
import { experimentAt, renameProblem } from './experimentReferences';
import { toRange } from './ranges';

const UNTITLED = 'untitled:masklab';

/** The name under the cursor and its range, or null where nothing can be renamed. */
export function prepareRename(doc: MasklabDocument, lines: LineIndex, offset: number): { range: Range; placeholder: string } | null {
  const found = experimentAt(doc, offset);
  if (!found) return null;
  const hit = [...found.declarations, ...found.references].find((id) => id.span.start <= offset && offset <= id.span.end);
  return hit ? { range: toRange(lines, hit.span), placeholder: found.name } : null;
}

export function rename(doc: MasklabDocument, lines: LineIndex, offset: number, newName: string, uri: string = UNTITLED): WorkspaceEdit | { error: string } {
  const found = experimentAt(doc, offset);
  if (!found) return { error: 'Only the names of experiments and sweeps can be renamed; put the cursor on one.' };
  const problem = renameProblem(doc, found.name, newName);
  if (problem) return { error: problem };
  const edits = [...found.declarations, ...found.references]
    .sort((a, b) => a.span.start - b.span.start)
    .map((id) => ({ range: toRange(lines, id.span), newText: newName }));
  return { changes: { [uri]: edits } };
}
