// The masks panel of one run or several (for a diff between runs): the list of snapshot steps of
// each run up front, snapshots themselves when the page asks for them (they are large), and new
// ones as the run takes them — from the window's run events or, for a run trained elsewhere, from
// its masks/ folder.

import * as vscode from 'vscode';
import type { RunEvent } from '../../../schemas/src/runNotifications';
import type { MasksRunIndex, RequestResult } from '../../../schemas/src/webviewMessages';
import { listMaskSteps, maskThreshold, readMaskSnapshot, readPanelRun } from './runFolderReader';
import { RunPanel, type PanelServices } from './runPanel';

export const MASKS_VIEW_TYPE = 'masklab.masks';

export class MasksPanel extends RunPanel {
  /** Steps the page knows of, per run. */
  private known = new Map<string, Set<number>>();

  constructor(panel: vscode.WebviewPanel, runDirs: readonly string[], services: PanelServices) {
    super(panel, runDirs, services, 'masks');
  }

  protected sendInit(): void {
    this.known.clear();
    const runs: MasksRunIndex[] = this.runDirs.map((runDir) => {
      const steps = listMaskSteps(runDir);
      this.known.set(runDir, new Set(steps));
      return { ...readPanelRun(runDir), steps, threshold: maskThreshold(runDir) };
    });
    this.post({ type: 'masks/init', protocol: 1, runs });
  }

  protected relayData(event: RunEvent): void {
    const e = event.event;
    if (e.type !== 'mask-snapshot') return;
    const known = this.known.get(event.runDir);
    if (!known || known.has(e.step)) return;
    known.add(e.step);
    this.post({ type: 'masks/snapshot', runDir: event.runDir, snapshot: { step: e.step, matrices: e.matrices } });
  }

  protected pollData(): void {
    for (const [runDir, known] of this.known) {
      const fresh = listMaskSteps(runDir).filter((s) => !known.has(s));
      // Oldest first: the page follows the newest, so it ends on the last one sent.
      for (const step of fresh) {
        known.add(step);
        const read = readMaskSnapshot(runDir, step);
        if ('problem' in read) this.services.log.warn(`masks panel: ${read.problem}`);
        else this.post({ type: 'masks/snapshot', runDir, snapshot: read.snapshot });
      }
    }
  }

  protected answerSnapshot(runDir: string, step: number): RequestResult | string {
    if (!this.runDirs.includes(runDir)) return `${runDir} is not one of this panel's runs`;
    const read = readMaskSnapshot(runDir, step);
    return 'problem' in read ? read.problem : { kind: 'snapshot', snapshot: read.snapshot };
  }
}
