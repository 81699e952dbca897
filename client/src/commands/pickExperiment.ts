// Asking which experiment (and which sweep cell) a palette command is about: the declarations of
// the document are offered with the one under the cursor first; a sweep then asks for a cell,
// from a list of its cells' values when the caller has them (a code lens) or as a typed index.

import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../contributions';
import { declarationPickItems, findDeclarations, parseSweepIndex, type DeclarationPickItem } from '../experimentDeclarations';
import { cellPickItems, type SweepCellChoice } from './runCommandArguments';

export interface ExperimentTarget {
  sourceUri: string;
  experiment: string;
  index?: number;
}

/** Which experiment of `sourceUri` (and, for a sweep, which cell): asked only when there is a choice. */
export async function askForExperiment(sourceUri: string, title: string): Promise<ExperimentTarget | undefined> {
  const source = await openSource(sourceUri);
  if (!source) return undefined;
  const declarations = findDeclarations(source.getText());
  if (declarations.length === 0) {
    void vscode.window.showErrorMessage(
      `Masklab: ${vscode.workspace.asRelativePath(source.uri)} declares no experiment; add one (experiment NAME { … }) first.`,
    );
    return undefined;
  }
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === source);
  const cursor = editor ? source.offsetAt(editor.selection.active) : undefined;
  const items = declarationPickItems(declarations, cursor);
  const chosen: DeclarationPickItem | undefined =
    items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title, placeHolder: 'Which experiment?', matchOnDescription: true });
  if (!chosen) return undefined;

  const target: ExperimentTarget = { sourceUri, experiment: chosen.declaration.name };
  if (chosen.declaration.kind === 'sweep') {
    const index = await askForCell(chosen.declaration.name, title);
    if (index === undefined) return undefined;
    target.index = index;
  }
  return target;
}

/** A sweep cell: picked from `cells` when given (and all listed), else typed. */
export async function askForCell(sweep: string, title: string, cells?: SweepCellChoice): Promise<number | undefined> {
  if (cells && cells.cellLabels.length >= cells.cellCount && cells.cellCount > 0) {
    const picked = await vscode.window.showQuickPick(cellPickItems(cells), { title: `${title}: ${sweep}`, placeHolder: 'Which cell of the sweep?', matchOnDescription: true });
    return picked?.index;
  }
  const last = cells ? ` (0 to ${cells.cellCount - 1})` : '';
  const typed = await vscode.window.showInputBox({
    title: `${title}: sweep ${sweep}`,
    prompt: `Which cell of the sweep grid${last}? The same index as \`masklab train --index N\`.`,
    value: '0',
    validateInput: (text) => {
      const parsed = parseSweepIndex(text);
      if (typeof parsed !== 'number') return parsed.message;
      return cells && parsed >= cells.cellCount ? `the sweep has ${cells.cellCount} cells: give 0 to ${cells.cellCount - 1}` : undefined;
    },
  });
  if (typed === undefined) return undefined;
  const index = parseSweepIndex(typed);
  return typeof index === 'number' ? index : undefined;
}

/** The `.masklab` document the command is about: `sourceUri`, else the active editor's (with a message when there is none). */
export function activeSourceUri(sourceUri: string | undefined, what: string): string | undefined {
  if (sourceUri !== undefined) return sourceUri;
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== LANGUAGE_ID) {
    void vscode.window.showErrorMessage(`Masklab: open a .masklab file (and put the cursor in an experiment) to ${what}.`);
    return undefined;
  }
  return editor.document.uri.toString();
}

export async function openSource(sourceUri: string): Promise<vscode.TextDocument | undefined> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === sourceUri);
  if (open) return open;
  try {
    return await vscode.workspace.openTextDocument(vscode.Uri.parse(sourceUri, true));
  } catch (error) {
    void vscode.window.showErrorMessage(`Masklab: cannot open ${sourceUri}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
