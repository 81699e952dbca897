// Entry point of the Masklab extension: starts the language client and registers the commands.
// `activate` returns at once with an API whose `ready` settles when the language server has
// answered `initialize` — integration tests and other extensions wait on it instead of sleeping.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerRefreshResolvedConfig } from './commands/refreshResolvedConfig';
import { registerRestartServer } from './commands/restartServer';
import { registerShowResolvedConfig } from './commands/showResolvedConfig';
import { OUTPUT_CHANNEL_NAME } from './contributions';
import { createMasklabLanguageClient, ServerBundleMissing, startMasklabLanguageClient } from './languageClient';
import { ResolvedConfigDocuments } from './resolvedConfigDocument';
import { registerRunsInEditor, type RunsApi } from './runs/runsInEditor';
import { registerRunPanels } from './panels/registerPanels';
import { RESOLVED_CONFIG_METHOD, readResolvedConfigResult, type ResolvedConfigParams } from '../../schemas/src/resolvedConfigRequest';

export interface MasklabExtensionApi {
  /** Settles once the language server is initialized; rejects (with a how-to-fix message) if it cannot start. */
  ready: Promise<void>;
  client: LanguageClient;
  /** Live run events (`onRunEvent`, `lastEvents`) and what the Runs view lists. */
  runs: RunsApi;
}

let activeClient: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): MasklabExtensionApi {
  const outputChannel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME);
  context.subscriptions.push(outputChannel);

  const client = createMasklabLanguageClient(context, outputChannel);
  activeClient = client;
  const ready = startMasklabLanguageClient(client, context, outputChannel);
  ready.catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    outputChannel.appendLine(message);
    // Other start failures are already shown by vscode-languageclient itself.
    if (error instanceof ServerBundleMissing) void vscode.window.showErrorMessage(message);
  });

  const documents = new ResolvedConfigDocuments(async (target) => {
    try {
      await ready;
      const params: ResolvedConfigParams = { uri: target.sourceUri, experiment: target.experiment };
      if (target.index !== undefined) params.index = target.index;
      return readResolvedConfigResult(await client.sendRequest(RESOLVED_CONFIG_METHOD, params));
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  });

  context.subscriptions.push(
    documents,
    registerShowResolvedConfig(documents),
    registerRefreshResolvedConfig(documents),
    registerRestartServer(client, outputChannel),
  );
  context.subscriptions.push(registerRunPanels(context));
  const runs = registerRunsInEditor(context, client, ready);
  return { ready, client, runs };
}

export async function deactivate(): Promise<void> {
  const client = activeClient;
  activeClient = undefined;
  await client?.stop();
}
