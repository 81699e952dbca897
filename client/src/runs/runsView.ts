// The Runs view (activity bar → Masklab → Runs): experiments → runs of every run store this window
// knows, kept current by file watchers so runs started from the CLI appear and progress too.
// Run stores come from: each workspace folder's `masklab.runs.directory` or default store (the
// folder's, and its project root's when that is above it), the server's answer for each open
// .masklab file (the store its runs go to), run events, and `.masklab/runs` folders found in
// the workspace. Reading and tree building are plain functions (runStoreScan.ts, runsTree.ts).

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProgressMessage } from '../../../schemas/src/trainerMessages';
import { Commands, RUNS_VIEW, SETTINGS_SECTION } from '../contributions';
import type { RunEventHub } from './runEvents';
import { MetricsBestCache, scanRunStore, type RunEntry } from './runStoreScan';
import { buildRunsTree, type GroupNode, type RunNode, type RunsTreeNode } from './runsTree';

const REFRESH_DELAY_MS = 300;
/** While a run shows as running, look again this often (a crashed CLI trainer writes nothing more). */
const RUNNING_RECHECK_MS = 30_000;
const RUN_FILES_GLOB = '*/*/{status.json,summary.json,config.json}';

export class RunsView implements vscode.TreeDataProvider<RunsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly treeView: vscode.TreeView<RunsTreeNode>;
  private readonly stores = new Set<string>();
  private readonly storeWatchers = new Map<string, vscode.Disposable>();
  private readonly entries = new Map<string, RunEntry[]>();
  private readonly progress = new Map<string, ProgressMessage>();
  private readonly metricsCache = new MetricsBestCache();
  private readonly disposables: vscode.Disposable[] = [];
  private groups: GroupNode[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;
  private liveTimer: NodeJS.Timeout | undefined;
  private recheckTimer: NodeJS.Timeout | undefined;
  private readonly refreshed = new vscode.EventEmitter<void>();
  /** Fires after each rescan (tests and commands wait on it). */
  readonly onDidRefresh = this.refreshed.event;

  constructor(private readonly hub: RunEventHub) {
    this.treeView = vscode.window.createTreeView(RUNS_VIEW, { treeDataProvider: this, canSelectMany: true, showCollapseAll: true });
    const workspaceWatcher = vscode.workspace.createFileSystemWatcher(`**/.masklab/runs/${RUN_FILES_GLOB}`);
    const onFile = (uri: vscode.Uri) => {
      const store = storeOf(uri.fsPath);
      if (store) this.addStore(store);
      this.scheduleRefresh();
    };
    this.disposables.push(
      this.changed,
      this.refreshed,
      this.treeView,
      workspaceWatcher,
      workspaceWatcher.onDidCreate(onFile),
      workspaceWatcher.onDidChange(onFile),
      workspaceWatcher.onDidDelete(() => this.scheduleRefresh()),
      hub.onRunEvent((event) => {
        this.addStore(path.dirname(path.dirname(event.runDir)));
        if (event.event.type === 'progress') {
          this.progress.set(event.runId, event.event);
          this.scheduleLiveUpdate();
        } else if (event.event.type === 'started' || event.event.type === 'ended') {
          if (event.event.type === 'ended') this.progress.delete(event.runId);
          this.scheduleRefresh();
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.addConfiguredStores()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.runs.directory`)) this.addConfiguredStores();
      }),
    );
    this.addConfiguredStores();
    void this.discoverStores();
  }

  /** Adds a run store to show and watch (idempotent). */
  addStore(dir: string): void {
    const store = path.resolve(dir);
    if (this.stores.has(store)) return;
    this.stores.add(store);
    if (!insideWorkspace(store)) {
      // The workspace watcher does not see outside the workspace folders: watch the store itself.
      const files = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(store), RUN_FILES_GLOB));
      const folders = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(store), '*/*'));
      const refresh = () => this.scheduleRefresh();
      this.storeWatchers.set(
        store,
        vscode.Disposable.from(files, folders, files.onDidCreate(refresh), files.onDidChange(refresh), files.onDidDelete(refresh), folders.onDidCreate(refresh), folders.onDidDelete(refresh)),
      );
    }
    this.scheduleRefresh();
  }

  get runStores(): string[] {
    return [...this.stores];
  }

  /** Rescans every store now. */
  refresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    for (const store of this.stores) this.entries.set(store, fs.existsSync(store) ? scanRunStore(store, { metrics: this.metricsCache }) : []);
    this.rebuild();
    clearTimeout(this.recheckTimer);
    if (this.allRuns().some((r) => r.state === 'running')) this.recheckTimer = setTimeout(() => this.scheduleRefresh(), RUNNING_RECHECK_MS);
    this.refreshed.fire();
  }

  scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
  }

  allRuns(): RunNode[] {
    return this.groups.flatMap((g) => g.runs);
  }

  findRun(runDir: string): RunNode | undefined {
    const wanted = path.resolve(runDir);
    return this.allRuns().find((r) => path.resolve(r.runDir) === wanted);
  }

  /** Shows the run in the view (scanning its store first if it is new), selected. */
  async reveal(runDir: string): Promise<void> {
    this.addStore(path.dirname(path.dirname(runDir)));
    if (!this.findRun(runDir)) this.refresh();
    const node = this.findRun(runDir);
    if (node) await this.treeView.reveal(node, { select: true, focus: false, expand: true });
  }

  getTreeItem(node: RunsTreeNode): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      item.description = node.description;
      item.tooltip = node.tooltip;
      item.iconPath = new vscode.ThemeIcon('beaker');
      item.contextValue = 'masklabExperiment';
      return item;
    }
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    item.contextValue = node.contextValue;
    item.resourceUri = vscode.Uri.file(node.runDir);
    item.command = { title: 'Open metrics', command: Commands.showRunMetrics, arguments: [node] };
    return item;
  }

  getChildren(node?: RunsTreeNode): RunsTreeNode[] {
    if (!node) return this.groups;
    return node.kind === 'group' ? node.runs : [];
  }

  getParent(node: RunsTreeNode): RunsTreeNode | undefined {
    return node.kind === 'run' ? this.groups.find((g) => g.id === node.parentId) : undefined;
  }

  private rebuild(): void {
    const stores = [...this.stores].map((runsDir) => ({ runsDir, runs: this.entries.get(runsDir) ?? [] }));
    this.groups = buildRunsTree(stores, (runId) => {
      const active = this.hub.isActive(runId);
      const progress = this.progress.get(runId);
      return active || progress ? { active, progress } : undefined;
    });
    const running = this.allRuns().filter((r) => r.state === 'running').length;
    this.treeView.description = running > 0 ? `${running} running` : undefined;
    this.changed.fire(undefined);
  }

  private scheduleLiveUpdate(): void {
    if (this.liveTimer) return;
    this.liveTimer = setTimeout(() => {
      this.liveTimer = undefined;
      this.rebuild();
    }, 1_000);
  }

  private addConfiguredStores(): void {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const configured = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder.uri).get<string>('runs.directory')?.trim();
      if (configured) {
        this.addStore(path.resolve(folder.uri.fsPath, configured));
      } else {
        this.addStore(path.join(folder.uri.fsPath, '.masklab', 'runs'));
        const root = projectRootAbove(folder.uri.fsPath);
        if (root) this.addStore(path.join(root, '.masklab', 'runs'));
      }
    }
  }

  private async discoverStores(): Promise<void> {
    try {
      const found = await vscode.workspace.findFiles(`**/.masklab/runs/*/*/config.json`, '**/node_modules/**', 500);
      for (const uri of found) {
        const store = storeOf(uri.fsPath);
        if (store) this.addStore(store);
      }
    } catch {
      // Discovery is a convenience; the configured stores and the watchers still work.
    }
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    clearTimeout(this.liveTimer);
    clearTimeout(this.recheckTimer);
    for (const watcher of this.storeWatchers.values()) watcher.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** `<store>/<group>/<run>/file` → `<store>`. */
function storeOf(file: string): string | undefined {
  const parts = file.split(path.sep);
  const at = parts.lastIndexOf('runs');
  return at > 0 && parts[at - 1] === '.masklab' ? parts.slice(0, at + 1).join(path.sep) : undefined;
}

function insideWorkspace(dir: string): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some((f) => f.uri.scheme === 'file' && !path.relative(f.uri.fsPath, dir).startsWith('..') && !path.isAbsolute(path.relative(f.uri.fsPath, dir)));
}

/** The project root (nearest ancestor with .git or package.json) when it is above `folder`. */
function projectRootAbove(folder: string): string | undefined {
  for (let dir = folder; ; ) {
    if (fs.existsSync(path.join(dir, '.git')) || fs.existsSync(path.join(dir, 'package.json'))) return dir === folder ? undefined : dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
