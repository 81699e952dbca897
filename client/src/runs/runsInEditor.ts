// Runs in the editor, wired in one call from extension.ts: the `masklab/runEvent` notification
// (checked, then published on the hub; a malformed one is logged and dropped), workspace trust
// passed on to the server, the activity (status bar, progress, "Masklab Trainer" output), the
// Runs view, and the run commands.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { readRunEvent } from '../../../schemas/src/runEventSchema';
import {
  CANCEL_REQUEST,
  RUN_EVENT_NOTIFICATION,
  RUNS_DIRECTORY_REQUEST,
  WORKSPACE_TRUSTED_NOTIFICATION,
  type CancelResult,
  type RunEvent,
  type RunsDirectoryResult,
} from '../../../schemas/src/runNotifications';
import { registerRunCommands } from '../commands/runCommands';
import { registerRunsViewCommands } from '../commands/runsViewCommands';
import { LANGUAGE_ID, TRAINER_OUTPUT_CHANNEL_NAME } from '../contributions';
import { RunActivity } from './runActivity';
import { runEventHub, type RunEventListener, type Subscription } from './runEvents';
import { request, type RunsContext } from './runsContext';
import { RunsView } from './runsView';

/** Part of the extension's API (tests and the panels' module subscribe here). */
export interface RunsApi {
  onRunEvent(listener: RunEventListener): Subscription;
  lastEvents(runId: string): readonly RunEvent[];
  /** Run stores the Runs view shows. */
  runStores(): string[];
  /** What the Runs view lists now: `{ runDir, runId, state, description }` per run. */
  listedRuns(): { runDir: string; runId: string; state: string; description: string }[];
}

export function registerRunsInEditor(extension: vscode.ExtensionContext, client: LanguageClient, ready: Promise<void>): RunsApi {
  const output = vscode.window.createOutputChannel(TRAINER_OUTPUT_CHANNEL_NAME);
  const hub = runEventHub;
  client.onNotification(RUN_EVENT_NOTIFICATION, (value: unknown) => {
    const checked = readRunEvent(value);
    if (checked.ok) hub.publish(checked.value);
    else output.appendLine(`rejected a run event from the language server (not shown): ${checked.problem}`);
  });

  const view = new RunsView(hub);
  // The progress notification's Cancel button.
  const cancel = async (runId: string) => {
    const result = await request<CancelResult>(context, CANCEL_REQUEST, { runId });
    if ('error' in result) void vscode.window.showErrorMessage(`Masklab: ${result.error}`);
  };
  const activity = new RunActivity(hub, output, extension, cancel);
  const context: RunsContext = { client, ready, hub, view, activity };

  // The store each open experiment file's runs go to, as the server resolves it.
  const askStore = (document: vscode.TextDocument) => {
    if (document.languageId !== LANGUAGE_ID || document.uri.scheme !== 'file') return;
    void request<RunsDirectoryResult>(context, RUNS_DIRECTORY_REQUEST, { uri: document.uri.toString() }).then((result) => {
      if (!('error' in result)) view.addStore(result.runsDir);
    });
  };
  vscode.workspace.textDocuments.forEach(askStore);

  extension.subscriptions.push(
    output,
    view,
    activity,
    vscode.workspace.onDidOpenTextDocument(askStore),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void ready.then(() => client.sendNotification(WORKSPACE_TRUSTED_NOTIFICATION));
    }),
    registerRunCommands(context),
    registerRunsViewCommands(context),
  );

  return {
    onRunEvent: (listener) => hub.onRunEvent(listener),
    lastEvents: (runId) => hub.lastEvents(runId),
    runStores: () => view.runStores,
    listedRuns: () => view.allRuns().map((r) => ({ runDir: r.runDir, runId: r.runId, state: r.state, description: r.description })),
  };
}
