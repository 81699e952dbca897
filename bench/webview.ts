// What the editor side costs: the extension's activation (time and memory) in a real VS Code, and
// the metrics panel's main-thread time per live metrics message at 10 and 100 messages a second.
//
//   node --import tsx bench/webview.ts [--seconds N] [--skip-activation] [--json]
//
// Activation: the packaged extension (.vsix) installed into code-server 4.100.3 (VS Code 1.100.3),
// as the real-editor test does; a window opens with a small extensionTestsPath script that, in
// the extension host, calls `activate()` on the not-yet-active extension and times it (loading
// dist/client/extension.js plus running `activate`), then times `api.ready` (the language server
// answering `initialize`). Memory: the extension host's RSS before and after, and the RSS of the
// language server process it forked (read from /proc, Linux only). Three windows, one after
// another; medians reported.
//
// Webview: the metrics page (dist/webviews/metrics.js, under the extension's CSP) in headless
// Chromium, given a run's history (2,000 or 100,000 steps of loss, lr, grad_norm and sparsity, a
// dev evaluation every 500 steps), then fed `metrics/append` messages of one record each at a
// fixed rate for N seconds (default 5) by a timer in the page. Main-thread time is Chromium's
// TaskDuration (every task on the page's main thread: validation, storing, chart drawing, style,
// layout) over the window, minus the same page's idle TaskDuration over an equal window, divided
// by the messages sent. Messages are dispatched in the page, so VS Code's postMessage transport
// (a structured clone of ~200 bytes) is not counted.
//
// Needs Chromium and playwright-core (bash .ci/setup-editor.sh); skips, saying so, without them.
// Activation also needs code-server and vsce from the same setup.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MetricsColumns, MetricsRunHistory } from '../schemas/src/webviewMessages';
import { startCodeServer } from '../test/integration/codeServer';
import { editorCacheDir, findEditorTools, repositoryRoot, SETUP_HINT } from '../test/integration/editorTools';
import { bundleExtension, installExtension, packageExtension, stageExtension } from '../test/integration/extensionPackage';
import { servePanelPages } from '../test/integration/panelPage';

const root = repositoryRoot(__dirname);
const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf('--seconds') + 1]) > 0 && args.includes('--seconds') ? Number(args[args.indexOf('--seconds') + 1]) : 5;
const asJson = args.includes('--json');

// ─── the few playwright-core calls used (loaded from the editor cache, not a dependency) ──────

interface CdpSession {
  send(method: 'Performance.enable' | 'HeapProfiler.collectGarbage'): Promise<unknown>;
  send(method: 'Performance.getMetrics'): Promise<{ metrics: { name: string; value: number }[] }>;
  send(method: 'Runtime.getHeapUsage'): Promise<{ usedSize: number; totalSize: number; backingStorageSize?: number }>;
}
interface BenchPage {
  goto(url: string): Promise<unknown>;
  /** Evaluates JavaScript source (an expression) in the page. */
  evaluate<R>(expression: string): Promise<R>;
  context(): { newCDPSession(page: BenchPage): Promise<CdpSession> };
  close(): Promise<void>;
  on(event: 'pageerror', listener: (error: Error) => void): void;
}
interface BenchBrowser {
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<BenchPage>;
  close(): Promise<void>;
}

async function launch(playwrightCore: string, chromium: string): Promise<BenchBrowser> {
  const { chromium: launcher } = require(playwrightCore) as { chromium: { launch(o: object): Promise<BenchBrowser> } };
  return launcher.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', ...(process.env.BENCH_GPU ? [] : ['--disable-gpu']), '--disable-background-networking', '--no-first-run'] });
}

// ─── synthetic run history ───────────────────────────────────────────────────────────────────

/** A smooth-ish noisy series (a fixed LCG, so every run of the bench draws the same). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
}

const LR = (step: number, total: number) => (step < total * 0.06 ? (step / (total * 0.06)) * 3e-4 : 3e-4 * (1 - step / total));

function history(steps: number): MetricsRunHistory {
  const r = noise(7);
  const train: MetricsColumns = { step: [], epoch: [], time: [], values: { loss: [], lr: [], grad_norm: [], sparsity: [] } };
  const dev: MetricsColumns = { step: [], epoch: [], time: [], values: { accuracy: [], f1: [], loss: [] } };
  for (let step = 1; step <= steps; step++) {
    train.step.push(step);
    train.epoch.push(step / 1000);
    train.time.push(step * 0.08);
    const loss = 0.25 + 0.45 * Math.exp(-step / (steps / 8)) + 0.05 * r();
    train.values.loss.push(loss);
    train.values.lr.push(LR(step, steps));
    train.values.grad_norm.push(1 + 0.5 * r());
    train.values.sparsity.push(0.05 + 0.4 * (1 - Math.exp(-step / (steps / 4))));
    if (step % 500 === 0) {
      dev.step.push(step);
      dev.epoch.push(step / 1000);
      dev.time.push(step * 0.08);
      dev.values.accuracy.push(0.9 - 0.35 * Math.exp(-step / (steps / 6)));
      dev.values.f1.push(0.88 - 0.4 * Math.exp(-step / (steps / 6)));
      dev.values.loss.push(loss + 0.03);
    }
  }
  return {
    runDir: '/bench/runs/sst2/20261123-120000-b3nc',
    runId: '20261123-120000-b3nc',
    name: 'sst2',
    experiment: 'sst2',
    state: 'running',
    message: null,
    sweep: null,
    primaryMetric: 'accuracy',
    train,
    dev,
  };
}

// ─── in the page ─────────────────────────────────────────────────────────────────────────────

/** Sends `metrics/append` messages of one record (a dev one every 100th) at `rate` a second for `seconds`. */
const DRIVER = `window.__drive = (runDir, firstStep, rate, seconds) => new Promise((resolve) => {
  let step = firstStep, sent = 0;
  const started = performance.now(), every = 1000 / rate;
  const send = (record) => window.dispatchEvent(new MessageEvent('message', { data: { type: 'metrics/append', runDir, records: [record] } }));
  const timer = setInterval(() => {
    const due = Math.min(Math.floor((performance.now() - started) / every), Math.round(rate * seconds));
    while (sent < due) {
      step++; sent++;
      send({ step, epoch: step / 1000, time: step * 0.08, split: 'train', values: { loss: 0.3 + 0.05 * Math.sin(step), lr: 1e-4, grad_norm: 1 + 0.3 * Math.cos(step), sparsity: 0.4 } });
      if (sent % 100 === 0) send({ step, epoch: step / 1000, time: step * 0.08, split: 'dev', values: { accuracy: 0.9, f1: 0.88, loss: 0.33 } });
    }
    if (performance.now() - started >= seconds * 1000) { clearInterval(timer); resolve({ sent, step }); }
  }, Math.min(every, 10));
});
window.__longTasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask' });`;

interface Measured {
  history: number;
  rate: number;
  sent: number;
  msPerMessage: number;
  busyPercent: number;
  handlerUs: number;
  drawsPerSecond: number;
  /** Mean script time of one draw (all charts, the table when due). */
  drawMs: number;
  longTasks: number;
  longestTaskMs: number;
}

async function taskSeconds(cdp: CdpSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function metricsPage(browser: BenchBrowser, url: string, run: MetricsRunHistory): Promise<{ page: BenchPage; cdp: CdpSession; initMs: number; heapMb: number }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(url);
  await page.evaluate(DRIVER);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  // Page code as source text: it reaches the page as written (no compiler helpers in it).
  const init = { type: 'metrics/init', protocol: 1, runs: [run], defaults: { smoothing: 0.6, xAxis: 'step', logScaleY: false } };
  const initMs = await page.evaluate<number>(`new Promise((resolve) => {
    const started = performance.now();
    window.postMessage(${JSON.stringify(init)}, '*');
    const status = document.getElementById('status');
    const check = () => (Number(status.dataset.renders || 0) > 0 ? resolve(performance.now() - started) : requestAnimationFrame(check));
    check();
  })`);
  await wait(1_000);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  // The metric columns are typed arrays: their bytes are backing stores, outside the JS heap proper.
  return { page, cdp, initMs, heapMb: (heap.usedSize + (heap.backingStorageSize ?? 0)) / 2 ** 20 };
}

async function measureWebview(browser: BenchBrowser): Promise<{ rows: Measured[]; pages: { history: number; initMs: number; heapMb: number; idleBusyPercent: number }[] }> {
  const server = await servePanelPages(root);
  const rows: Measured[] = [];
  const pages: { history: number; initMs: number; heapMb: number; idleBusyPercent: number }[] = [];
  try {
    for (const steps of [2_000, 100_000]) {
      const run = history(steps);
      let lastStep = steps;
      // The idle cost of the page (timers, the run's 'running' state) over the same window.
      const idle = await metricsPage(browser, server.url('metrics', { profile: true }), run);
      const before = await taskSeconds(idle.cdp);
      await wait(seconds * 1000);
      const idleSeconds = (await taskSeconds(idle.cdp)) - before;
      pages.push({ history: steps, initMs: idle.initMs, heapMb: idle.heapMb, idleBusyPercent: (idleSeconds / seconds) * 100 });
      await idle.page.close();

      for (const rate of [10, 100]) {
        const { page, cdp } = await metricsPage(browser, server.url('metrics', { profile: true }), run);
        await page.evaluate('performance.clearMeasures(); window.__longTasks.length = 0');
        const rendersBefore = Number(await page.evaluate<string>("document.getElementById('status').dataset.renders"));
        const start = await taskSeconds(cdp);
        const sent = await page.evaluate<{ sent: number; step: number }>(`window.__drive(${JSON.stringify(run.runDir)}, ${lastStep}, ${rate}, ${seconds})`);
        // Let the last queued draw happen.
        await wait(300);
        const busy = (await taskSeconds(cdp)) - start;
        const page$ = await page.evaluate<{ handler: number[]; draws: number[]; renders: number; longTasks: number[] }>(
          "({ handler: performance.getEntriesByName('masklab:metrics/append').map((e) => e.duration), draws: performance.getEntriesByName('masklab:draw').map((e) => e.duration), renders: Number(document.getElementById('status').dataset.renders), longTasks: window.__longTasks })",
        );
        lastStep = sent.step;
        const span = seconds + 0.3;
        rows.push({
          history: steps,
          rate,
          sent: sent.sent,
          msPerMessage: ((busy - (idleSeconds * span) / seconds) * 1000) / sent.sent,
          busyPercent: (busy / span) * 100,
          handlerUs: (page$.handler.reduce((a, b) => a + b, 0) / Math.max(1, page$.handler.length)) * 1000,
          drawsPerSecond: (page$.renders - rendersBefore) / span,
          drawMs: page$.draws.reduce((a, b) => a + b, 0) / Math.max(1, page$.draws.length),
          longTasks: page$.longTasks.length,
          longestTaskMs: Math.max(0, ...page$.longTasks),
        });
        await page.close();
      }
    }
  } finally {
    await server.close();
  }
  return { rows, pages };
}

// ─── activation in code-server ───────────────────────────────────────────────────────────────

/** Runs in the extension host (extensionTestsPath): times activate() and api.ready, reads memory. */
const ACTIVATION_SUITE = `
const vscode = require('vscode');
const fs = require('fs');
function rssOf(pid) {
  try { return Number(/VmRSS:\\s+(\\d+) kB/.exec(fs.readFileSync('/proc/' + pid + '/status', 'utf8'))[1]) * 1024; } catch { return null; }
}
function children(pid) {
  const found = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync('/proc/' + name + '/stat', 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.push({ pid: Number(name), cmd: fs.readFileSync('/proc/' + name + '/cmdline', 'utf8').replace(/\\0/g, ' ') });
    } catch {}
  }
  return found;
}
exports.run = async function () {
  const out = { wasActive: false };
  try {
    const extension = vscode.extensions.getExtension('masklab.masklab');
    out.wasActive = extension.isActive;
    const before = process.memoryUsage();
    const t0 = performance.now();
    const api = await extension.activate();
    const t1 = performance.now();
    const activated = process.memoryUsage();
    await api.ready;
    const t2 = performance.now();
    await new Promise((r) => setTimeout(r, 500));
    const after = process.memoryUsage();
    const server = children(process.pid).find((c) => c.cmd.includes('server.js'));
    Object.assign(out, {
      activateMs: t1 - t0,
      readyMs: t2 - t0,
      heapBefore: before.heapUsed, heapActivated: activated.heapUsed, heapAfter: after.heapUsed,
      rssBefore: before.rss, rssAfter: after.rss,
      serverRss: server ? rssOf(server.pid) : null,
    });
  } catch (error) {
    out.error = String(error && error.stack || error);
  }
  fs.writeFileSync(process.env.MASKLAB_BENCH_RESULTS + '.' + Date.now() + '.json', JSON.stringify(out));
};
`;

interface Activation {
  activateMs: number;
  readyMs: number;
  heapBefore: number;
  heapActivated: number;
  heapAfter: number;
  rssBefore: number;
  rssAfter: number;
  serverRss: number | null;
  wasActive: boolean;
  error?: string;
}

async function measureActivation(browser: BenchBrowser, tools: { codeServer: string; vsce: string }, windows = 3): Promise<Activation[]> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'masklab-bench-'));
  try {
    const stage = path.join(tmp, 'stage');
    const vsix = path.join(tmp, 'masklab.vsix');
    bundleExtension(root);
    stageExtension(root, stage);
    packageExtension(tools.vsce, stage, vsix);
    const userData = path.join(tmp, 'user-data');
    const config = path.join(tmp, 'code-server.yaml');
    const installed = installExtension({ codeServer: tools.codeServer, vsixFile: vsix, stageDir: stage, extensionsDir: path.join(tmp, 'extensions'), userDataDir: userData, configFile: config });
    mkdirSync(path.join(userData, 'User'), { recursive: true });
    writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false, 'update.mode': 'none', 'security.workspace.trust.enabled': false }));
    const folder = path.join(tmp, 'workspace');
    mkdirSync(folder);
    const suite = path.join(tmp, 'suite.js');
    writeFileSync(suite, ACTIVATION_SUITE);
    const results = path.join(tmp, 'activation');
    const server = await startCodeServer({
      binary: tools.codeServer,
      userDataDir: userData,
      extensionsDir: path.join(tmp, 'extensions'),
      folder,
      logFile: path.join(tmp, 'code-server.log'),
      configFile: config,
      env: { MASKLAB_BENCH_RESULTS: results },
    });
    const measured: Activation[] = [];
    try {
      for (let i = 0; i < windows; i++) {
        const page = (await browser.newPage({ viewport: { width: 1280, height: 800 } })) as BenchPage & {
          exposeFunction(name: string, fn: (...a: unknown[]) => void): Promise<void>;
        };
        let exited: () => void = () => undefined;
        const done = new Promise<void>((resolve) => (exited = resolve));
        await page.exposeFunction('codeAutomationExit', () => exited());
        await page.exposeFunction('codeAutomationLog', () => undefined);
        const remote = (file: string) => `vscode-remote://127.0.0.1:${server.port}${file}`;
        const payload = [['extensionDevelopmentPath', remote(installed)], ['extensionTestsPath', remote(suite)], ['skipWelcome', 'true']];
        await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
        await Promise.race([done, wait(90_000).then(() => Promise.reject(new Error('the activation window did not finish within 90 s')))]);
        await page.close();
      }
    } finally {
      await server.stop();
    }
    for (const name of readdirSync(tmp)) {
      if (name.startsWith('activation.')) measured.push(JSON.parse(readFileSync(path.join(tmp, name), 'utf8')) as Activation);
    }
    return measured;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ─── report ──────────────────────────────────────────────────────────────────────────────────

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

async function main(): Promise<void> {
  // Chromium and playwright-core are enough for the webview; activation needs the whole editor.
  const playwrightCore = path.join(editorCacheDir(), 'node_modules/playwright-core');
  const chromium = process.env.MASKLAB_CHROMIUM ?? '/usr/bin/chromium';
  const absent = [playwrightCore, chromium].filter((p) => !existsSync(p));
  if (absent.length > 0) {
    console.log(`webview bench skipped: no ${absent.join(', ')} (Chromium and playwright-core are needed); ${SETUP_HINT}`);
    return;
  }
  const tools = findEditorTools();
  bundleExtension(root);
  const browser = await launch(playwrightCore, chromium);
  try {
    let activation: Activation[] | string;
    if (args.includes('--skip-activation')) activation = 'skipped (--skip-activation)';
    else if ('missing' in tools) activation = `skipped: no ${tools.missing.join(', ')}; ${SETUP_HINT}`;
    else activation = await measureActivation(browser, tools);
    const webview = await measureWebview(browser);

    if (asJson) {
      console.log(JSON.stringify({ activation, webview, seconds }, null, 2));
      return;
    }
    console.log('extension activation in code-server 4.100.3 (VS Code 1.100.3), packaged .vsix, fresh extension host per window');
    if (typeof activation === 'string') {
      console.log(`  ${activation}`);
    } else {
      const ok = activation.filter((a) => !a.error && !a.wasActive);
      for (const a of activation.filter((x) => x.error)) console.log(`  a window failed: ${a.error}`);
      if (ok.length > 0) {
        console.log(`  activate() (load bundle + run activate), median of ${ok.length}: ${median(ok.map((a) => a.activateMs)).toFixed(1)} ms  (${ok.map((a) => a.activateMs.toFixed(0)).join(', ')})`);
        console.log(`  until the language server is ready (api.ready):  ${median(ok.map((a) => a.readyMs)).toFixed(0)} ms`);
        // The host's heap is not reported: it collects garbage during activation, so its change means little.
        console.log(`  extension host RSS growth through ready: ${mb(median(ok.map((a) => a.rssAfter - a.rssBefore)))};  language server process RSS: ${ok.every((a) => a.serverRss !== null) ? mb(median(ok.map((a) => a.serverRss!))) : 'not found'}`);
        console.log(`  bundle dist/client/extension.js: ${(statSync(path.join(root, 'dist/client/extension.js')).size / 1024).toFixed(0)} kB;  load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`);
      }
    }
    console.log(`\nmetrics panel in headless Chromium: main-thread time per live metrics message (${seconds} s per row; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs)`);
    for (const p of webview.pages) {
      console.log(`  history ${String(p.history).padStart(7)} steps: init + first draw ${p.initMs.toFixed(0)} ms, page memory (JS heap + array buffers) ${p.heapMb.toFixed(1)} MB, idle main thread ${p.idleBusyPercent.toFixed(1)} %`);
    }
    console.log('  history   msg/s   sent   ms/msg   main thread busy   handler µs/msg   draws/s   ms/draw   long tasks (max ms)');
    for (const r of webview.rows) {
      console.log(
        `  ${String(r.history).padStart(7)}  ${String(r.rate).padStart(6)}  ${String(r.sent).padStart(5)}  ${r.msPerMessage.toFixed(2).padStart(7)}  ${`${r.busyPercent.toFixed(1)} %`.padStart(17)}  ${r.handlerUs.toFixed(0).padStart(15)}  ${r.drawsPerSecond.toFixed(1).padStart(8)}  ${r.drawMs.toFixed(1).padStart(8)}  ${String(r.longTasks).padStart(10)} (${r.longestTaskMs.toFixed(0)})`,
      );
    }
    console.log('  ms/msg: TaskDuration over the window minus the idle page\'s, per message; draws are coalesced to at most one a frame.');
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
