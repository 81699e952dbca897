// Go to definition on an experiment name (in `extends`, `sweep … of`, or its own declaration):
// the declaration's name. A name declared twice (an error) leads to both.

import type { Location } from 'vscode-languageserver-types';
import type { MasklabDocument } from '../dsl/ast';
import type { LineIndex } from '../dsl/lineIndex';
import { experimentAt } from './experimentReferences';
import { toRange } from './ranges';

/** The uri analyse() gives a document without a path; the server always passes the real one. */
const UNTITLED = 'untitled:masklab';

export function definition(doc: MasklabDocument, lines: LineIndex, offset: number, uri: string = UNTITLED): Location[] {
  const found = experimentAt(doc, offset);
  if (!found) return [];
  return found.declarations.map((id) => ({ uri, range: toRange(lines, id.span) }));
}
