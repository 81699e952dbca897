// The Runs view's actions on the selected runs: open metrics or masks (the panels' commands),
// compare several runs in one metrics panel, reveal the run folder, show trainer.log, delete
// (after a modal confirmation; never a run that is training) and refresh.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../contributions';
import { openMasks, openMetrics, type RunsContext } from '../runs/runsContext';
import { readRunCommandArguments } from './runCommandArguments';

export function registerRunsViewCommands(context: RunsContext): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.refreshRuns, () => context.view.refresh()),
    vscode.commands.registerCommand(Commands.showRunMetrics, (...args: unknown[]) => openMetrics(runDirsOf(context, args))),
    vscode.commands.registerCommand(Commands.showRunMasks, (...args: unknown[]) => openMasks(runDirsOf(context, args))),
    vscode.commands.registerCommand(Commands.compareRuns, (...args: unknown[]) => compareRuns(context, args)),
    vscode.commands.registerCommand(Commands.revealRunFolder, (...args: unknown[]) => revealRunFolder(context, args)),
    vscode.commands.registerCommand(Commands.showRunLog, (...args: unknown[]) => showRunLog(context, args)),
    vscode.commands.registerCommand(Commands.deleteRun, (...args: unknown[]) => deleteRuns(context, args)),
  );
}

/** The runs a view command is about: its arguments (node, selection), else the view's selection. */
function runDirsOf(context: RunsContext, args: unknown[]): string[] {
  const request = readRunCommandArguments(args);
  if (!('error' in request) && request.runs && request.runs.length > 0) return request.runs.map((r) => r.runDir);
  if (typeof args[0] === 'string' && path.isAbsolute(args[0])) return [args[0]];
  const selected = readRunCommandArguments([context.view.treeView.selection[0], context.view.treeView.selection]);
  return 'error' in selected || !selected.runs ? [] : selected.runs.map((r) => r.runDir);
}

async function compareRuns(context: RunsContext, args: unknown[]): Promise<void> {
  const runDirs = runDirsOf(context, args);
  if (runDirs.length === 0) {
    void vscode.window.showInformationMessage('Masklab: select runs in the Runs view (Ctrl/Cmd-click for several) to compare them.');
    return;
  }
  await openMetrics(runDirs);
}

async function revealRunFolder(context: RunsContext, args: unknown[]): Promise<void> {
  const [runDir] = runDirsOf(context, args);
  if (!runDir) return;
  const uri = vscode.Uri.file(runDir);
  const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  // Remote windows have no local file manager; the Explorer shows folders inside the workspace.
  if (inWorkspace) await vscode.commands.executeCommand('revealInExplorer', uri);
  if (vscode.env.remoteName === undefined) await vscode.commands.executeCommand('revealFileInOS', uri);
  else if (!inWorkspace) void vscode.window.showInformationMessage(`Masklab: the run folder is ${runDir}`);
}

async function showRunLog(context: RunsContext, args: unknown[]): Promise<void> {
  const [runDir] = runDirsOf(context, args);
  if (!runDir) return;
  try {
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(runDir, 'trainer.log')), { preview: true });
  } catch (error) {
    void vscode.window.showErrorMessage(`Masklab: cannot open ${path.join(runDir, 'trainer.log')}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Deletes the selected runs' folders after asking; refuses runs that are training. Returns the deleted folders. */
async function deleteRuns(context: RunsContext, args: unknown[]): Promise<string[]> {
  const runDirs = runDirsOf(context, args);
  if (runDirs.length === 0) return [];
  context.view.refresh();
  const training = runDirs.filter((dir) => context.view.findRun(dir)?.state === 'running');
  if (training.length > 0) {
    void vscode.window.showWarningMessage(
      `Masklab: ${training.map((d) => path.basename(d)).join(', ')} ${training.length === 1 ? 'is' : 'are'} training; cancel before deleting.`,
    );
    return [];
  }
  const names = runDirs.map((d) => `${path.basename(path.dirname(d))}/${path.basename(d)}`);
  const what = runDirs.length === 1 ? `run ${names[0]}` : `${runDirs.length} runs (${names.slice(0, 3).join(', ')}${runDirs.length > 3 ? ', …' : ''})`;
  const choice = await vscode.window.showWarningMessage(
    `Delete ${what}?`,
    { modal: true, detail: `Its folder — config, metrics, mask snapshots, checkpoints and artifact — is deleted from disk. This cannot be undone.` },
    'Delete',
  );
  if (choice !== 'Delete') return [];
  const deleted: string[] = [];
  for (const dir of runDirs) {
    try {
      await vscode.workspace.fs.delete(vscode.Uri.file(dir), { recursive: true, useTrash: false });
      deleted.push(dir);
    } catch (error) {
      void vscode.window.showErrorMessage(`Masklab: cannot delete ${dir}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  context.view.refresh();
  return deleted;
}
