// Extension tests that run INSIDE a real VS Code extension host. Runner-agnostic: the module
// exports `run(): Promise<void>` as @vscode/test-electron expects (its `extensionTestsPath`), and
// the offline code-server driver (../editor.test.ts) loads it the same way. A failed check makes
// `run` reject, which both runners turn into a non-zero exit code.
//
// Environment (all optional):
//   MASKLAB_TEST_SOURCE   file in the first workspace folder to open (default quickstart.masklab)
//   MASKLAB_TEST_BROKEN   a file with errors, for the diagnostics check (default broken.masklab; skipped if absent)
//   MASKLAB_TEST_RESULTS  where to write a JSON record of the checks, diagnostics and resolved config

import { existsSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { findDeclarations } from '../../../client/src/experimentDeclarations';
import { runChecks, type CheckResult } from './checks';
import { trainChecks, type RunsApiLike, type TrainRecord } from './trainChecks';
import { withTimeout, waitForErrors } from './waiting';

const EXTENSION_ID = 'masklab.masklab';
const SHOW_RESOLVED_CONFIG = 'masklab.showResolvedConfig';
const REFRESH_RESOLVED_CONFIG = 'masklab.refreshResolvedConfig';

/** The shape of what the extension's `activate` returns (client/src/extension.ts). */
interface MasklabExtensionApi {
  ready: Promise<void>;
  client: { isRunning(): boolean; initializeResult?: { capabilities: object } };
  runs?: RunsApiLike;
}

export interface SuiteRecord {
  checks: CheckResult[];
  brokenDiagnostics: { line: number; severity: string; message: string }[];
  resolvedConfig?: { uri: string; keys: string[] };
  /** Runs started from the editor (trainChecks.ts). */
  train: TrainRecord;
}

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the extension tests need a workspace folder (open the examples folder)');
  const sourceUri = vscode.Uri.joinPath(folder.uri, process.env.MASKLAB_TEST_SOURCE ?? 'quickstart.masklab');
  const brokenUri = vscode.Uri.joinPath(folder.uri, process.env.MASKLAB_TEST_BROKEN ?? 'broken.masklab');
  const record: SuiteRecord = { checks: [], brokenDiagnostics: [], train: {} };
  let api: MasklabExtensionApi | undefined;
  let source: vscode.TextDocument | undefined;
  let shownUri: vscode.Uri | undefined;

  record.checks = await runChecks([
    {
      name: 'opening a .masklab file activates the extension and its language server becomes ready',
      run: async () => {
        const extension = vscode.extensions.getExtension<MasklabExtensionApi>(EXTENSION_ID);
        if (!extension) throw new Error(`extension ${EXTENSION_ID} is not installed in this editor`);
        source = await vscode.workspace.openTextDocument(sourceUri);
        await vscode.window.showTextDocument(source);
        if (source.languageId !== 'masklab') throw new Error(`${sourceUri.fsPath} opened as "${source.languageId}", expected "masklab"`);
        api = await withTimeout(extension.activate(), 30_000, 'extension activation');
        if (!api || typeof api.ready?.then !== 'function') throw new Error('activate() did not return { ready, client }');
        await withTimeout(api.ready, 30_000, 'language server readiness (api.ready)');
        if (!api.client.isRunning()) throw new Error('api.ready settled but the language client is not running');
        if (!api.client.initializeResult?.capabilities) throw new Error('the server sent no capabilities');
      },
    },
    {
      name: 'a broken file gets error diagnostics from the server',
      skip: existsSync(brokenUri.fsPath) ? undefined : `${brokenUri.fsPath} does not exist`,
      run: async () => {
        const broken = await vscode.workspace.openTextDocument(brokenUri);
        await vscode.window.showTextDocument(broken, { preview: false });
        const errors = await waitForErrors(brokenUri, 30_000);
        record.brokenDiagnostics = errors.map((d) => ({
          line: d.range.start.line + 1,
          severity: vscode.DiagnosticSeverity[d.severity],
          message: d.message,
        }));
      },
    },
    {
      name: 'Show Resolved Config with [uri, experiment] opens JSON beside the source',
      run: async () => {
        if (!source) throw new Error('the source document did not open (see the first check)');
        await vscode.window.showTextDocument(source);
        const [first] = findDeclarations(source.getText()).filter((d) => d.kind === 'experiment');
        if (!first) throw new Error(`${sourceUri.fsPath} declares no experiment`);
        const uri = await withTimeout(
          vscode.commands.executeCommand<vscode.Uri | undefined>(SHOW_RESOLVED_CONFIG, source.uri.toString(), first.name),
          30_000,
          SHOW_RESOLVED_CONFIG,
        );
        if (!uri) throw new Error(`${SHOW_RESOLVED_CONFIG} opened nothing for "${first.name}" (the server answered with an error?)`);
        if (uri.scheme !== 'masklab-config') throw new Error(`opened ${uri.toString()}, expected a masklab-config: document`);
        const editor = vscode.window.activeTextEditor;
        if (editor?.document.uri.toString() !== uri.toString()) throw new Error('the resolved config is not the active editor');
        const sourceColumn = vscode.window.visibleTextEditors.find((e) => e.document === source)?.viewColumn;
        if (sourceColumn === undefined || editor.viewColumn === sourceColumn) {
          throw new Error(`the resolved config opened in column ${editor.viewColumn}, not beside its source (column ${sourceColumn})`);
        }
        const document = editor.document;
        if (document.languageId !== 'json') throw new Error(`resolved config shown as "${document.languageId}", expected json`);
        const parsed: unknown = JSON.parse(document.getText());
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the resolved config is not a JSON object');
        record.resolvedConfig = { uri: uri.toString(), keys: Object.keys(parsed) };
        // Read-only is what the editor enforces on typing (API edits reach any model), so the
        // driver checks it by typing into the workbench; here: nothing to save, never dirty.
        if (document.isDirty || document.isUntitled) throw new Error('the resolved config document is dirty or untitled');
        shownUri = uri;
      },
    },
    {
      name: "the server's code lens runs Show Resolved Config for its experiment",
      run: async () => {
        if (!source) throw new Error('the source document did not open (see the first check)');
        const lenses = await withTimeout(
          vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', source.uri, 10),
          30_000,
          'code lenses',
        );
        const lens = lenses?.find((l) => l.command?.command === SHOW_RESOLVED_CONFIG);
        if (!lens?.command) {
          throw new Error(`no code lens with command ${SHOW_RESOLVED_CONFIG} on ${sourceUri.fsPath} (got ${lenses?.length ?? 0} lenses)`);
        }
        const args = lens.command.arguments ?? [];
        const uri = await withTimeout(
          vscode.commands.executeCommand<vscode.Uri | undefined>(lens.command.command, ...args),
          30_000,
          `code lens "${lens.command.title}"`,
        );
        if (uri?.scheme !== 'masklab-config') throw new Error(`the code lens ${JSON.stringify(args)} opened ${uri?.toString() ?? 'nothing'}`);
      },
    },
    {
      name: 'an unknown experiment is reported instead of opening an empty document',
      run: async () => {
        if (!source) throw new Error('the source document did not open (see the first check)');
        const uri = await withTimeout(
          vscode.commands.executeCommand<vscode.Uri | undefined>(SHOW_RESOLVED_CONFIG, source.uri.toString(), 'no_such_experiment_here'),
          30_000,
          SHOW_RESOLVED_CONFIG,
        );
        if (uri !== undefined) throw new Error(`opened ${uri.toString()} for an experiment that does not exist`);
      },
    },
    {
      name: 'editing the source refreshes the open resolved config',
      run: async () => {
        if (!source || !shownUri) throw new Error('no resolved config is open (see the Show Resolved Config check)');
        const seed = /\bseed\s+(\d+)/.exec(source.getText());
        if (!seed) throw new Error(`${sourceUri.fsPath} sets no "seed N" to change`);
        const shown = shownUri.toString();
        const changedSeed = String(Number(seed[1]) + 1);
        const refreshed = new Promise<string>((resolve) => {
          const subscription = vscode.workspace.onDidChangeTextDocument((event) => {
            if (event.document.uri.toString() === shown && new RegExp(`"seed"\\s*:\\s*${changedSeed}\\b`).test(event.document.getText())) {
              subscription.dispose();
              resolve(event.document.getText());
            }
          });
        });
        const edit = new vscode.WorkspaceEdit();
        const start = source.positionAt(seed.index + seed[0].length - seed[1].length);
        edit.replace(source.uri, new vscode.Range(start, start.translate(0, seed[1].length)), changedSeed);
        try {
          if (!(await vscode.workspace.applyEdit(edit))) throw new Error('could not edit the source');
          await withTimeout(refreshed, 15_000, `the resolved config to show "seed": ${changedSeed}`);
        } finally {
          // Leave the file as on disk, so no later window restores an edited copy.
          const column = vscode.window.visibleTextEditors.find((e) => e.document === source)?.viewColumn;
          await vscode.window.showTextDocument(source, { viewColumn: column });
          await vscode.commands.executeCommand('workbench.action.files.revert');
        }
      },
    },
    {
      name: 'Refresh Resolved Config re-asks the server for the open document',
      run: async () => {
        if (!shownUri) throw new Error('no resolved config is open (see the Show Resolved Config check)');
        const refreshed = await withTimeout(
          vscode.commands.executeCommand<boolean>(REFRESH_RESOLVED_CONFIG, shownUri),
          30_000,
          REFRESH_RESOLVED_CONFIG,
        );
        if (refreshed !== true) throw new Error(`${REFRESH_RESOLVED_CONFIG} answered ${String(refreshed)}`);
      },
    },
    ...trainChecks({ api: () => api, source: () => source, broken: brokenUri, record: record.train }),
  ]);

  if (process.env.MASKLAB_TEST_RESULTS) writeFileSync(process.env.MASKLAB_TEST_RESULTS, JSON.stringify(record, null, 2));
  const failed = record.checks.filter((c) => c.outcome === 'failed');
  if (failed.length > 0) {
    throw new Error(`${failed.length} of ${record.checks.length} extension checks failed: ${failed.map((c) => c.name).join('; ')}`);
  }
}
