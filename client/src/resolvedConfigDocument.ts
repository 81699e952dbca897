// The read-only JSON documents that show an experiment's resolved config (every default filled
// in), served from the language server's `masklab/resolvedConfig` answer. Open ones follow their
// source: editing the `*.masklab` file refreshes them, and the refresh command re-asks the server
// (e.g. after a checkpoint changed on disk).

import * as vscode from 'vscode';
import { LANGUAGE_ID, RESOLVED_CONFIG_SCHEME } from './contributions';
import type { ResolvedConfigResult } from '../../schemas/src/resolvedConfigRequest';
import {
  parseResolvedConfigUri,
  resolvedConfigFileName,
  resolvedConfigKey,
  resolvedConfigUriParts,
  type ResolvedConfigTarget,
} from './resolvedConfigUri';

/** Asks the language server; never rejects (failures come back as `{ error }`). */
export type ResolvedConfigFetcher = (target: ResolvedConfigTarget) => Promise<ResolvedConfigResult>;

/** Edits to a source are coalesced for this long before the open configs are re-resolved. */
const REFRESH_DELAY_MS = 400;

export class ResolvedConfigDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Last good JSON per resolved config, so an edit that breaks the source keeps the view readable. */
  private readonly contents = new Map<string, string>();
  private readonly pendingRefresh = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly fetch: ResolvedConfigFetcher) {
    this.disposables.push(
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(RESOLVED_CONFIG_SCHEME, this),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.languageId === LANGUAGE_ID && event.contentChanges.length > 0) {
          this.scheduleRefresh(event.document.uri.toString());
        }
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        const target = ResolvedConfigDocuments.targetOf(document.uri);
        if (target) this.contents.delete(resolvedConfigKey(target));
      }),
    );
  }

  static uriFor(target: ResolvedConfigTarget): vscode.Uri {
    return vscode.Uri.from(resolvedConfigUriParts(target));
  }

  static targetOf(uri: vscode.Uri): ResolvedConfigTarget | undefined {
    return parseResolvedConfigUri({ scheme: uri.scheme, path: uri.path, query: uri.query });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const target = ResolvedConfigDocuments.targetOf(uri);
    if (!target) {
      throw new Error(`Masklab: ${uri.toString()} is not a resolved-config address (expected ${RESOLVED_CONFIG_SCHEME}:/NAME.json?SOURCE)`);
    }
    const cached = this.contents.get(resolvedConfigKey(target));
    if (cached !== undefined) return cached;
    // Not seen in this session (e.g. the window was reloaded with the tab open): ask now.
    const result = await this.fetch(target);
    if ('error' in result) throw new Error(`Masklab: cannot resolve "${resolvedConfigFileName(target)}": ${result.error}`);
    this.contents.set(resolvedConfigKey(target), result.json);
    return result.json;
  }

  /**
   * Asks the server for `target` and, on success, makes the document (open or about to be opened)
   * show the answer. On failure the previous content stays.
   */
  async load(target: ResolvedConfigTarget): Promise<ResolvedConfigResult> {
    const result = await this.fetch(target);
    if ('json' in result) {
      const key = resolvedConfigKey(target);
      const before = this.contents.get(key);
      this.contents.set(key, result.json);
      if (before !== result.json) this.changed.fire(ResolvedConfigDocuments.uriFor(target));
    }
    return result;
  }

  /** The resolved-config documents currently open for `sourceUri`. */
  openTargetsFor(sourceUri: string): ResolvedConfigTarget[] {
    return vscode.workspace.textDocuments
      .map((document) => ResolvedConfigDocuments.targetOf(document.uri))
      .filter((target): target is ResolvedConfigTarget => target !== undefined && target.sourceUri === sourceUri);
  }

  private scheduleRefresh(sourceUri: string): void {
    clearTimeout(this.pendingRefresh.get(sourceUri));
    this.pendingRefresh.set(
      sourceUri,
      setTimeout(() => {
        this.pendingRefresh.delete(sourceUri);
        void this.refreshOpenConfigs(sourceUri);
      }, REFRESH_DELAY_MS),
    );
  }

  private async refreshOpenConfigs(sourceUri: string): Promise<void> {
    for (const target of this.openTargetsFor(sourceUri)) {
      const result = await this.load(target);
      // Mid-edit the source is often broken; say so quietly instead of a popup on every keystroke.
      if ('error' in result) {
        vscode.window.setStatusBarMessage(`$(warning) Masklab: ${resolvedConfigFileName(target)} not refreshed: ${result.error}`, 5000);
      }
    }
  }

  dispose(): void {
    for (const timer of this.pendingRefresh.values()) clearTimeout(timer);
    this.pendingRefresh.clear();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
