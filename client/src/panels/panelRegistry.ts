// The open run panels: one per kind and set of runs (opening the same runs again reveals the
// panel), created by the open commands or restored after a window reload by a serializer that
// reads the run folders back from the page's saved state.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PanelKind } from '../../../schemas/src/webviewMessages';
import { runDirsOfState } from '../../../schemas/src/webviewMessageSchema';
import { MasksPanel, MASKS_VIEW_TYPE } from './masksPanel';
import { MetricsPanel, METRICS_VIEW_TYPE } from './metricsPanel';
import { readPanelRun } from './runFolderReader';
import { webviewOptions, type PanelServices, type RunPanel } from './runPanel';

export const VIEW_TYPES: Record<PanelKind, string> = { metrics: METRICS_VIEW_TYPE, masks: MASKS_VIEW_TYPE };

/** What an open command returns (tests check it): the panel's view type and runs. */
export interface OpenedPanel {
  viewType: string;
  runDirs: string[];
}

export class PanelRegistry implements vscode.Disposable {
  private readonly panels = new Map<string, RunPanel>();

  constructor(private readonly services: PanelServices) {}

  open(kind: PanelKind, runDirs: readonly string[]): OpenedPanel {
    const dirs = runDirs.map((d) => path.resolve(d));
    const key = keyOf(kind, dirs);
    const existing = this.panels.get(key);
    if (existing) {
      existing.reveal();
    } else {
      const panel = vscode.window.createWebviewPanel(VIEW_TYPES[kind], panelTitle(kind, dirs), vscode.ViewColumn.Active, {
        ...webviewOptions(this.services.extensionUri),
        // No retainContextWhenHidden: the page restores itself from disk and its saved state.
      });
      this.adopt(kind, panel, dirs);
    }
    return { viewType: VIEW_TYPES[kind], runDirs: dirs };
  }

  /** Takes over a webview panel: a new one, or one VS Code restores after a reload. */
  adopt(kind: PanelKind, panel: vscode.WebviewPanel, runDirs: readonly string[]): RunPanel {
    const key = keyOf(kind, runDirs);
    this.panels.get(key)?.dispose();
    panel.title = panelTitle(kind, runDirs);
    const created = kind === 'metrics' ? new MetricsPanel(panel, runDirs, this.services) : new MasksPanel(panel, runDirs, this.services);
    this.panels.set(key, created);
    created.onDidDispose(() => {
      if (this.panels.get(key) === created) this.panels.delete(key);
    });
    return created;
  }

  serializer(kind: PanelKind): vscode.WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const runDirs = runDirsOfState(state);
        this.services.log.info(`restoring the ${kind} panel of ${runDirs.length} run(s) after a reload`);
        this.adopt(kind, panel, runDirs);
      },
    };
  }

  /** The open panels (tests and the run commands look at them). */
  list(): OpenedPanel[] {
    return [...this.panels.values()].map((p) => ({ viewType: VIEW_TYPES[p.kind], runDirs: [...p.runDirs] }));
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }
}

function keyOf(kind: PanelKind, runDirs: readonly string[]): string {
  return `${kind}\n${[...runDirs].sort().join('\n')}`;
}

/** `Metrics · quickstart 2n22`, `Masks · 3 runs`. */
export function panelTitle(kind: PanelKind, runDirs: readonly string[]): string {
  const what = kind === 'metrics' ? 'Metrics' : 'Masks';
  if (runDirs.length !== 1) return `${what} · ${runDirs.length} runs`;
  const run = readPanelRun(runDirs[0]);
  const suffix = /-([a-z0-9]{4})(-cell\d+)?$/.exec(run.runId)?.[1] ?? run.runId;
  return `${what} · ${run.name} ${suffix}`;
}
