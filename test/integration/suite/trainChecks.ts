// In-editor checks of runs started from the editor, run by suite/index.ts inside the real
// extension host: the Train code lens starts a run of the quickstart whose events reach the
// extension (its lens turns into Cancel), Cancel stops it resumably, the Runs view lists it,
// Resume continues it from its checkpoint, and a file with errors trains nothing. (Evaluate runs
// on the completed run the workbench test trains: trainInEditor.ts.)

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Check } from './checks';
import { withTimeout } from './waiting';

const TRAIN = 'masklab.train';
const CANCEL = 'masklab.cancelRun';
const RESUME = 'masklab.resumeRun';

/** The part of the extension's API these checks use (client/src/runs/runsInEditor.ts). */
export interface RunsApiLike {
  onRunEvent(listener: (event: { runId: string; runDir: string; event: { type: string; state?: string; resumable?: boolean; step?: number } }) => void): { dispose(): void };
  listedRuns(): { runDir: string; runId: string; state: string; description: string }[];
}

export interface TrainRecord {
  runDir?: string;
  /** Event types of the first (cancelled) segment, in order, deduplicated in runs. */
  events?: string[];
}

type RunEventLike = Parameters<Parameters<RunsApiLike['onRunEvent']>[0]>[0];

/** Resolves with the first event of `runId` that `accept`s, collecting every event meanwhile. */
function waitForEvent(api: RunsApiLike, runId: () => string | undefined, accept: (e: RunEventLike) => boolean, ms: number, what: string, seen?: string[]) {
  let subscription: { dispose(): void } | undefined;
  const found = new Promise<RunEventLike>((resolve) => {
    subscription = api.onRunEvent((e) => {
      if (e.runId !== runId()) return;
      if (seen && seen.at(-1) !== e.event.type) seen.push(e.event.type);
      if (accept(e)) resolve(e);
    });
  });
  return withTimeout(found, ms, what).finally(() => subscription?.dispose());
}

async function poll<T>(read: () => T | undefined | Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function lensesOf(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await withTimeout(vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 50), 30_000, 'code lenses')) ?? [];
}

export function trainChecks(options: { api: () => { runs?: RunsApiLike } | undefined; source: () => vscode.TextDocument | undefined; broken: vscode.Uri; record: TrainRecord }): Check[] {
  const { record } = options;
  let runId: string | undefined;
  const runs = (): RunsApiLike => {
    const api = options.api()?.runs;
    if (!api) throw new Error('the extension API has no `runs` (see the activation check)');
    return api;
  };

  return [
    {
      name: 'the Train code lens starts a run whose events reach the extension; its lens turns into Cancel, which stops the run resumably',
      run: async () => {
        const source = options.source();
        if (!source) throw new Error('the source document did not open (see the first check)');
        const api = runs();
        const lens = (await lensesOf(source.uri)).find((l) => l.command?.command === TRAIN && (l.command.arguments ?? []).length === 2);
        if (!lens?.command) throw new Error(`no Train code lens on ${source.uri.fsPath}`);
        const seen: string[] = [];
        const progressed = waitForEvent(api, () => runId, (e) => e.event.type === 'progress', 90_000, 'the run’s first progress event', seen);
        // Metrics come with the first evaluation (every 60 steps in the quickstart), after the first progress event.
        const measured = waitForEvent(api, () => runId, (e) => e.event.type === 'metrics', 120_000, 'the run’s first metrics event', seen);
        const result = await withTimeout(
          vscode.commands.executeCommand<{ runId: string; runDir: string } | { error: string } | undefined>(lens.command.command, ...(lens.command.arguments ?? [])),
          30_000,
          `code lens "${lens.command.title}"`,
        );
        if (!result || 'error' in result) throw new Error(`Train answered ${JSON.stringify(result)}`);
        runId = result.runId;
        record.runDir = result.runDir;
        await progressed;
        await measured;

        const cancelLens = await poll(
          async () => (await lensesOf(source.uri)).find((l) => l.command?.command === CANCEL && l.command.arguments?.[0] === runId),
          15_000,
          'the Train lens to turn into Cancel while the run trains',
        );
        const ended = waitForEvent(api, () => runId, (e) => e.event.type === 'ended', 60_000, 'the cancelled run to end', seen);
        const cancelled = await vscode.commands.executeCommand<{ cancelled?: boolean; error?: string }>(cancelLens.command!.command, ...(cancelLens.command!.arguments ?? []));
        if (cancelled?.cancelled !== true) throw new Error(`Cancel answered ${JSON.stringify(cancelled)}`);
        const end = await ended;
        record.events = seen;
        if (end.event.state !== 'cancelled' || end.event.resumable !== true) throw new Error(`the run ended ${JSON.stringify(end.event)}, expected cancelled and resumable`);
        for (const type of ['started', 'progress', 'metrics']) if (!seen.includes(type)) throw new Error(`no '${type}' event reached the extension (saw ${seen.join(', ')})`);
        await poll(() => runs().listedRuns().find((r) => r.runId === runId && r.state === 'cancelled'), 15_000, `the Runs view to list ${runId} as cancelled`);
      },
    },
    {
      name: 'Resume from the Runs view continues the cancelled run from its checkpoint; Cancel stops it again',
      run: async () => {
        const runDir = record.runDir;
        if (!runDir || !runId) throw new Error('no cancelled run (see the previous check)');
        const api = runs();
        const node = { kind: 'run', runDir, runId };
        const started = waitForEvent(api, () => runId, (e) => e.event.type === 'started', 60_000, 'the resumed run to start');
        const resumed = await vscode.commands.executeCommand<{ runId?: string; error?: string }>(RESUME, node);
        if (resumed?.runId !== runId) throw new Error(`Resume answered ${JSON.stringify(resumed)}`);
        const first = (await started).event as { resumedFromStep?: number };
        if (typeof first.resumedFromStep !== 'number') throw new Error(`the resumed run did not start from a checkpoint: ${JSON.stringify(first)}`);
        const ended = waitForEvent(api, () => runId, (e) => e.event.type === 'ended', 60_000, 'the resumed run to stop');
        const cancelled = await vscode.commands.executeCommand<{ cancelled?: boolean }>(CANCEL, node);
        if (cancelled?.cancelled !== true) throw new Error(`Cancel answered ${JSON.stringify(cancelled)}`);
        const end = await ended;
        if (end.event.state !== 'cancelled' || (end.event.step ?? -1) < first.resumedFromStep) throw new Error(`the resumed run ended ${JSON.stringify(end.event)}`);
        const status = JSON.parse(readFileSync(path.join(runDir, 'status.json'), 'utf8')) as { segments: number };
        if (status.segments !== 2) throw new Error(`status.json counts ${status.segments} segments, expected 2 (started, resumed)`);
      },
    },
    {
      name: 'Train on a file with errors starts nothing and says why',
      skip: existsSync(options.broken.fsPath) ? undefined : `${options.broken.fsPath} does not exist`,
      run: async () => {
        const broken = await vscode.workspace.openTextDocument(options.broken);
        const storeOf = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);
        const store = record.runDir ? path.dirname(record.runDir) : undefined;
        const before = store ? storeOf(store).length : 0;
        const result = await vscode.commands.executeCommand<{ error?: string; runId?: string }>(TRAIN, broken.uri.toString(), 'quickstart');
        if (!result?.error) throw new Error(`Train answered ${JSON.stringify(result)} for a file with errors`);
        if (!/was not started/.test(result.error) || !/learning_rat/.test(result.error)) throw new Error(`the refusal does not name the problem: ${result.error}`);
        if (store && storeOf(store).length !== before) throw new Error('a run folder was created for a file with errors');
      },
    },
  ];
}
