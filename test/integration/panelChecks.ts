// After the run trained (its panels were opened while it was live, panelSteps.ts): both panels
// show the whole finished run; a view choice made in each (log y on the loss chart, a matrix
// drilled into) survives the panel being hidden behind the other and shown again, and a window
// reload, after which both panels come back with their data. Writes panel-metrics.png and
// panel-masks.png.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  drillIntoFirstCell,
  masksComplete,
  metricsComplete,
  reloadWindow,
  runOnDisk,
  historyStripFilled,
  screenshotPanel,
  showPanelTab,
  tickLossLogY,
} from './panelSteps';
import { runCommand, type Page } from './workbench';

export async function checkPanelsAfterTraining(page: Page, runDir: string, artifacts: string, log: (line: string) => void): Promise<void> {
  const expected = runOnDisk(runDir);
  // The Evaluate step's notification would cover the panels.
  await runCommand(page, 'Notifications: Clear All Notifications');

  // Shown again after Evaluate opened the source over it: re-read whole from the run folder.
  await showPanelTab(page, 'metrics');
  await metricsComplete(page, runDir, expected, 'shown again after being hidden');
  await tickLossLogY(page);

  await showPanelTab(page, 'masks');
  await masksComplete(page, runDir, expected, 'shown again after being hidden');
  const selected = await drillIntoFirstCell(page);
  await masksComplete(page, runDir, expected, 'after a click on a cell', selected);
  // The strip samples at most 80 snapshot steps (masksApp.ts STRIP_STEPS).
  await historyStripFilled(page, expected.matrices * Math.min(expected.snapshots.length, 80));
  await screenshotPanel(page, path.join(artifacts, 'panel-masks.png'));

  await showPanelTab(page, 'metrics');
  const shown = await metricsComplete(page, runDir, expected, 'shown again after the masks panel hid it');
  assert.equal(shown.logY.loss, true, 'the loss chart lost its "log y" choice when hidden and shown again');
  await screenshotPanel(page, path.join(artifacts, 'panel-metrics.png'));
  log(`panels show ${expected.records} records to step ${expected.lastStep} and ${expected.matrices} matrices at step ${expected.snapshots.at(-1)}`);

  const started = Date.now();
  await reloadWindow(page);
  // The metrics panel was in front: it is restored at once; the masks panel when its tab is shown.
  const restored = await metricsComplete(page, runDir, expected, 'after a window reload');
  assert.equal(restored.logY.loss, true, 'the metrics panel lost its "log y" choice in the reload');
  await showPanelTab(page, 'masks');
  await masksComplete(page, runDir, expected, 'after a window reload', selected);
  log(`both panels restored ${Date.now() - started} ms after "Reload Window"`);
}
