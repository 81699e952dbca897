// `masklab.restartServer`: restarts the language server, e.g. after rebuilding it or when it
// stopped after repeated crashes.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands } from '../contributions';

export function registerRestartServer(client: LanguageClient, outputChannel: vscode.OutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.restartServer, async (): Promise<void> => {
    outputChannel.appendLine('Restarting the Masklab language server (requested by the user).');
    try {
      await client.restart();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outputChannel.appendLine(`Restart failed: ${message}`);
      void vscode.window.showErrorMessage(`Masklab: the language server did not restart: ${message}. See the "Masklab Language Server" output.`);
    }
  });
}
