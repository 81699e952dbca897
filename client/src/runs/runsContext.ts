// What the run commands share: the language client (its requests answer `{ error }` rather than
// throwing), the event hub, the activity (status bar, progress, output) and the Runs view.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PanelCommands } from '../contributions';
import type { RunActivity } from './runActivity';
import type { RunEventHub } from './runEvents';
import type { RunsView } from './runsView';

export interface RunsContext {
  client: LanguageClient;
  ready: Promise<void>;
  hub: RunEventHub;
  activity: RunActivity;
  view: RunsView;
}

/** Sends a run request once the server is ready; a failure of the channel comes back as `{ error }` too. */
export async function request<T extends object>(context: RunsContext, method: string, params: unknown): Promise<T | { error: string }> {
  try {
    await context.ready;
    return await context.client.sendRequest<T | { error: string }>(method, params);
  } catch (error) {
    return { error: `the language server did not answer ${method}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Opens the metrics panel of one or several runs; until the panels exist, the run's record as text. */
export async function openMetrics(runDirs: string[]): Promise<void> {
  await openPanel(PanelCommands.openMetrics, runDirs, 'metrics.jsonl');
}

export async function openMasks(runDirs: string[]): Promise<void> {
  await openPanel(PanelCommands.openMasks, runDirs, 'masks');
}

async function openPanel(command: string, runDirs: string[], fallbackFile: string): Promise<void> {
  if (runDirs.length === 0) return;
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes(command)) {
    await vscode.commands.executeCommand(command, runDirs.length === 1 ? runDirs[0] : runDirs);
    return;
  }
  // Without the panels (an older build), the files themselves still say what happened.
  const target = vscode.Uri.joinPath(vscode.Uri.file(runDirs[0]), fallbackFile === 'masks' ? 'summary.json' : fallbackFile);
  await vscode.window.showTextDocument(target, { preview: true });
}
