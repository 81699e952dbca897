// The extension in a real VS Code, offline: code-server 4.100.3 (VS Code 1.100.3 for the browser)
// driven by Debian's Chromium through playwright-core, as in the project's real-editor recipe.
//   1. bundle (.ci/build.mjs), stage and `vsce package` the extension, install the .vsix into a
//      fresh extensions folder, open a temporary copy of examples/ (plus a broken quickstart);
//   2. run the in-editor suite (suite/index.ts, the same module @vscode/test-electron can run)
//      inside the real extension host: activation and readiness, diagnostics, resolved config;
//   3. look at the workbench like a person: the Problems panel lists the broken file's error,
//      and "Masklab: Show Resolved Config" from the palette opens JSON. Screenshots go to
//      test-artifacts/.
// Skips with one line when the tools are not installed (bash .ci/setup-editor.sh), or when
// MASKLAB_SKIP_EDITOR_TEST=1. MASKLAB_EDITOR_SERVER_BUNDLE=file packages that server bundle
// instead of dist/server/server.js (to try the harness against a stand-in server).

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { findDeclarations } from '../../client/src/experimentDeclarations';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import { findEditorTools, repositoryRoot, SETUP_HINT, type EditorTools } from './editorTools';
import { bundleExtension, installExtension, packageExtension, stageExtension } from './extensionPackage';
import type { SuiteRecord } from './suite/index';
import { activeTab, launchChromium, openFile, runCommand, showProblems, VIEWPORT, waitForWorkbench, type Browser, type Page } from './workbench';
import { checkPanelsAfterTraining } from './panelChecks';
import { showEditorTab, watchPanelsWhileTraining, type LivePanels } from './panelSteps';
import { evaluateFromPalette, stateOf, trainFromCodeLens } from './trainInEditor';
import { BROKEN_FILE, MISSPELLED_KEY, prepareWorkspace } from './workspaceFixture';

const SOURCE_FILE = 'quickstart.masklab';
const SUITE_TIMEOUT_MS = 100_000;
const root = repositoryRoot();
const artifacts = path.join(root, 'test-artifacts');
const found = findEditorTools();
const skip =
  process.env.MASKLAB_SKIP_EDITOR_TEST === '1'
    ? 'real-editor test skipped: MASKLAB_SKIP_EDITOR_TEST=1'
    : 'missing' in found
      ? `real editor not installed (missing ${found.missing.join(', ')}): ${SETUP_HINT}`
      : false;

/** User settings for a quiet, reproducible workbench. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'editor.codeLens': true,
};

test('the extension works in a real VS Code (code-server + Chromium)', { skip, timeout: 300_000 }, async (t) => {
  const tools = found as EditorTools;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'masklab-editor-'));
  mkdirSync(artifacts, { recursive: true });
  const paths = {
    stage: path.join(tmp, 'stage'),
    vsix: path.join(tmp, 'masklab.vsix'),
    extensions: path.join(tmp, 'extensions'),
    userData: path.join(tmp, 'user-data'),
    suite: path.join(tmp, 'suite', 'index.js'),
    results: path.join(tmp, 'suite-results.json'),
    codeServerConfig: path.join(tmp, 'code-server.yaml'),
    serverLog: path.join(artifacts, 'code-server.log'),
    workbenchLog: path.join(artifacts, 'workbench.log'),
  };
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const workbenchLog: string[] = [];
  let ok = false;
  // A failed subtest fails this test through the runner without throwing here; remember it so
  // the failure screenshot is taken and the temporary folder kept.
  let subtestFailed = false;
  const step = (name: string, check: () => void | Promise<void>) =>
    t.test(name, async () => {
      try {
        await check();
      } catch (error) {
        subtestFailed = true;
        throw error;
      }
    });
  try {
    // 1. The package a user installs.
    const serverBundle = process.env.MASKLAB_EDITOR_SERVER_BUNDLE;
    if (!serverBundle && !existsSync(path.join(root, 'server/src/lsp/server.ts')) && !existsSync(path.join(root, 'dist/server/server.js'))) {
      t.skip('the language server is not written yet (server/src/lsp/server.ts)');
      ok = true;
      return;
    }
    bundleExtension(root);
    if (!serverBundle && !existsSync(path.join(root, 'dist/server/server.js'))) {
      t.skip('the language server is not built yet (server/src/lsp/server.ts → dist/server/server.js)');
      ok = true;
      return;
    }
    stageExtension(root, paths.stage, serverBundle);
    packageExtension(tools.vsce, paths.stage, paths.vsix);
    const installed = installExtension({
      codeServer: tools.codeServer,
      vsixFile: paths.vsix,
      stageDir: paths.stage,
      extensionsDir: paths.extensions,
      userDataDir: paths.userData,
      configFile: paths.codeServerConfig,
    });
    const workspace = prepareWorkspace(root, tmp, SOURCE_FILE);
    await bundleSuite(path.join(root, 'test/integration/suite/index.ts'), paths.suite);
    mkdirSync(path.join(paths.userData, 'User'), { recursive: true });
    writeFileSync(path.join(paths.userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));

    server = await startCodeServer({
      binary: tools.codeServer,
      userDataDir: paths.userData,
      extensionsDir: paths.extensions,
      folder: workspace.folder,
      logFile: paths.serverLog,
      configFile: paths.codeServerConfig,
      env: { MASKLAB_TEST_RESULTS: paths.results, MASKLAB_TEST_SOURCE: SOURCE_FILE, MASKLAB_TEST_BROKEN: BROKEN_FILE },
    });
    browser = await launchChromium(tools.playwrightCore, tools.chromium);

    // 2. The in-editor suite, in the real extension host, against the installed extension.
    const exitCode = await runSuiteInEditor(browser, server, installed, paths.suite, workspace.folder, workbenchLog);
    assert.ok(existsSync(paths.results), `the in-editor suite wrote no results (exit code ${exitCode}); see ${paths.workbenchLog}`);
    const record = JSON.parse(readFileSync(paths.results, 'utf8')) as SuiteRecord;
    const checkPassed = (fragment: string) => {
      const check = record.checks.find((c) => c.name.includes(fragment));
      assert.ok(check, `no in-editor check named like "${fragment}"`);
      assert.equal(check.outcome, 'passed', `${check.name}: ${check.detail ?? ''}`);
    };
    await step('(a) opening a .masklab file activates the extension; its server becomes ready', () => checkPassed('activates the extension'));
    await step('(b) the server reports the misspelled key in the broken file', () => {
      checkPassed('broken file gets error diagnostics');
      assert.ok(
        record.brokenDiagnostics.some((d) => d.line === workspace.brokenLine),
        `expected an error on line ${workspace.brokenLine} (${MISSPELLED_KEY}); got ${JSON.stringify(record.brokenDiagnostics)}`,
      );
    });
    await step('(c) Show Resolved Config opens JSON (command, code lens, unknown name, live and manual refresh)', () => {
      checkPassed('opens JSON beside the source');
      checkPassed('code lens');
      checkPassed('unknown experiment');
      checkPassed('editing the source refreshes');
      checkPassed('Refresh Resolved Config');
    });

    // 3. What a person sees, in a fresh window using the installed extension as is.
    page = await browser.newPage({ viewport: VIEWPORT });
    page.on('pageerror', (error) => workbenchLog.push(`pageerror: ${error.message ?? ''}`));
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace.folder)}`, { waitUntil: 'domcontentloaded' });
    await waitForWorkbench(page);
    const ui = page;

    await step('(b) the Problems panel lists the broken file and its error', async () => {
      await openFile(ui, BROKEN_FILE);
      await showProblems(ui);
      const message = record.brokenDiagnostics.find((d) => d.line === workspace.brokenLine)?.message ?? MISSPELLED_KEY;
      const firstLine = message.split('\n')[0].slice(0, 60);
      await ui.locator('.markers-panel .monaco-list-row').filter({ hasText: BROKEN_FILE }).first().waitFor({ state: 'visible', timeout: 30_000 });
      await ui.locator('.markers-panel .monaco-list-row').filter({ hasText: firstLine }).first().waitFor({ state: 'visible', timeout: 30_000 });
      await ui.screenshot({ path: path.join(artifacts, 'editor-problems.png') });
    });

    await step('(c) "Masklab: Show Resolved Config" from the palette opens read-only JSON beside the file', async () => {
      await openFile(ui, SOURCE_FILE);
      // The code lens appears once the server has analysed the file: wait for it, so the
      // screenshot shows it (its behaviour is asserted by the in-editor suite).
      await ui.locator('.codelens-decoration').filter({ hasText: /resolved/i }).first().waitFor({ state: 'visible', timeout: 20_000 }).catch(() => undefined);
      const experiments = findDeclarations(readFileSync(workspace.source, 'utf8'));
      await runCommand(ui, 'Masklab: Show Resolved Config');
      if (experiments.length > 1) {
        await ui.locator('.quick-input-widget .monaco-list-row').filter({ hasText: experiments[0].name }).first().waitFor({ state: 'visible', timeout: 30_000 });
        await ui.keyboard.press('Enter');
      }
      const tab = activeTab(ui, '.json');
      await tab.waitFor({ state: 'visible', timeout: 30_000 });
      const tabText = await tab.innerText();
      if (experiments.length === 1) assert.ok(tabText.includes(`${experiments[0].name}.json`), `active tab reads ${JSON.stringify(tabText)}`);
      const editorText = await ui.locator('.editor-group-container.active .view-lines').first().innerText({ timeout: 10_000 });
      assert.match(editorText.trim(), /^\{/, `the resolved config editor shows ${JSON.stringify(editorText.slice(0, 80))}`);
      await ui.screenshot({ path: path.join(artifacts, 'editor-resolved-config.png') });
      // Read-only: typing is refused with the editor's read-only message and changes nothing.
      await ui.locator('.editor-group-container.active .view-lines').first().click();
      await ui.keyboard.type('typed');
      await ui.locator('.monaco-editor-overlaymessage').filter({ hasText: /read-only/i }).first().waitFor({ state: 'visible', timeout: 10_000 });
      // The view may scroll with the click (the visible lines then differ), but the typed text,
      // which would appear at the cursor, must not.
      const afterTyping = await ui.locator('.editor-group-container.active .view-lines').first().innerText();
      assert.ok(!afterTyping.includes('typed'), `typing changed the resolved config: ${JSON.stringify(afterTyping.slice(0, 200))}`);
    });
    await step('(d) runs: the Train lens starts a run the extension follows; Cancel, Resume; a file with errors trains nothing', () => {
      checkPassed('Train code lens starts a run');
      checkPassed('Resume from the Runs view');
      checkPassed('file with errors starts nothing');
    });

    let live: LivePanels = { error: 'the run was not started (see the Train step)' };
    let trainedRun: { runDir: string; runId: string } | undefined;
    await step('(d) clicking Train shows progress in the status bar and the run in the Runs view until it completes; Evaluate reproduces it', async () => {
      const trained = await trainFromCodeLens(ui, {
        folder: workspace.folder,
        sourceFile: SOURCE_FILE,
        experiment: 'quickstart',
        screenshot: path.join(artifacts, 'editor-runs-training.png'),
        // While it trains, its panels are opened from the Runs view (checked in (e)).
        whileTraining: async (run) => {
          live = await watchPanelsWhileTraining(ui, run, () => stateOf(run.runDir) === 'running');
          // Back to the experiment, as the steps after this one expect (a webview in front takes the clicks).
          await showEditorTab(ui, SOURCE_FILE).catch(() => undefined);
        },
      });
      trainedRun = trained;
      assert.match(trained.statusText, /quickstart \d+% · [\d.]+ (steps\/s|s\/step)/);
      // Evaluate re-evaluates that (latest completed) run and reproduces its best dev accuracy.
      const best = (JSON.parse(readFileSync(path.join(trained.runDir, 'summary.json'), 'utf8')) as { best: { accuracy: number } }).best.accuracy;
      const said = await evaluateFromPalette(ui, SOURCE_FILE);
      assert.match(said, new RegExp(`${trained.runId}\\) on its dev set: accuracy ${best.toFixed(4)}\\b`), said);
    });
    await step('(e) the metrics chart streams and the heatmap paints while the run trains; both panels survive hide/show and a window reload', async () => {
      if (live.error) assert.fail(`while the run trained: ${live.error}`);
      const { first, later } = live.metricsLive!;
      t.diagnostic(`loss curve live: step ${first.charts.find((c) => c.group === 'loss')?.maxX} → ${later.charts.find((c) => c.group === 'loss')?.maxX} (${first.records} → ${later.records} records); heatmap step ${live.masksLive?.step}`);
      assert.ok(trainedRun, 'no trained run (see the Train step)');
      await checkPanelsAfterTraining(ui, trainedRun.runDir, artifacts, (line) => t.diagnostic(line));
    });
    assert.equal(exitCode, 0, `the in-editor suite exited with ${exitCode}`);
    ok = !subtestFailed;
  } finally {
    if (!ok && page) await page.screenshot({ path: path.join(artifacts, 'editor-failure.png') }).catch(() => undefined);
    writeFileSync(paths.workbenchLog, workbenchLog.join('\n'));
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (ok) rmSync(tmp, { recursive: true, force: true });
    else t.diagnostic(`kept ${tmp} for inspection; logs in ${artifacts}`);
  }
});

/** The in-editor suite is TypeScript importing client code: bundle it like the extension. */
async function bundleSuite(entry: string, outfile: string): Promise<void> {
  const { build } = await import('esbuild');
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'], logLevel: 'error' });
}

/**
 * Opens a window whose extension host loads `extensionDir` as the extension under development and
 * runs `suiteFile` (extensionTestsPath); resolves with the exit code the workbench reports.
 */
async function runSuiteInEditor(
  browser: Browser,
  server: RunningCodeServer,
  extensionDir: string,
  suiteFile: string,
  folder: string,
  log: string[],
): Promise<number> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  try {
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      log.push(`${type}: ${(Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`);
    });
    page.on('pageerror', (error) => log.push(`pageerror: ${error.message ?? ''}`));
    const remote = (file: string) => `vscode-remote://127.0.0.1:${server.port}${file}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionDir)],
      ['extensionTestsPath', remote(suiteFile)],
      ['skipWelcome', 'true'],
    ];
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`, {
      waitUntil: 'domcontentloaded',
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the in-editor suite did not finish within ${SUITE_TIMEOUT_MS} ms; see test-artifacts/workbench.log`)), SUITE_TIMEOUT_MS);
    });
    try {
      return await Promise.race([exited, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await page.screenshot({ path: path.join(artifacts, 'editor-suite.png') }).catch(() => undefined);
    await page.close();
  }
}

