// `masklab.showResolvedConfig`: opens an experiment's resolved config as read-only JSON beside
// the source. Called by the server's code lenses with `[uri, experiment, index?]`, or from the
// palette / editor menus, where it asks which experiment (and which sweep cell) to show.

import * as vscode from 'vscode';
import { Commands, LANGUAGE_ID } from '../contributions';
import { ResolvedConfigDocuments } from '../resolvedConfigDocument';
import type { ResolvedConfigTarget } from '../resolvedConfigUri';
import { askForExperiment } from './pickExperiment';
import { readShowResolvedConfigArguments } from './showResolvedConfigArguments';

export function registerShowResolvedConfig(documents: ResolvedConfigDocuments): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.showResolvedConfig, (...args: unknown[]) => showResolvedConfig(documents, args));
}

/** Returns the uri of the opened document (tests use it), or undefined when cancelled or failed. */
async function showResolvedConfig(documents: ResolvedConfigDocuments, args: unknown[]): Promise<vscode.Uri | undefined> {
  const request = readShowResolvedConfigArguments(args);
  if ('error' in request) {
    void vscode.window.showErrorMessage(`Masklab: Show Resolved Config was called wrongly: ${request.error}.`);
    return undefined;
  }

  let sourceUri = request.sourceUri;
  if (sourceUri === undefined) {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== LANGUAGE_ID) {
      void vscode.window.showErrorMessage('Masklab: open a .masklab file (and put the cursor in an experiment) to show its resolved config.');
      return undefined;
    }
    sourceUri = editor.document.uri.toString();
  }

  let target: ResolvedConfigTarget | undefined;
  if (request.experiment !== undefined) {
    target = { sourceUri, experiment: request.experiment, index: request.index };
  } else {
    target = await askForExperiment(sourceUri, 'Masklab: Show Resolved Config');
    if (!target) return undefined;
  }

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Masklab: resolving ${target.experiment}` },
    () => documents.load(target),
  );
  if ('error' in result) {
    const cell = target.index === undefined ? '' : ` (cell ${target.index})`;
    void vscode.window.showErrorMessage(`Masklab: cannot show the resolved config of "${target.experiment}"${cell}: ${result.error}`);
    return undefined;
  }

  const document = await vscode.workspace.openTextDocument(ResolvedConfigDocuments.uriFor(target));
  // The `.json` ending normally selects JSON already; make sure for users who remapped it.
  const shown = document.languageId === 'json' ? document : await vscode.languages.setTextDocumentLanguage(document, 'json');
  await vscode.window.showTextDocument(shown, { viewColumn: columnFor(shown.uri, target.sourceUri), preview: true });
  return shown.uri;
}

/**
 * Where to show a resolved config: where it is already shown, else the column right of its source
 * (so asking again, or for another experiment, reuses that column instead of adding one each time).
 */
function columnFor(configUri: vscode.Uri, sourceUri: string): vscode.ViewColumn {
  const editors = vscode.window.visibleTextEditors;
  const already = editors.find((e) => e.document.uri.toString() === configUri.toString())?.viewColumn;
  if (already !== undefined) return already;
  const source = editors.find((e) => e.document.uri.toString() === sourceUri)?.viewColumn;
  return source !== undefined ? source + 1 : vscode.ViewColumn.Beside;
}
