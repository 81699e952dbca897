// `masklab.showResolvedConfig`: opens an experiment's resolved config as read-only JSON beside
// the source. Called by the server's code lenses with `[uri, experiment, index?]`, or from the
// palette / editor menus, where it asks which experiment (and which sweep cell) to show.

import * as vscode from 'vscode';
import { Commands, LANGUAGE_ID } from '../contributions';
import { declarationPickItems, findDeclarations, parseSweepIndex, type DeclarationPickItem } from '../experimentDeclarations';
import { ResolvedConfigDocuments } from '../resolvedConfigDocument';
import type { ResolvedConfigTarget } from '../resolvedConfigUri';
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
    target = await askForTarget(sourceUri);
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

/** Which experiment of `sourceUri` (and, for a sweep, which cell): asked only when there is a choice. */
async function askForTarget(sourceUri: string): Promise<ResolvedConfigTarget | undefined> {
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
    items.length === 1
      ? items[0]
      : await vscode.window.showQuickPick(items, {
          title: 'Masklab: Show Resolved Config',
          placeHolder: 'Which experiment?',
          matchOnDescription: true,
        });
  if (!chosen) return undefined;

  const target: ResolvedConfigTarget = { sourceUri, experiment: chosen.declaration.name };
  if (chosen.declaration.kind === 'sweep') {
    const typed = await vscode.window.showInputBox({
      title: `Masklab: Show Resolved Config of sweep ${chosen.declaration.name}`,
      prompt: 'Which cell of the sweep grid (the same index as `masklab train --index N`)?',
      value: '0',
      validateInput: (text) => {
        const parsed = parseSweepIndex(text);
        return typeof parsed === 'number' ? undefined : parsed.message;
      },
    });
    if (typed === undefined) return undefined;
    const index = parseSweepIndex(typed);
    if (typeof index !== 'number') return undefined;
    target.index = index;
  }
  return target;
}

async function openSource(sourceUri: string): Promise<vscode.TextDocument | undefined> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === sourceUri);
  if (open) return open;
  try {
    return await vscode.workspace.openTextDocument(vscode.Uri.parse(sourceUri, true));
  } catch (error) {
    void vscode.window.showErrorMessage(`Masklab: cannot open ${sourceUri}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
