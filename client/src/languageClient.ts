// Starts the Masklab language server (dist/server/server.js) in a Node child process and talks
// LSP to it over IPC. The client id is `masklab`, so vscode-languageclient reads the
// `masklab.trace.server` setting itself.

import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { LANGUAGE_ID, SERVER_MODULE, SETTINGS_SECTION } from './contributions';
import { initializationOptionsFrom } from './settings';

export function createMasklabLanguageClient(
  context: vscode.ExtensionContext,
  outputChannel: vscode.OutputChannel,
): LanguageClient {
  const serverModule = context.asAbsolutePath(SERVER_MODULE);
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    // Launched this way when the extension runs under the debugger: attach to port 6009.
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };

  // Experiment files, and the checkpoint files their analysis depends on (a changed config.json
  // or safetensors header changes which selectors match).
  const watcher = vscode.workspace.createFileSystemWatcher('**/{*.masklab,config.json,*.safetensors}');
  context.subscriptions.push(watcher);

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: LANGUAGE_ID, scheme: 'file' },
      { language: LANGUAGE_ID, scheme: 'untitled' },
    ],
    outputChannel,
    // A function, so a restart picks up settings changed since activation.
    initializationOptions: () =>
      initializationOptionsFrom((key) => vscode.workspace.getConfiguration(SETTINGS_SECTION).get(key), vscode.workspace.isTrusted),
    synchronize: { configurationSection: SETTINGS_SECTION, fileEvents: watcher },
  };
  return new LanguageClient(LANGUAGE_ID, 'Masklab Language Server', serverOptions, clientOptions);
}

/** A source checkout that was never built: said once, with the fix. */
export class ServerBundleMissing extends Error {
  constructor(readonly serverModule: string) {
    super(`Masklab: the language server bundle ${serverModule} is missing. Build the extension (npm run build) and reload the window.`);
  }
}

/**
 * Resolves once the server has answered `initialize`; rejects with a message that says what to do
 * when the bundle is missing (a source checkout that was never built) or the server fails to start.
 */
export async function startMasklabLanguageClient(
  client: LanguageClient,
  context: vscode.ExtensionContext,
  outputChannel: vscode.OutputChannel,
): Promise<void> {
  const serverModule = context.asAbsolutePath(SERVER_MODULE);
  if (!existsSync(serverModule)) throw new ServerBundleMissing(serverModule);
  outputChannel.appendLine(`Starting the Masklab language server: ${serverModule}`);
  await client.start();
}
