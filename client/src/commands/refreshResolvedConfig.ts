// `masklab.refreshResolvedConfig`: re-asks the server for the resolved config shown in the active
// (or given) masklab-config document, e.g. after a checkpoint or data folder changed on disk.

import * as vscode from 'vscode';
import { Commands, RESOLVED_CONFIG_SCHEME } from '../contributions';
import { ResolvedConfigDocuments } from '../resolvedConfigDocument';
import { resolvedConfigFileName } from '../resolvedConfigUri';

export function registerRefreshResolvedConfig(documents: ResolvedConfigDocuments): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.refreshResolvedConfig, async (uri?: unknown): Promise<boolean> => {
    const target = ResolvedConfigDocuments.targetOf(
      uri instanceof vscode.Uri ? uri : (vscode.window.activeTextEditor?.document.uri ?? vscode.Uri.parse('untitled:none')),
    );
    if (!target) {
      void vscode.window.showErrorMessage(
        `Masklab: Refresh Resolved Config works on a resolved config (${RESOLVED_CONFIG_SCHEME}:) tab; open one with "Masklab: Show Resolved Config".`,
      );
      return false;
    }
    const result = await documents.load(target);
    if ('error' in result) {
      void vscode.window.showErrorMessage(`Masklab: cannot refresh ${resolvedConfigFileName(target)}: ${result.error}`);
      return false;
    }
    return true;
  });
}
