// What a person does and sees when training from the editor, driven in Chromium: click the Train
// code lens above the quickstart experiment, watch the status bar count the run's progress and the
// Runs view list it, and wait for its folder to record completion. A screenshot shows the editor,
// the Runs view and the status bar while the run trains.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { openFile, runCommand, type Page } from './workbench';

export interface TrainInEditorOptions {
  /** The workspace folder the editor has open (the run store is its `.masklab/runs`). */
  folder: string;
  sourceFile: string;
  experiment: string;
  /** Where the screenshot goes. */
  screenshot: string;
  timeoutMs?: number;
  /**
   * Called once the run trains (after the screenshot), before waiting for it to complete: what
   * else to look at while it is live (the panels' checks, panelSteps.ts). Should not throw.
   */
  whileTraining?: (run: { runDir: string; runId: string }) => Promise<void>;
}

export interface TrainedInEditor {
  runDir: string;
  runId: string;
  /** What the status bar said while the run trained. */
  statusText: string;
}

function runIds(groupDir: string): Set<string> {
  return new Set(existsSync(groupDir) ? readdirSync(groupDir) : []);
}

export function stateOf(runDir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(runDir, 'status.json'), 'utf8')) as { state?: string }).state;
  } catch {
    return undefined;
  }
}

async function until<T>(read: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Clicks Train on `experiment`, checks status bar and Runs view while it trains, and waits for it to complete. */
export async function trainFromCodeLens(page: Page, options: TrainInEditorOptions): Promise<TrainedInEditor> {
  const timeout = options.timeoutMs ?? 240_000;
  const groupDir = path.join(options.folder, '.masklab', 'runs', options.experiment);
  const before = runIds(groupDir);

  // A tidy window: the experiment alone in the editor, the Runs view in the side bar.
  await runCommand(page, 'View: Close All Editors');
  if ((await page.locator('.part.panel:visible').count()) > 0) await page.keyboard.press('Control+J');
  await runCommand(page, 'Masklab: Focus on Runs View');
  // The only view of its container: the side bar's title names it (no section header).
  await page.locator('.part.sidebar .composite.title').filter({ hasText: /masklab/i }).first().waitFor({ state: 'visible', timeout: 30_000 });
  await openFile(page, options.sourceFile);

  const train = page.locator('.codelens-decoration a').filter({ hasText: /(^|\s)Train$/ }).first();
  await train.waitFor({ state: 'visible', timeout: 30_000 });
  await train.click();

  const status = page.locator('.statusbar-item').filter({ hasText: new RegExp(`${options.experiment} \\d+% · `) }).first();
  await status.waitFor({ state: 'visible', timeout });
  const statusText = (await status.innerText()).trim();

  const runId = await until(() => [...runIds(groupDir)].find((id) => !before.has(id)), 30_000, `a new run folder in ${groupDir}`);
  const runDir = path.join(groupDir, runId);
  const row = page.locator('.part.sidebar .monaco-list-row').filter({ hasText: runId }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  // While it trains: the editor with its lenses, the Runs view row and the status bar's progress,
  // a little way in (not its very first step).
  await page.locator('.statusbar-item').filter({ hasText: new RegExp(`${options.experiment} ([1-9]\\d|100)% · `) }).first().waitFor({ state: 'visible', timeout: 20_000 }).catch(() => undefined);
  await page.screenshot({ path: options.screenshot });
  await options.whileTraining?.({ runDir, runId });

  await until(() => (stateOf(runDir) === 'completed' ? true : stateOf(runDir) === 'failed' ? failed(runDir) : undefined), timeout, `${runDir}/status.json to say completed`);
  await page.locator('.part.sidebar .monaco-list-row').filter({ hasText: runId }).filter({ hasText: /accuracy \d\.\d{4}/ }).first().waitFor({ state: 'visible', timeout: 30_000 });
  return { runDir, runId, statusText };
}

/**
 * "Masklab: Evaluate Latest Run" from the palette on the open experiment file; resolves with the
 * notification's text (`… on its dev set: accuracy 0.5033 · f1 0.0261 · loss 0.6931`).
 */
export async function evaluateFromPalette(page: Page, sourceFile: string, timeoutMs = 60_000): Promise<string> {
  await openFile(page, sourceFile);
  await runCommand(page, 'Masklab: Evaluate Latest Run');
  const toast = page.locator('.notification-toast').filter({ hasText: /on its dev set: / }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return (await toast.innerText()).replace(/\s+/g, ' ');
}

function failed(runDir: string): never {
  const log = existsSync(path.join(runDir, 'trainer.log')) ? readFileSync(path.join(runDir, 'trainer.log'), 'utf8').slice(-2000) : '(no trainer.log)';
  throw new Error(`the run in ${runDir} failed:\n${log}`);
}
