// The metrics and masks panels in the real workbench, driven like a person would: open them while
// a run trains (the Runs view row's inline "Open Metrics" action; "Masklab: Open Masks Panel" from
// the palette, picking the run), watch the chart grow and the heatmap paint, switch between them (a hidden
// webview is discarded and must come back whole), take screenshots, reload the window and find
// both panels restored with their data and view choices.
//
// What a panel shows is read through its webview frame: the pages mark their root
// (`data-panel`), each chart card says how many curves and points it draws and how far along x
// (`data-lines`, `data-points`, `data-max-x`), the status line counts records and painted cells,
// and canvases are read back pixel by pixel (ink = pixels far from the editor background).

import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCommand, waitForWorkbench, type Locator, type Page } from './workbench';

/** The parts of playwright's Page and Frame these steps use beyond workbench.ts. */
type FullLocator = Omit<Locator, 'click' | 'first'> & {
  first(): FullLocator;
  hover(options?: { timeout?: number }): Promise<void>;
  click(options?: { button?: 'right'; timeout?: number; position?: { x: number; y: number } }): Promise<void>;
  check(options?: { timeout?: number }): Promise<void>;
};
interface Frame {
  /** Evaluates JavaScript source (an expression) in the frame. */
  evaluate<R>(expression: string): Promise<R>;
  locator(selector: string): FullLocator;
  isDetached(): boolean;
}
interface PanelPage extends Omit<Page, 'locator'> {
  frames(): Frame[];
  locator(selector: string): FullLocator;
  mouse: { move(x: number, y: number): Promise<void> };
}

export type PanelKind = 'metrics' | 'masks';

export interface ChartReading {
  group: string;
  lines: number;
  points: number;
  maxX: number;
  /** Canvas pixels far from the background: axes, labels and curves. */
  ink: number;
}

export interface MetricsReading {
  runDirs: string[];
  states: string[];
  records: number;
  step: number;
  charts: ChartReading[];
  logY: Record<string, boolean>;
  notices: string[];
}

export interface MasksReading {
  runDir: string;
  step: number | null;
  cells: number;
  /** Cells painted in the history strip (matrices × sampled snapshot steps once it is filled). */
  history: number;
  mode: string;
  selected: string;
  /** Heatmap canvas pixels far from the background (cells, headings). */
  ink: number;
  /** Pixels of the drill-down's block-pooled image (0 when nothing is drilled into). */
  imageInk: number;
  notices: string[];
}

// Page-side code is plain JavaScript source (the test project has no DOM types, and source text
// reaches the page exactly as written).

/** In the page: `ink(canvas)` counts pixels more than 48 (summed channels) away from the background. */
const INK = `const ink = (canvas) => {
  if (!canvas || canvas.width === 0 || canvas.height === 0) return 0;
  const ctx = canvas.getContext('2d');
  const bg = (/rgba?\\((\\d+),\\s*(\\d+),\\s*(\\d+)/.exec(getComputedStyle(document.body).backgroundColor) || [0, 0, 0, 0]).slice(1).map(Number);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let count = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] < 128) continue;
    if (Math.abs(data[i] - bg[0]) + Math.abs(data[i + 1] - bg[1]) + Math.abs(data[i + 2] - bg[2]) > 48) count++;
  }
  return count;
};`;

const READ_METRICS = `(() => {
  ${INK}
  const status = document.getElementById('status')?.dataset ?? {};
  const cards = [...document.querySelectorAll('.chart-card')];
  const rows = [...document.querySelectorAll('.run-list li')];
  return {
    runDirs: rows.map((li) => li.title),
    states: rows.map((li) => li.dataset.state ?? ''),
    records: Number(status.records ?? 0),
    step: Number(status.step ?? 0),
    charts: cards.map((card) => ({
      group: card.dataset.group ?? '',
      lines: Number(card.dataset.lines ?? 0),
      points: Number(card.dataset.points ?? 0),
      maxX: card.dataset.maxX ? Number(card.dataset.maxX) : NaN,
      ink: ink(card.querySelector('canvas')),
    })),
    logY: Object.fromEntries(cards.map((card) => [card.dataset.group ?? '', card.querySelectorAll('header input[type=checkbox]')[1]?.checked ?? false])),
    notices: [...document.querySelectorAll('.notices .notice')].map((n) => n.textContent ?? ''),
  };
})()`;

const READ_MASKS = `(() => {
  ${INK}
  const status = document.getElementById('status')?.dataset ?? {};
  return {
    runDir: status.run ?? '',
    step: status.step ? Number(status.step) : null,
    cells: Number(status.cells ?? 0),
    history: Number(status.history ?? 0),
    mode: status.mode ?? '',
    selected: status.selected ?? '',
    ink: ink(document.querySelector('.heatmap canvas')),
    imageInk: ink(document.querySelector('.drill-down canvas')),
    notices: [...document.querySelectorAll('.notices .notice')].map((n) => n.textContent ?? ''),
  };
})()`;

/** The visible webview frame of a panel kind, or undefined (its tab is hidden, or it has not loaded). */
async function panelFrame(page: Page, kind: PanelKind): Promise<Frame | undefined> {
  for (const frame of (page as unknown as PanelPage).frames()) {
    if (frame.isDetached()) continue;
    const marked = await frame.evaluate<boolean>(`document.querySelector('main#root[data-panel="${kind}"]') !== null`).catch(() => false);
    if (marked) return frame;
  }
  return undefined;
}

async function until<T>(read: () => Promise<T | undefined>, timeoutMs: number, what: string, last?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `; last seen: ${last()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function readMetrics(page: Page): Promise<MetricsReading | undefined> {
  return (await panelFrame(page, 'metrics'))?.evaluate<MetricsReading>(READ_METRICS);
}

export async function readMasks(page: Page): Promise<MasksReading | undefined> {
  return (await panelFrame(page, 'masks'))?.evaluate<MasksReading>(READ_MASKS);
}

function chart(reading: MetricsReading, group: string): ChartReading | undefined {
  return reading.charts.find((c) => c.group === group);
}

const describe = (value: unknown) => JSON.stringify(value)?.slice(0, 400) ?? String(value);

/** The run's row in the Runs view (the side bar shows it while the run trains). */
function runRow(page: Page, runId: string) {
  return (page as unknown as PanelPage).locator(`.part.sidebar .monaco-list-row[aria-label*="${runId}"], .part.sidebar .monaco-list-row:has-text("${runId}")`).first();
}

/** The row's inline "Open Metrics" action (shown on hover), as a person clicks it. */
export async function openMetricsFromRunsView(page: Page, runId: string): Promise<void> {
  const row = runRow(page, runId);
  await row.hover({ timeout: 10_000 });
  await (page as unknown as PanelPage).locator(`.part.sidebar .monaco-list-row:has-text("${runId}") .action-label[aria-label^="Open Metrics"]`).first().click({ timeout: 10_000 });
}

/** "Masklab: Open Masks Panel" from the palette, the run picked by typing its id. */
export async function openMasksFromPalette(page: Page, runId: string): Promise<void> {
  await runCommand(page, 'Masklab: Open Masks Panel');
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: runId }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(runId.slice(-4), { delay: 10 });
  await page.keyboard.press('Enter');
}

/**
 * Does `open` until the panel's frame shows up (a Runs view refreshing under the pointer can
 * swallow a click): up to three tries, each given `perTryMs`.
 */
async function openUntilShown(page: Page, kind: PanelKind, open: () => Promise<void>, perTryMs = 8_000): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await open();
      await until(async () => ((await panelFrame(page, kind)) ? true : undefined), perTryMs, `the ${kind} panel to open`);
      return;
    } catch (error) {
      lastError = error;
      await page.keyboard.press('Escape').catch(() => undefined);
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/** Brings a panel's editor tab to the front (the tab title starts with `Metrics ·` / `Masks ·`). */
export async function showPanelTab(page: Page, kind: PanelKind): Promise<void> {
  await showEditorTab(page, kind === 'metrics' ? /^\s*Metrics · / : /^\s*Masks · /);
}

/** Clicks an editor tab by its label. */
export async function showEditorTab(page: Page, label: string | RegExp): Promise<void> {
  const tab = page.locator('.tabs-container .tab').filter({ hasText: label }).first();
  await tab.click();
  await page.locator('.tabs-container .tab.active').filter({ hasText: label }).first().waitFor({ state: 'visible', timeout: 10_000 });
}

/** Moves the mouse off the panels, so no tooltip or hover state shows in a screenshot. */
async function parkMouse(page: Page): Promise<void> {
  await (page as unknown as PanelPage).mouse.move(2, 450);
}

export interface LivePanels {
  /** Loss chart readings while the run trained: x reached, then further. */
  metricsLive?: { first: MetricsReading; later: MetricsReading };
  masksLive?: MasksReading;
  /** Why the live checks failed, if they did (reported by the test's own step). */
  error?: string;
}

/**
 * While `runId` trains: opens its metrics panel from the Runs view and waits for the loss curve to
 * reach further along x than when first drawn, with the run shown as running; then opens its
 * masks panel and waits for the heatmap to paint a snapshot. Never throws: failures are recorded.
 */
export async function watchPanelsWhileTraining(page: Page, run: { runId: string; runDir: string }, isRunning: () => boolean): Promise<LivePanels> {
  const live: LivePanels = {};
  let last: unknown;
  try {
    await openUntilShown(page, 'metrics', () => openMetricsFromRunsView(page, run.runId));
    const first = await until(
      async () => {
        const r = (last = await readMetrics(page));
        const loss = r && chart(r, 'loss');
        return r && r.runDirs.includes(run.runDir) && loss && loss.lines > 0 && loss.points > 0 ? r : undefined;
      },
      20_000,
      'the metrics panel to draw a loss curve',
      () => describe(last),
    );
    if (!isRunning()) throw new Error('the run completed before its metrics panel drew; nothing streamed live');
    const later = await until(
      async () => {
        const r = (last = await readMetrics(page));
        return r && chart(r, 'loss')!.maxX > chart(first, 'loss')!.maxX && r.records > first.records ? r : undefined;
      },
      20_000,
      'the loss curve to grow while the run trains',
      () => describe(last),
    );
    live.metricsLive = { first, later };

    await openUntilShown(page, 'masks', () => openMasksFromPalette(page, run.runId));
    live.masksLive = await until(
      async () => {
        const r = (last = await readMasks(page));
        return r && r.runDir === run.runDir && r.cells > 0 && r.ink > 0 ? r : undefined;
      },
      30_000,
      'the masks panel to paint a snapshot',
      () => describe(last),
    );
  } catch (error) {
    live.error = error instanceof Error ? error.message : String(error);
  }
  return live;
}

/** What a completed run folder holds, to compare the panels with. */
export function runOnDisk(runDir: string): { records: number; lastStep: number; snapshots: number[]; matrices: number } {
  const lines = readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const lastStep = Math.max(...lines.map((l) => (JSON.parse(l) as { step: number }).step));
  const snapshots = readdirSync(path.join(runDir, 'masks'))
    .map((f) => /^step-(\d+)\.json$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const newest = JSON.parse(readFileSync(path.join(runDir, 'masks', `step-${snapshots.at(-1)}.json`), 'utf8')) as { matrices: unknown[] };
  return { records: lines.length, lastStep, snapshots, matrices: newest.matrices.length };
}

/** The metrics panel shows all of a finished run: every record, the loss curve to its last step. */
export async function metricsComplete(page: Page, runDir: string, expected: ReturnType<typeof runOnDisk>, what: string): Promise<MetricsReading> {
  let last: MetricsReading | undefined;
  return until(
    async () => {
      last = await readMetrics(page);
      const loss = last && chart(last, 'loss');
      return last && last.runDirs.includes(runDir) && last.records === expected.records && loss && loss.maxX === expected.lastStep && loss.ink > 500 ? last : undefined;
    },
    30_000,
    `${what}: the metrics panel to show all ${expected.records} records, the loss curve to step ${expected.lastStep}`,
    () => describe(last),
  );
}

/** The masks panel shows the newest snapshot, every matrix painted. */
export async function masksComplete(page: Page, runDir: string, expected: ReturnType<typeof runOnDisk>, what: string, selected?: string): Promise<MasksReading> {
  let last: MasksReading | undefined;
  return until(
    async () => {
      last = await readMasks(page);
      return last &&
        last.runDir === runDir &&
        last.step === expected.snapshots.at(-1) &&
        last.cells === expected.matrices &&
        last.ink > 1000 &&
        (selected === undefined || (last.selected === selected && last.imageInk > 100))
        ? last
        : undefined;
    },
    30_000,
    `${what}: the masks panel to paint step ${expected.snapshots.at(-1)} (${expected.matrices} matrices)${selected ? ` and drill into ${selected}` : ''}`,
    () => describe(last),
  );
}

/** Ticks "log y" on the loss chart (a view choice the panel must keep through hide/show and reload). */
export async function tickLossLogY(page: Page): Promise<void> {
  const frame = await panelFrame(page, 'metrics');
  if (!frame) throw new Error('the metrics panel is not visible');
  await frame.locator('.chart-card[data-group="loss"] header label:has-text("log y") input').check();
}

/** Clicks the heatmap's first cell (the drill-down opens); resolves with the matrix chosen. */
export async function drillIntoFirstCell(page: Page): Promise<string> {
  const frame = await panelFrame(page, 'masks');
  if (!frame) throw new Error('the masks panel is not visible');
  // The first cell sits right of the row labels and below the column headings (heatmapView.ts).
  await frame.locator('.heatmap canvas').first().click({ position: { x: 100, y: 36 } });
  const reading = await until(async () => {
    const r = await readMasks(page);
    return r?.selected ? r : undefined;
  }, 10_000, 'a heatmap cell to be selected');
  await parkMouse(page);
  return reading.selected;
}

/** Waits until the masks panel's history strip has painted `cells` cells (it fills one snapshot at a time). */
export async function historyStripFilled(page: Page, cells: number): Promise<void> {
  await until(async () => {
    const r = await readMasks(page);
    return r && r.history >= cells ? true : undefined;
  }, 30_000, `the history strip to paint ${cells} cells`);
}

export async function screenshotPanel(page: Page, file: string): Promise<void> {
  await parkMouse(page);
  await page.screenshot({ path: file });
}

/** "Developer: Reload Window", then the workbench again. */
export async function reloadWindow(page: Page): Promise<void> {
  await runCommand(page, 'Developer: Reload Window');
  // The old workbench goes away first; then the new one renders.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await waitForWorkbench(page);
}
