// The two panel pages in Chromium, outside VS Code: the real bundles under the extension's CSP,
// fed messages the way the extension host sends them (panelPage.ts stands in for VS Code's
// webview API and theme). What the real-editor test cannot provoke cheaply: malformed messages,
// a run deleted under an open panel, a snapshot that fails to load, a page discarded and restored
// from its saved state, and the three kinds of theme. Screenshots of the masks page in each theme
// go to test-artifacts/panel-masks-<theme>.png.
// Skips with one line when Chromium or playwright-core is missing (bash .ci/setup-editor.sh).

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { MaskSnapshotFile } from '../../schemas/src/runRecord';
import type { HostMessage, MasksRunIndex, MetricsRunHistory } from '../../schemas/src/webviewMessages';
import { editorCacheDir, repositoryRoot, SETUP_HINT } from './editorTools';
import { bundleExtension } from './extensionPackage';
import { servePanelPages, type PanelPageServer, type ThemeName } from './panelPage';

const root = repositoryRoot(__dirname);
const artifacts = path.join(root, 'test-artifacts');
const playwrightCore = path.join(editorCacheDir(), 'node_modules/playwright-core');
const chromium = process.env.MASKLAB_CHROMIUM ?? '/usr/bin/chromium';
const absent = [playwrightCore, chromium].filter((p) => !existsSync(p));
const skip = process.env.MASKLAB_SKIP_EDITOR_TEST === '1' ? 'panel page tests skipped: MASKLAB_SKIP_EDITOR_TEST=1' : absent.length > 0 ? `panel page tests need ${absent.join(' and ')}: ${SETUP_HINT}` : false;

interface Page {
  goto(url: string): Promise<unknown>;
  evaluate<R>(expression: string): Promise<R>;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  on(event: 'pageerror', listener: (error: Error) => void): void;
  close(): Promise<void>;
}
interface Browser {
  newPage(options: { viewport: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}

let browser: Browser | undefined;
let server: PanelPageServer | undefined;
const pageErrors: string[] = [];

before(async () => {
  if (skip) return;
  if (!existsSync(path.join(root, 'dist/webviews/masks.js'))) bundleExtension(root);
  const { chromium: launcher } = require(playwrightCore) as { chromium: { launch(o: object): Promise<Browser> } };
  browser = await launcher.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  server = await servePanelPages(root);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(panel: 'metrics' | 'masks', options: { theme?: ThemeName; state?: unknown } = {}): Promise<Page> {
  const page = await browser!.newPage({ viewport: { width: 1100, height: 860 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server!.url(panel, options));
  return page;
}

const post = (page: Page, message: unknown) => page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
const posted = (page: Page) => page.evaluate<{ type: string; level?: string; message?: string; requestId?: number; request?: { kind: string; step: number; runDir: string } }[]>('window.__posted');
const status = (page: Page) => page.evaluate<Record<string, string>>("({ ...document.getElementById('status').dataset })");
const text = (page: Page, selector: string) => page.evaluate<string[]>(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => e.textContent)`);

async function until<T>(read: () => Promise<T | undefined | false>, what: string, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// ─── fixtures ────────────────────────────────────────────────────────────────────────────────

const RUN_DIR = '/runs/quickstart/20261123-130222-h4t9';

function metricsRun(steps: number, name = 'quickstart'): MetricsRunHistory {
  const step = Array.from({ length: steps }, (_, i) => i + 1);
  return {
    runDir: RUN_DIR,
    runId: '20261123-130222-h4t9',
    name,
    experiment: 'quickstart',
    state: 'running',
    message: null,
    sweep: null,
    primaryMetric: 'accuracy',
    train: { step, epoch: step.map((s) => s / 63), time: step.map((s) => s * 0.1), values: { loss: step.map((s) => 0.7 - s / 1000 + ((s * 37) % 11) / 500), lr: step.map(() => 1e-3) } },
    dev: { step: [20, 40], epoch: [20 / 63, 40 / 63], time: [2, 4], values: { accuracy: [0.6, 0.7], loss: [0.66, 0.64] } },
  };
}

const metricsInit = (runs: MetricsRunHistory[]): HostMessage => ({ type: 'metrics/init', protocol: 1, runs, defaults: { smoothing: 0.6, xAxis: 'step', logScaleY: false } });
const append = (step: number, loss: number | string) => ({ type: 'metrics/append', runDir: RUN_DIR, records: [{ step, epoch: step / 63, time: step * 0.1, split: 'train', values: { loss, lr: 1e-3 } }] });

const KINDS = ['query', 'key', 'value', 'attention_output', 'intermediate', 'output'];

/** A snapshot of 2 blocks × 6 matrices + pooler + head whose kept fractions fall with the step. */
function snapshot(step: number): MaskSnapshotFile {
  const matrices = [...[0, 1].flatMap((block) => KINDS.map((kind) => ({ block, kind }))), { block: null, kind: 'pooler' }, { block: null, kind: 'head' }].map(({ block, kind }, m) => {
    const kept = 0.97 - (step / 60) * (0.02 + (m % 5) * 0.01);
    const pixels = Buffer.from(Array.from({ length: 16 * 16 }, (_, i) => (((i * 7919 + m * 104729 + step) % 1000) / 1000 < kept ? 255 : 0)));
    return {
      name: block === null ? `${kind}.weight` : `encoder.layer.${block}.${kind}.weight`,
      block,
      matrix: kind,
      shape: [64, 64] as [number, number],
      kept,
      image: { width: 16, height: 16, data: pixels.toString('base64') },
      scores: { min: -0.05, max: 0.6, counts: Array.from({ length: 30 }, (_, i) => 20 + ((i * 13 + m) % 17)) },
    };
  });
  return { step, matrices };
}

const masksRun = (state: MasksRunIndex['state'] = 'completed'): MasksRunIndex => ({
  runDir: RUN_DIR,
  runId: '20261123-130222-h4t9',
  name: 'quickstart',
  experiment: 'quickstart',
  state,
  message: null,
  sweep: null,
  primaryMetric: 'accuracy',
  steps: [20, 40, 60],
  threshold: 0.01,
});

/** Answers the page's snapshot requests from `snapshots` (or with `error`) until `done` says stop. */
async function answerSnapshots(page: Page, done: () => Promise<boolean>, error?: string): Promise<void> {
  const answered = new Set<number>();
  const deadline = Date.now() + 5_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('the masks page did not settle');
    for (const m of await posted(page)) {
      if (m.type !== 'request' || m.request?.kind !== 'snapshot' || answered.has(m.requestId!)) continue;
      answered.add(m.requestId!);
      await post(page, error ? { type: 'response', requestId: m.requestId, ok: false, error } : { type: 'response', requestId: m.requestId, ok: true, result: { kind: 'snapshot', snapshot: snapshot(m.request.step) } });
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

// ─── the tests ───────────────────────────────────────────────────────────────────────────────

test('metrics page: says ready, draws live appends, logs and drops malformed messages, shows names as text', { skip }, async () => {
  const page = await open('metrics');
  assert.deepEqual((await posted(page))[0], { type: 'ready', panel: 'metrics', protocol: 1 });
  await post(page, metricsInit([metricsRun(50, '<img src=x onerror="window.__owned=1">quickstart')]));
  const drawn = await until(async () => {
    const s = await status(page);
    return Number(s.renders) > 0 && s;
  }, 'the first draw');
  assert.equal(drawn.records, '52');

  await post(page, append(51, 0.5));
  await until(async () => (await status(page)).step === '51' && (await status(page)).records === '53', 'the appended record to be drawn');

  // Malformed: a string loss, an unknown type, a run state no one knows. Logged back, never drawn.
  await post(page, append(52, 'NaN'));
  await post(page, { type: 'metrics/explode' });
  await post(page, { type: 'run/state', runDir: RUN_DIR, state: 'exploded', message: null });
  const logs = await until(async () => {
    const l = (await posted(page)).filter((m) => m.type === 'log');
    return l.length >= 3 && l;
  }, 'three log messages');
  for (const log of logs) assert.match(log.message ?? '', /metrics panel rejected a message from the extension: /);
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.equal((await status(page)).records, '53', 'nothing of the malformed append was stored');
  assert.deepEqual(await text(page, '.run-list li .badge'), ['running'], 'the unknown state was not shown');

  assert.equal(await page.evaluate('window.__owned ?? null'), null, 'a run name is never parsed as markup');
  assert.equal(await page.evaluate("document.querySelectorAll('.run-list img').length"), 0);
  assert.match((await text(page, '.run-list li label')).join(), /<img src=x/);
  assert.deepEqual(await page.evaluate('window.__cspViolations'), []);
  await page.close();
});

test('metrics page: a deleted run says so and keeps its curves; a discarded page comes back from its saved state', { skip }, async () => {
  const page = await open('metrics');
  await post(page, metricsInit([metricsRun(40)]));
  await until(async () => Number((await status(page)).renders) > 0, 'the first draw');
  // A choice made in the page: epochs on x.
  await page.evaluate("(() => { const s = document.querySelector('select[aria-label=\"x axis\"]'); s.value = 'epoch'; s.dispatchEvent(new Event('change')); })()");
  await post(page, { type: 'run/deleted', runDir: RUN_DIR });
  const notices = await until(async () => {
    const n = await text(page, '.notices .notice');
    return n.length > 0 && n;
  }, 'a notice');
  assert.match(notices[0], new RegExp(`The run folder ${RUN_DIR} no longer exists; the charts keep what was loaded`));
  assert.deepEqual(await text(page, '.run-list li .badge'), ['deleted']);
  assert.equal((await status(page)).records, '42', 'the curves stay');

  // VS Code discards a hidden page; shown again, the page gets its state back and a fresh init.
  const saved = await page.evaluate<{ xAxis: string; runDirs: string[] }>('window.__state');
  assert.equal(saved.xAxis, 'epoch');
  assert.deepEqual(saved.runDirs, [RUN_DIR]);
  await page.close();
  const again = await open('metrics', { state: saved });
  await post(again, metricsInit([{ ...metricsRun(40), state: 'missing', message: 'the run folder does not exist' }]));
  await until(async () => Number((await status(again)).renders) > 0, 'the restored page to draw');
  assert.equal(await again.evaluate("document.querySelector('select[aria-label=\"x axis\"]').value"), 'epoch');
  const xTitle = await again.evaluate<string>("document.querySelector('.chart-card[data-group=\"loss\"]').dataset.maxX");
  assert.ok(Number(xTitle) < 1, `x is in epochs (max ${xTitle})`);
  assert.match((await text(again, '.notices .notice')).join(), /no longer exists/);
  await again.close();
});

for (const theme of ['dark', 'light', 'high-contrast'] as const) {
  test(`masks page in the ${theme} theme: heatmap, history strip and drill-down painted from theme colours`, { skip }, async () => {
    const page = await open('masks', { theme });
    await post(page, { type: 'masks/init', protocol: 1, runs: [masksRun()] });
    await answerSnapshots(page, async () => (await status(page)).history === String(14 * 3));
    const s = await status(page);
    assert.equal(s.step, '60', 'follows the newest snapshot');
    assert.equal(s.cells, '14');
    // Drill into a cell: the first row's first cell.
    await page.evaluate("(() => { const c = document.querySelector('.heatmap canvas'); const r = c.getBoundingClientRect(); c.dispatchEvent(new MouseEvent('click', { clientX: r.left + 100, clientY: r.top + 36, bubbles: true })); })()");
    await until(async () => (await status(page)).selected === 'encoder.layer.0.query.weight', 'the drill-down');
    const colours = await page.evaluate<{ background: string; cell: number[]; low: number[]; high: number[] }>(`(() => {
      const c = document.querySelector('.heatmap canvas');
      const ctx = c.getContext('2d');
      const px = (x, y) => [...ctx.getImageData(x * devicePixelRatio, y * devicePixelRatio, 1, 1).data];
      return { background: getComputedStyle(document.body).backgroundColor, cell: px(100, 30), low: px(90, 50), high: px(0, 0) };
    })()`);
    const bg = /rgba?\((\d+), (\d+), (\d+)/.exec(colours.background)!.slice(1).map(Number);
    const distance = (a: number[], b: number[]) => Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);
    assert.ok(distance(colours.cell, bg) > 20, `a heatmap cell ${colours.cell} stands out from the ${theme} background ${bg}`);
    assert.deepEqual(await page.evaluate('window.__cspViolations'), []);
    mkdirSync(artifacts, { recursive: true });
    await page.evaluate("document.querySelector('.tooltip').hidden = true");
    await page.screenshot({ path: path.join(artifacts, `panel-masks-${theme}.png`) });
    await page.close();
  });
}

test('masks page: a snapshot that cannot be loaded says why; a deleted run says so', { skip }, async () => {
  const page = await open('masks');
  await post(page, { type: 'masks/init', protocol: 1, runs: [masksRun('running')] });
  await answerSnapshots(page, async () => (await text(page, '.notices .notice.error')).length > 0, `${RUN_DIR}/masks/step-60.json: malformed`);
  assert.match((await text(page, '.notices .notice.error')).join(), /Cannot show the snapshot: .*step-60\.json: malformed/);
  assert.equal((await status(page)).cells, '0', 'nothing painted');
  await post(page, { type: 'masks/snapshot', runDir: RUN_DIR, snapshot: { step: 80, matrices: [{ ...snapshot(80).matrices[0], kept: 2 }] } });
  const logs = await until(async () => {
    const l = (await posted(page)).filter((m) => m.type === 'log' && /rejected/.test(m.message ?? ''));
    return l.length > 0 && l;
  }, 'the malformed snapshot to be logged');
  assert.match(logs[0].message ?? '', /masks panel rejected a message from the extension: malformed 'masks\/snapshot'/);
  await post(page, { type: 'run/deleted', runDir: RUN_DIR });
  await until(async () => (await text(page, '.notices .notice')).some((n) => /no longer exists/.test(n ?? '')), 'the deleted-run notice');
  await page.close();
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the pages');
});
