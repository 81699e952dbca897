// `masklab.openMetrics` and `masklab.openMasks`: open the metrics or masks panel of runs. Called
// by the Runs view and the run commands with `(runDir | runDir[])`, by tree menus with the clicked
// item (and the selection), and from the palette with nothing: then the runs of the workspace's
// run store are offered in a pick list.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PanelKind } from '../../../schemas/src/webviewMessages';
import { PanelCommands, SETTINGS_SECTION } from '../contributions';
import { readPanelArguments } from '../panels/panelArguments';
import type { OpenedPanel, PanelRegistry } from '../panels/panelRegistry';
import { scanRunStore } from '../runs/runStoreScan';
import { readRunsDirectory } from '../settings';

export function registerOpenMetrics(registry: PanelRegistry): vscode.Disposable {
  return vscode.commands.registerCommand(PanelCommands.openMetrics, (...args: unknown[]) => openPanel(registry, 'metrics', args));
}

export function registerOpenMasks(registry: PanelRegistry): vscode.Disposable {
  return vscode.commands.registerCommand(PanelCommands.openMasks, (...args: unknown[]) => openPanel(registry, 'masks', args));
}

async function openPanel(registry: PanelRegistry, kind: PanelKind, args: unknown[]): Promise<OpenedPanel | undefined> {
  const target = readPanelArguments(args);
  if ('error' in target) {
    void vscode.window.showErrorMessage(`Masklab: cannot open the ${kind} panel: ${target.error}.`);
    return undefined;
  }
  const runDirs = 'ask' in target ? await pickRuns(kind) : target.runDirs;
  if (!runDirs || runDirs.length === 0) return undefined;
  return registry.open(kind, runDirs);
}

/** The run store of the first workspace folder, as the `masklab.runs.directory` setting says. */
function runStoreOfWorkspace(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') return undefined;
  const setting = readRunsDirectory((key) => vscode.workspace.getConfiguration(SETTINGS_SECTION, folder.uri).get(key));
  if (setting === '') return path.join(folder.uri.fsPath, '.masklab', 'runs');
  return path.isAbsolute(setting) ? setting : path.join(folder.uri.fsPath, setting);
}

async function pickRuns(kind: PanelKind): Promise<string[] | undefined> {
  const store = runStoreOfWorkspace();
  const runs = store ? scanRunStore(store) : [];
  if (runs.length === 0) {
    const chosen = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: kind === 'metrics',
      title: `Masklab: no runs in ${store ?? 'this workspace'}; choose run folders`,
      openLabel: 'Open',
    });
    return chosen?.map((uri) => uri.fsPath);
  }
  // Newest first across experiments (run ids start with their UTC start time).
  const items = [...runs].sort((a, b) => (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0)).map((run) => ({
    label: `${run.name}`,
    description: `${run.runId} · ${run.state}`,
    detail: run.best ? `best ${run.best.metric} ${run.best.value.toFixed(4)} at step ${run.best.step}` : undefined,
    runDir: run.dir,
  }));
  return pickMany(items, {
    title: kind === 'metrics' ? 'Masklab: metrics of which runs?' : 'Masklab: masks of which runs?',
    placeholder: 'Enter opens the highlighted (else the newest) run; tick several to compare them',
  });
}

/**
 * A multi-select pick where Enter with nothing ticked takes the highlighted item, or the first
 * when none is (a multi-select list highlights nothing until the arrow keys are used).
 */
function pickMany<T extends vscode.QuickPickItem & { runDir: string }>(items: T[], options: { title: string; placeholder: string }): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<T>();
    pick.items = items;
    pick.canSelectMany = true;
    pick.matchOnDescription = true;
    pick.title = options.title;
    pick.placeholder = options.placeholder;
    let done = false;
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems.length > 0 ? pick.selectedItems : pick.activeItems.length > 0 ? pick.activeItems : pick.items.slice(0, 1);
      done = true;
      resolve(chosen.map((item) => item.runDir));
      pick.hide();
    });
    pick.onDidHide(() => {
      if (!done) resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}
