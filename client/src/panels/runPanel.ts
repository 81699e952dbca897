// What the metrics and masks panels share: the webview page (strict CSP, fresh nonce, only the
// extension's dist/webviews readable), the ready handshake, checking every message the page sends,
// the save-a-file request, live events from the window's hub for the panel's runs, and a poll of
// the run folders while the panel is visible (runs trained from the CLI, deleted folders, status
// changes). No `retainContextWhenHidden`: a hidden page is discarded, and when shown again it says
// `ready` and gets its history re-read from disk, while its view choices come back from its own
// saved state — so nothing shown is lost, and hidden panels cost no memory.

import * as vscode from 'vscode';
import type { RunEvent } from '../../../schemas/src/runNotifications';
import type { HostMessage, PanelKind, PanelRunState, RequestResult, SaveFileRequest, WebviewMessage } from '../../../schemas/src/webviewMessages';
import { readWebviewMessage } from '../../../schemas/src/webviewMessageSchema';
import type { LiveRunFeed } from './liveRunFeed';
import { newNonce, panelHtml } from './panelHtml';
import { fileBytes, safeFileName } from './saveRequest';
import { readPanelRun, runFolderExists } from './runFolderReader';

export interface PanelServices {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  feed: LiveRunFeed;
}

/** How often a visible panel looks at its run folders. */
const POLL_MS = 1_000;

interface Watched {
  exists: boolean;
  state: PanelRunState;
  message: string | null;
}

export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webviews');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [webviewRoot(extensionUri)] };
}

export abstract class RunPanel {
  protected ready = false;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly watched = new Map<string, Watched>();
  private disposed = false;
  private readonly disposeListeners: (() => void)[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly runDirs: readonly string[],
    protected readonly services: PanelServices,
    readonly kind: PanelKind,
  ) {
    const webview = panel.webview;
    webview.options = webviewOptions(services.extensionUri);
    this.disposables.push(
      webview.onDidReceiveMessage((data: unknown) => this.receive(data)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        // Hidden: VS Code discards the page; shown again, it reloads and says `ready`.
        if (!panel.visible) this.ready = false;
        this.schedulePoll();
      }),
      services.feed.onRunEvent((event) => {
        if (this.ready && this.runDirs.includes(event.runDir)) this.relay(event);
      }),
    );
    this.render();
  }

  /** Re-renders the page; it will say `ready` and get a fresh init. */
  protected render(): void {
    this.ready = false;
    const webview = this.panel.webview;
    const root = webviewRoot(this.services.extensionUri);
    webview.html = panelHtml({
      title: this.panel.title,
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, `${this.kind}.js`)).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, `${this.kind}.css`)).toString(),
    });
  }

  onDidDispose(listener: () => void): void {
    this.disposeListeners.push(listener);
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    for (const listener of this.disposeListeners) listener();
  }

  /** The page's history: read from the run folders, then sent as the panel's init message. */
  protected abstract sendInit(): void;
  /** A live event of one of this panel's runs (after `ready`). */
  protected abstract relayData(event: RunEvent): void;
  /** Looks for new data in the run folders (runs trained elsewhere, e.g. by the CLI). */
  protected abstract pollData(): void;
  protected abstract answerSnapshot(runDir: string, step: number): RequestResult | string;

  protected post(message: HostMessage): void {
    if (!this.ready || this.disposed) return;
    void this.panel.webview.postMessage(message).then(
      (delivered) => {
        // Not delivered: the page went away (hidden); it asks again with `ready` when shown.
        if (!delivered) this.ready = false;
      },
      () => (this.ready = false),
    );
  }

  private receive(data: unknown): void {
    const read = readWebviewMessage(data);
    if (!read.ok) {
      this.services.log.warn(`${this.kind} panel: rejected a message from the webview: ${read.problem}`);
      return;
    }
    this.handle(read.value);
  }

  private handle(message: WebviewMessage): void {
    switch (message.type) {
      case 'ready':
        if (message.panel !== this.kind) {
          this.services.log.warn(`${this.kind} panel: the page says it is a '${message.panel}' panel; ignored`);
          return;
        }
        this.ready = true;
        this.watched.clear();
        for (const runDir of this.runDirs) {
          const run = readPanelRun(runDir);
          this.watched.set(runDir, { exists: run.state !== 'missing', state: run.state, message: run.message });
        }
        this.sendInit();
        this.schedulePoll();
        break;
      case 'log': {
        const line = `${this.kind} panel: ${message.message}`;
        if (message.level === 'error') this.services.log.error(line);
        else if (message.level === 'warning') this.services.log.warn(line);
        else this.services.log.info(line);
        break;
      }
      case 'request':
        void this.answer(message.requestId, message.request);
        break;
    }
  }

  private async answer(requestId: number, request: Extract<WebviewMessage, { type: 'request' }>['request']): Promise<void> {
    let outcome: RequestResult | string;
    try {
      outcome = request.kind === 'save' ? await this.save(request) : this.answerSnapshot(request.runDir, request.step);
    } catch (error) {
      outcome = error instanceof Error ? error.message : String(error);
    }
    if (typeof outcome === 'string') {
      this.services.log.warn(`${this.kind} panel: ${request.kind} request failed: ${outcome}`);
      this.post({ type: 'response', requestId, ok: false, error: outcome });
    } else {
      this.post({ type: 'response', requestId, ok: true, result: outcome });
    }
  }

  private async save(request: SaveFileRequest): Promise<RequestResult | string> {
    const bytes = fileBytes(request);
    if (typeof bytes === 'string') return bytes;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(this.runDirs[0] ?? '.');
    const safeName = safeFileName(request.suggestedName);
    const filters: Record<SaveFileRequest['format'], Record<string, string[]>> = {
      csv: { 'CSV': ['csv'] },
      json: { 'JSON': ['json'] },
      png: { 'PNG image': ['png'] },
    };
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder, safeName),
      filters: filters[request.format],
      title: `Masklab: save ${request.format.toUpperCase()}`,
    });
    if (!target) return { kind: 'save', saved: null };
    await vscode.workspace.fs.writeFile(target, bytes);
    this.services.log.info(`${this.kind} panel: saved ${target.fsPath}`);
    return { kind: 'save', saved: target.fsPath };
  }

  private relay(event: RunEvent): void {
    const e = event.event;
    if (e.type === 'started') this.setState(event.runDir, 'running', null);
    else if (e.type === 'finished') this.setState(event.runDir, e.outcome, null);
    else if (e.type === 'failed') this.setState(event.runDir, 'failed', e.message);
    else if (e.type === 'ended') this.setState(event.runDir, e.state, e.message);
    this.relayData(event);
  }

  private setState(runDir: string, state: PanelRunState, message: string | null): void {
    const watched = this.watched.get(runDir);
    if (watched && watched.state === state && watched.message === message) return;
    this.watched.set(runDir, { exists: true, state, message });
    this.post({ type: 'run/state', runDir, state, message });
  }

  private schedulePoll(): void {
    clearTimeout(this.timer);
    if (this.disposed || !this.panel.visible) return;
    this.timer = setTimeout(() => {
      try {
        if (this.ready) this.poll();
      } catch (error) {
        this.services.log.error(`${this.kind} panel: reading the run folders failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      this.schedulePoll();
    }, POLL_MS);
  }

  private poll(): void {
    for (const runDir of this.runDirs) {
      const watched = this.watched.get(runDir);
      if (!watched) continue;
      if (!runFolderExists(runDir)) {
        if (watched.exists) {
          this.watched.set(runDir, { exists: false, state: 'missing', message: 'the run folder was deleted' });
          this.post({ type: 'run/deleted', runDir });
        }
        continue;
      }
      const run = readPanelRun(runDir);
      if (!watched.exists) this.watched.set(runDir, { ...watched, exists: true });
      this.setState(runDir, run.state, run.message);
    }
    this.pollData();
  }
}
