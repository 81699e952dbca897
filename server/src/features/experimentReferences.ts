// Names of experiments (and sweeps, which share their namespace in a file): where each is declared
// and where it is used (`extends`, `sweep … of`). Definition and rename are built on these.

import type { Identifier, MasklabDocument } from '../dsl/ast';
import { spanContains } from './ranges';

/** Where a name is declared and where it is used (`extends`, `sweep … of`). */
export interface ExperimentOccurrences {
  name: string;
  declarations: Identifier[];
  references: Identifier[];
}

/** The experiment or sweep name under the cursor, with every occurrence of it in the document. */
export function experimentAt(doc: MasklabDocument, offset: number): ExperimentOccurrences | undefined {
  const hit = allNameOccurrences(doc).find((id) => spanContains(id.span, offset));
  return hit ? occurrencesOf(doc, hit.name) : undefined;
}

export function occurrencesOf(doc: MasklabDocument, name: string): ExperimentOccurrences {
  const declarations: Identifier[] = [];
  const references: Identifier[] = [];
  for (const decl of doc.declarations) {
    if (decl.name?.name === name) declarations.push(decl.name);
    if (decl.kind === 'experiment') {
      if (decl.base?.name === name) references.push(decl.base);
    } else if (decl.target?.name === name) {
      references.push(decl.target);
    }
  }
  return { name, declarations, references };
}

function allNameOccurrences(doc: MasklabDocument): Identifier[] {
  const ids: Identifier[] = [];
  for (const decl of doc.declarations) {
    if (decl.name) ids.push(decl.name);
    if (decl.kind === 'experiment') {
      if (decl.base) ids.push(decl.base);
    } else if (decl.target) {
      ids.push(decl.target);
    }
  }
  return ids.filter((id) => id.name !== '');
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why a new experiment name cannot be used, or undefined when it can. */
export function renameProblem(doc: MasklabDocument, oldName: string, newName: string): string | undefined {
  if (!NAME.test(newName)) return `'${newName}' is not a valid name: use letters, digits and '_', not starting with a digit.`;
  if (['experiment', 'sweep', 'extends', 'of'].includes(newName)) return `'${newName}' is a keyword.`;
  if (newName === oldName) return undefined;
  const taken = doc.declarations.some((d) => d.name?.name === newName);
  return taken ? `An experiment or sweep named '${newName}' already exists in this file.` : undefined;
}
