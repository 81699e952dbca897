// The metrics panel of one run or several (compared, sweep cells grouped): history from each run's
// metrics.jsonl, live records from the window's run events and from the files themselves (a run
// trained by the CLI), each record sent once. One panel per set of runs.

import * as vscode from 'vscode';
import type { RunEvent } from '../../../schemas/src/runNotifications';
import type { MetricsRecord } from '../../../schemas/src/runRecord';
import { RUN_FILES } from '../../../schemas/src/runRecord';
import type { ChartDefaults, MetricsRunHistory, RequestResult } from '../../../schemas/src/webviewMessages';
import { SETTINGS_SECTION } from '../contributions';
import { readChartDefaults } from './chartSettings';
import { MetricsTail, readMetricsHistory, readPanelRun } from './runFolderReader';
import { RunPanel, type PanelServices } from './runPanel';
import * as path from 'node:path';

export const METRICS_VIEW_TYPE = 'masklab.metrics';

interface Followed {
  tail: MetricsTail;
  /** Last step sent per split: a record reaches the page once, from whichever source is first. */
  last: { train: number; dev: number };
}

export class MetricsPanel extends RunPanel {
  private followed = new Map<string, Followed>();

  constructor(panel: vscode.WebviewPanel, runDirs: readonly string[], services: PanelServices) {
    super(panel, runDirs, services, 'metrics');
  }

  protected sendInit(): void {
    this.followed.clear();
    const runs: MetricsRunHistory[] = this.runDirs.map((runDir) => {
      const history = readMetricsHistory(runDir);
      for (const problem of history.problems.slice(0, 5)) this.services.log.warn(`metrics panel: skipped ${problem}`);
      const lastOf = (steps: number[]) => (steps.length > 0 ? steps[steps.length - 1] : -1);
      this.followed.set(runDir, {
        tail: new MetricsTail(path.join(runDir, RUN_FILES.metrics), history.offset),
        last: { train: lastOf(history.train.step), dev: lastOf(history.dev.step) },
      });
      return { ...readPanelRun(runDir), train: history.train, dev: history.dev };
    });
    this.post({ type: 'metrics/init', protocol: 1, runs, defaults: chartDefaults() });
  }

  protected relayData(event: RunEvent): void {
    const e = event.event;
    const followed = this.followed.get(event.runDir);
    if (!followed) return;
    if (e.type === 'started' && e.resumedFromStep !== undefined) {
      // Steps after the checkpoint are trained (and logged) again: let them through.
      followed.last.train = Math.min(followed.last.train, e.resumedFromStep);
      followed.last.dev = Math.min(followed.last.dev, e.resumedFromStep);
    }
    if (e.type !== 'metrics') return;
    this.forward(event.runDir, followed, [{ step: e.step, epoch: e.epoch, time: e.time, split: e.split, values: e.values }]);
  }

  protected pollData(): void {
    for (const [runDir, followed] of this.followed) {
      const read = followed.tail.read();
      if (read.truncated) {
        // A resumed run cut its metrics back: start over from the file.
        this.sendInit();
        return;
      }
      for (const problem of read.problems.slice(0, 5)) this.services.log.warn(`metrics panel: skipped ${problem}`);
      if (read.records.length > 0) this.forward(runDir, followed, read.records);
    }
  }

  protected answerSnapshot(): RequestResult | string {
    return 'the metrics panel has no mask snapshots';
  }

  private forward(runDir: string, followed: Followed, records: readonly MetricsRecord[]): void {
    const fresh = records.filter((r) => r.step > followed.last[r.split]);
    if (fresh.length === 0) return;
    for (const r of fresh) followed.last[r.split] = Math.max(followed.last[r.split], r.step);
    this.post({ type: 'metrics/append', runDir, records: fresh });
  }
}

function chartDefaults(): ChartDefaults {
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return readChartDefaults((key) => configuration.get(key));
}
