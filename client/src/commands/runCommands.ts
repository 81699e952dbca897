// The run commands of code lenses, the palette, the editor menus and the status bar: Train,
// Evaluate (the latest completed run, or a run picked in the Runs view), Cancel, Open last run,
// Resume, and the status bar's "Active run…" choices. The language server does the work
// (schemas/src/runNotifications.ts); these ask what is missing, refuse to train in an untrusted
// workspace, and say what happened. Each returns what it did (tests use it) or undefined.

import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CANCEL_REQUEST,
  EVALUATE_REQUEST,
  LAST_RUN_REQUEST,
  TRAIN_REQUEST,
  type CancelResult,
  type EvaluateResult,
  type LastRunResult,
  type RunOrigin,
  type TrainParams,
  type TrainResult,
} from '../../../schemas/src/runNotifications';
import { Commands } from '../contributions';
import { openMetrics, request as sendRunRequest, type RunsContext } from '../runs/runsContext';
import { formatValue, originLabel } from '../runs/runText';
import { activeSourceUri, askForCell, askForExperiment, type ExperimentTarget } from './pickExperiment';
import { readRunCommandArguments, type RunCommandRequest } from './runCommandArguments';

export function registerRunCommands(context: RunsContext): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.train, (...args: unknown[]) => train(context, args)),
    vscode.commands.registerCommand(Commands.evaluate, (...args: unknown[]) => evaluate(context, args)),
    vscode.commands.registerCommand(Commands.cancelRun, (...args: unknown[]) => cancelRun(context, args)),
    vscode.commands.registerCommand(Commands.openLastRun, (...args: unknown[]) => openLastRun(context, args)),
    vscode.commands.registerCommand(Commands.resumeRun, (...args: unknown[]) => resumeRun(context, args)),
    vscode.commands.registerCommand(Commands.runActions, () => runActions(context)),
  );
}

function readArguments(args: unknown[], command: string): RunCommandRequest | undefined {
  const request = readRunCommandArguments(args);
  if ('error' in request) {
    void vscode.window.showErrorMessage(`Masklab: ${command} was called wrongly: ${request.error}.`);
    return undefined;
  }
  return request;
}

/** The experiment (or sweep cell) the command is about, asking for whatever the arguments leave open. */
async function targetOf(request: RunCommandRequest, title: string, what: string): Promise<ExperimentTarget | undefined> {
  const sourceUri = activeSourceUri(request.sourceUri, what);
  if (!sourceUri) return undefined;
  if (request.experiment === undefined) return askForExperiment(sourceUri, title);
  if (request.index === undefined && request.cells) {
    const index = await askForCell(request.experiment, title, request.cells);
    return index === undefined ? undefined : { sourceUri, experiment: request.experiment, index };
  }
  return { sourceUri, experiment: request.experiment, index: request.index };
}

function originOf(target: ExperimentTarget): RunOrigin {
  return target.index === undefined ? { uri: target.sourceUri, experiment: target.experiment } : { uri: target.sourceUri, experiment: target.experiment, index: target.index };
}

/** Refuses (with the way out) in an untrusted workspace; the server refuses as well. */
function trusted(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(`Masklab does not ${action} in an untrusted workspace: an experiment names data and model folders, and training starts processes that read them.`, 'Manage Workspace Trust')
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}

async function train(context: RunsContext, args: unknown[]): Promise<TrainResult | undefined> {
  const request = readArguments(args, 'Train');
  if (!request) return undefined;
  if (!trusted('train')) return undefined;
  if (request.runs) return resumeRuns(context, request.runs.map((r) => r.runDir));
  const target = await targetOf(request, 'Masklab: Train', 'train an experiment');
  if (!target) return undefined;
  const origin = originOf(target);
  const already = context.activity.active.find((r) => r.origin.uri === origin.uri && r.origin.experiment === origin.experiment && r.origin.index === origin.index);
  if (already) {
    const choice = await vscode.window.showWarningMessage(
      `Masklab: ${originLabel(origin)} is training already (run ${already.runId}). Start another run of it alongside?`,
      { modal: true },
      'Start another run',
    );
    if (choice !== 'Start another run') return undefined;
  }
  return startTraining(context, origin, origin);
}

async function startTraining(context: RunsContext, params: TrainParams | { resumeDir: string }, origin: RunOrigin | undefined): Promise<TrainResult> {
  const result = await sendRunRequest<TrainResult>(context, TRAIN_REQUEST, params);
  if ('error' in result) {
    const [first, ...details] = result.error.split('\n');
    for (const line of [first, ...details]) context.activity.output.appendLine(`train: ${line}`);
    const actions = details.length > 0 ? ['Show problems', 'Show output'] : ['Show output'];
    void vscode.window.showErrorMessage(`Masklab: ${first}${details.length > 0 ? ` ${details[0]}` : ''}`, ...actions).then((choice) => {
      if (choice === 'Show problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
      if (choice === 'Show output') context.activity.output.show(true);
    });
    return result;
  }
  context.activity.track(result.runId, result.runDir, origin ?? { uri: vscode.Uri.file(result.runDir).toString(), experiment: path.basename(path.dirname(result.runDir)) });
  void context.view.reveal(result.runDir).catch(() => undefined);
  return result;
}

async function resumeRuns(context: RunsContext, runDirs: string[]): Promise<TrainResult | undefined> {
  let last: TrainResult | undefined;
  // The server names the origin in the run's events (from the config saved in the run).
  for (const runDir of runDirs) last = await startTraining(context, { resumeDir: runDir }, undefined);
  return last;
}

async function resumeRun(context: RunsContext, args: unknown[]): Promise<TrainResult | undefined> {
  const request = readArguments(args, 'Resume Run');
  if (!request) return undefined;
  if (!trusted('train')) return undefined;
  if (request.runs) return resumeRuns(context, request.runs.map((r) => r.runDir));
  if (request.experiment !== undefined || request.sourceUri !== undefined) {
    const target = await targetOf(request, 'Masklab: Resume Run', 'resume a run');
    return target ? startTraining(context, { ...originOf(target), resume: true }, originOf(target)) : undefined;
  }
  // From the palette: the runs that can be resumed, newest first.
  context.view.refresh();
  const resumable = context.view.allRuns().filter((r) => /\bresumable\b/.test(r.contextValue));
  if (resumable.length === 0) {
    void vscode.window.showInformationMessage('Masklab: no cancelled, failed or interrupted run to resume in the run stores of this workspace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    resumable.sort((a, b) => b.runId.localeCompare(a.runId)).map((run) => ({ label: run.runId, description: `${path.basename(path.dirname(run.runDir))} · ${run.description}`, run })),
    { title: 'Masklab: Resume Run', placeHolder: 'Which run? It continues from its last checkpoint.', matchOnDescription: true },
  );
  return picked ? resumeRuns(context, [picked.run.runDir]) : undefined;
}

async function evaluate(context: RunsContext, args: unknown[]): Promise<EvaluateResult | undefined> {
  const request = readArguments(args, 'Evaluate');
  if (!request) return undefined;
  if (!trusted('evaluate')) return undefined;
  let params: { runDir: string } | RunOrigin;
  let label: string;
  if (request.runs && request.runs.length > 0) {
    params = { runDir: request.runs[0].runDir };
    label = request.runs[0].runId;
  } else {
    const target = await targetOf(request, 'Masklab: Evaluate', 'evaluate the latest run of an experiment');
    if (!target) return undefined;
    params = originOf(target);
    label = originLabel(params);
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Masklab: evaluating ${label} on its dev set` },
    () => sendRunRequest<EvaluateResult>(context, EVALUATE_REQUEST, params),
  );
  const output = context.activity.output;
  if ('error' in result) {
    output.appendLine(`evaluate ${label}: ${result.error}`);
    void vscode.window.showErrorMessage(`Masklab: ${result.error.split('\n')[0]}`, 'Show output').then((choice) => {
      if (choice) output.show(true);
    });
    return result;
  }
  const values = Object.entries(result.metrics)
    .sort(([a], [b]) => Number(a === 'loss') - Number(b === 'loss'))
    .map(([k, v]) => `${k} ${formatValue(v)}`)
    .join(' · ');
  output.appendLine(`evaluated ${result.runDir}: ${values}`);
  void vscode.window.showInformationMessage(`Masklab: ${label} (${path.basename(result.runDir)}) on its dev set: ${values}`, 'Open metrics').then((choice) => {
    if (choice) void openMetrics([result.runDir]);
  });
  return result;
}

async function cancelRun(context: RunsContext, args: unknown[]): Promise<CancelResult | undefined> {
  const request = readArguments(args, 'Cancel Run');
  if (!request) return undefined;
  let runId = request.runId ?? request.runs?.[0]?.runId;
  if (runId === undefined) {
    const active = context.activity.active;
    if (active.length === 0) {
      void vscode.window.showInformationMessage('Masklab: no run is training in this window.');
      return undefined;
    }
    if (active.length === 1) {
      runId = active[0].runId;
    } else {
      const picked = await vscode.window.showQuickPick(
        active.map((r) => ({ label: originLabel(r.origin), description: r.runId, runId: r.runId })),
        { title: 'Masklab: Cancel Run', placeHolder: 'Which run? It checkpoints and stops; resume it later.' },
      );
      runId = picked?.runId;
    }
  }
  if (runId === undefined) return undefined;
  const result = await sendRunRequest<CancelResult>(context, CANCEL_REQUEST, { runId });
  if ('error' in result) void vscode.window.showErrorMessage(`Masklab: ${result.error}`);
  else context.activity.output.appendLine(`cancelling run ${runId}: it checkpoints, then stops (resumable)`);
  return result;
}

async function openLastRun(context: RunsContext, args: unknown[]): Promise<LastRunResult | undefined> {
  const request = readArguments(args, 'Open Last Run');
  if (!request) return undefined;
  const target = await targetOf(request, 'Masklab: Open Last Run', 'open the last run of an experiment');
  if (!target) return undefined;
  const origin = originOf(target);
  const result = await sendRunRequest<LastRunResult>(context, LAST_RUN_REQUEST, origin);
  if ('error' in result) {
    void vscode.window.showInformationMessage(`Masklab: ${result.error}`);
    return result;
  }
  await vscode.commands.executeCommand('workbench.view.extension.masklab').then(undefined, () => undefined);
  await context.view.reveal(result.runDir).catch(() => undefined);
  await openMetrics([result.runDir]);
  return result;
}

/** The status bar's click: cancel or show the active run(s). */
async function runActions(context: RunsContext): Promise<void> {
  const active = context.activity.active;
  if (active.length === 0) {
    context.activity.output.show(true);
    return;
  }
  type Item = vscode.QuickPickItem & { run: () => unknown };
  const items: Item[] = [];
  for (const run of active) {
    const name = originLabel(run.origin);
    const node = { kind: 'run', runDir: run.runDir, runId: run.runId };
    items.push(
      { label: `$(graph-line) Open metrics of ${name}`, description: run.runId, run: () => openMetrics([run.runDir]) },
      { label: `$(debug-stop) Cancel ${name}`, description: 'checkpoints, then stops (resumable)', run: () => cancelRun(context, [run.runId]) },
      { label: `$(list-tree) Show ${name} in the Runs view`, run: () => context.view.reveal(run.runDir) },
      { label: `$(output) Show trainer output`, run: () => context.activity.output.show(true) },
      { label: `$(file) Open trainer.log`, run: () => vscode.commands.executeCommand(Commands.showRunLog, node) },
    );
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'Masklab: Active Run' });
  await picked?.run();
}
