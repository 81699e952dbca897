// Runs started from the editor (schemas/src/runNotifications.ts): the server resolves the
// experiment exactly as `masklab train` does, refuses to start anything with errors or in an
// untrusted workspace, forks the trainer through the RunManager into the same run store the CLI
// uses, and relays every trainer message to the client as `masklab/runEvent`, ending with the
// manager's `ended`. Evaluate forks `masklab eval` (tfjs never loads in the server). On shutdown
// the runs it started are cancelled: they checkpoint and stay resumable.

import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { ExperimentConfig } from '../../../schemas/src/experimentConfig';
import { endedEvent } from '../../../schemas/src/runEventSchema';
import {
  CANCEL_REQUEST,
  EVALUATE_REQUEST,
  LAST_RUN_REQUEST,
  RUN_EVENT_NOTIFICATION,
  RUNS_DIRECTORY_REQUEST,
  TRAIN_REQUEST,
  WORKSPACE_TRUSTED_NOTIFICATION,
  type CancelResult,
  type EvaluateResult,
  type LastRunResult,
  type RunEvent,
  type RunOrigin,
  type RunsDirectoryResult,
  type TrainResult,
} from '../../../schemas/src/runNotifications';
import type { TrainerMessage } from '../../../schemas/src/trainerMessages';
import { resolveTarget } from '../features/resolvedConfig';
import { evaluateRunInChild, type EvaluationOutcome } from '../runs/evaluationProcess';
import { runsDirectory } from '../runs/projectRoot';
import { resumability } from '../runs/resumability';
import { RunFolder } from '../runs/runFolder';
import { RunManager, type RunEvents, type StartRunRequest } from '../runs/runManager';
import { latestCompletedRun, runsOfExperiment } from '../runs/runsOfExperiment';
import { RunStoreError } from '../runs/writeError';
import { filePathOf, type AnalysedDocument } from './documentStore';
import { readEvaluateParams, readOrigin, readRunId, readTrainParams, readUri } from './runRequestParams';
import { DEFAULT_RUN_SETTINGS, settingsFromChange, settingsFromInitialization, type RunSettings } from './runSettings';

/** What the requests need of a started run (RunHandle; a fake in tests). */
export interface StartedRun {
  readonly runId: string;
  readonly dir: string;
  on<K extends keyof RunEvents>(event: K, listener: (value: RunEvents[K]) => void): () => void;
  cancel(): void;
}

/** What the requests need of the run manager. */
export interface RunStarter {
  start(request: StartRunRequest): StartedRun;
}

export type Evaluator = (runDir: string, signal: AbortSignal) => Promise<EvaluationOutcome | { error: string }>;

export interface RunRequestsDependencies {
  /** The open document's analysis (undefined when the client has not opened it). */
  document(uri: string): AnalysedDocument | undefined;
  workspaceFolder(): string | undefined;
  manager: RunStarter;
  evaluate: Evaluator;
  notify(event: RunEvent): void;
  log(line: string): void;
  /** Which runs are active changed (code lenses show Cancel instead of Train). */
  activeRunsChanged(): void;
}

interface ActiveRun {
  run: StartedRun;
  origin: RunOrigin;
}

const UNTRUSTED =
  'Masklab does not train or evaluate in an untrusted workspace (an experiment names data and model folders and starts processes). ' +
  'Trust this folder (command "Workspaces: Manage Workspace Trust") to train.';

export class RunRequests {
  private settings: RunSettings = DEFAULT_RUN_SETTINGS;
  private readonly active = new Map<string, ActiveRun>();
  private readonly evaluations = new Set<AbortController>();

  constructor(private readonly deps: RunRequestsDependencies) {}

  configure(initializationOptions: unknown): void {
    this.settings = settingsFromInitialization(initializationOptions);
  }

  configurationChanged(settings: unknown): void {
    this.settings = settingsFromChange(this.settings, settings);
  }

  trustGranted(): void {
    this.settings = { ...this.settings, workspaceTrusted: true };
  }

  get currentSettings(): RunSettings {
    return this.settings;
  }

  train(value: unknown): TrainResult {
    if (!this.settings.workspaceTrusted) return { error: UNTRUSTED };
    const params = readTrainParams(value);
    if ('error' in params) return params;
    try {
      if (params.resumeDir !== undefined) return this.resumeFolder(params.resumeDir, 'uri' in params ? params : undefined);
      const origin = params as RunOrigin & { resume?: boolean };
      const document = this.deps.document(origin.uri);
      if (!document) return { error: `${origin.uri} is not open in the editor; open it and train again` };
      const resolved = this.resolve(document, origin);
      if ('error' in resolved) return resolved;
      const runsDir = this.runsDirOf(origin.uri);
      if (origin.resume) {
        const latest = runsOfExperiment(runsDir, { name: origin.experiment, index: origin.index })[0];
        if (!latest) return { error: `${describeOrigin(origin)} has no run to resume in ${runsDir}; start one with Train` };
        return this.resumeFolder(latest.dir, origin);
      }
      return this.startRun({ config: resolved.config, runsDir }, origin);
    } catch (error) {
      // A run store that cannot be written, a trainer that cannot be found: said, not thrown.
      if (error instanceof RunStoreError) return { error: error.message };
      this.deps.log(`train failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return { error: `the run could not start: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  async evaluate(value: unknown): Promise<EvaluateResult> {
    if (!this.settings.workspaceTrusted) return { error: UNTRUSTED };
    const params = readEvaluateParams(value);
    if ('error' in params) return params;
    let runDir: string;
    if ('runDir' in params) {
      runDir = params.runDir;
    } else {
      const runsDir = this.runsDirOf(params.uri);
      const latest = latestCompletedRun(runsDir, { name: params.experiment, index: params.index });
      if (!latest) return { error: `${describeOrigin(params)} has no completed run in ${runsDir} to evaluate; train it first` };
      runDir = latest.dir;
    }
    const controller = new AbortController();
    this.evaluations.add(controller);
    try {
      this.deps.log(`evaluating ${runDir}`);
      const outcome = await this.deps.evaluate(runDir, controller.signal);
      if ('error' in outcome) return { error: `cannot evaluate ${runDir}: ${outcome.error}` };
      return { runDir: outcome.runDir, metrics: outcome.metrics };
    } finally {
      this.evaluations.delete(controller);
    }
  }

  cancel(value: unknown): CancelResult {
    const runId = readRunId(value);
    if (typeof runId !== 'string') return runId;
    const active = this.active.get(runId);
    if (!active) {
      return { error: `run ${runId} is not being trained by this editor (it ended, or was started elsewhere: stop a terminal run with Ctrl-C there)` };
    }
    active.run.cancel();
    return { cancelled: true };
  }

  lastRun(value: unknown): LastRunResult {
    const origin = readOrigin(value, 'masklab/lastRun');
    if ('error' in origin) return origin;
    const runsDir = this.runsDirOf(origin.uri);
    const latest = runsOfExperiment(runsDir, { name: origin.experiment, index: origin.index })[0];
    return latest ? { runDir: latest.dir } : { error: `${describeOrigin(origin)} has no runs yet in ${runsDir}; train it first` };
  }

  runsDirectory(value: unknown): RunsDirectoryResult | { error: string } {
    const uri = readUri(value, 'masklab/runsDirectory');
    return typeof uri === 'string' ? { runsDir: this.runsDirOf(uri) } : uri;
  }

  /** Runs of experiment or sweep `name` in document `uri` being trained now (for its code lenses). */
  activeRunsOf(uri: string, name: string): { runId: string; index?: number }[] {
    const found: { runId: string; index?: number }[] = [];
    for (const [runId, { origin }] of this.active) {
      if (origin.uri === uri && origin.experiment === name) found.push(origin.index === undefined ? { runId } : { runId, index: origin.index });
    }
    return found;
  }

  get activeRunIds(): string[] {
    return [...this.active.keys()];
  }

  /** Shutdown: every run this server started stops at its next step, checkpointed and resumable. */
  dispose(): void {
    for (const { run } of this.active.values()) run.cancel();
    for (const controller of this.evaluations) controller.abort();
  }

  private resolve(document: AnalysedDocument, origin: RunOrigin): { config: ExperimentConfig } | { error: string } {
    const result = resolveTarget(document.analysis, { name: origin.experiment, index: origin.index });
    if ('errors' in result) {
      const file = path.basename(filePathOf(document.uri, this.deps.workspaceFolder()));
      const lines = result.errors.map((problem) => {
        if (!problem.span) return `${file}: ${problem.message}`;
        const at = document.lines.positionAt(problem.span.start);
        return `${file}:${at.line + 1}:${at.character + 1}: ${problem.message}`;
      });
      const count = lines.length === 1 ? '1 error' : `${lines.length} errors`;
      return { error: `${describeOrigin(origin)} was not started: ${count} (see the Problems panel)\n${lines.join('\n')}` };
    }
    const config = result.config;
    // The setting picks the backend only where the experiment leaves the choice open.
    if (config.device.backend === 'auto' && this.settings.trainerBackend !== 'auto') {
      return { config: { ...config, device: { ...config.device, backend: this.settings.trainerBackend } } };
    }
    return { config };
  }

  private resumeFolder(dir: string, origin: RunOrigin | undefined): TrainResult {
    const folder = new RunFolder(dir);
    if (!folder.isRun()) return { error: `${folder.dir} is not a run folder (it has no config.json)` };
    const verdict = resumability(folder);
    if (verdict === 'completed') return { error: `${folder.group}/${folder.runId} already completed; nothing to resume (train again for a new run)` };
    if (typeof verdict === 'number') return { error: `${folder.group}/${folder.runId} is being trained right now by process ${verdict}` };
    const config = folder.readConfig();
    const from: RunOrigin = origin ?? {
      uri: URI.file(config.source.file).toString(),
      experiment: config.sweep?.name ?? config.experiment,
      ...(config.sweep ? { index: config.sweep.index } : {}),
    };
    return this.startRun({ resumeDir: folder.dir }, from);
  }

  private startRun(request: StartRunRequest, origin: RunOrigin): TrainResult {
    const run = this.deps.manager.start(request);
    const { runId, dir: runDir } = run;
    this.active.set(runId, { run, origin });
    this.deps.log(`${'resumeDir' in request ? 'resuming' : 'training'} ${describeOrigin(origin)} → ${runDir}`);
    const send = (event: TrainerMessage | RunEvent['event']) => this.deps.notify({ runId, runDir, origin, event });
    const offMessage = run.on('message', (message) => send(message));
    const offProblem = run.on('protocol-error', ({ problem }) => this.deps.log(`run ${runId}: rejected a message from the trainer: ${problem}`));
    const offEnd = run.on('end', (end) => {
      offMessage();
      offProblem();
      offEnd();
      this.active.delete(runId);
      send(endedEvent(runId, { state: end.state, step: end.step, message: end.message, resumable: end.resumable, logFile: new RunFolder(runDir).file('log') }));
      this.deps.log(`run ${runId} ${end.state} at step ${end.step}${end.message ? `: ${end.message.split('\n')[0]}` : ''}`);
      this.deps.activeRunsChanged();
    });
    this.deps.activeRunsChanged();
    return { runId, runDir };
  }

  private runsDirOf(uri: string): string {
    const workspaceFolder = this.deps.workspaceFolder();
    const experimentFile = filePathOf(uri, workspaceFolder);
    return runsDirectory({ experimentFile, configured: this.settings.runsDirectory, base: workspaceFolder ?? path.dirname(experimentFile) });
  }
}

function describeOrigin(origin: { experiment: string; index?: number }): string {
  return origin.index === undefined ? `'${origin.experiment}'` : `cell ${origin.index} of '${origin.experiment}'`;
}


/**
 * Registers the run requests on the connection; the caller forwards initialize options, settings
 * changes and shutdown (the connection takes one handler for each of those).
 */
export function registerRunRequests(
  connection: Connection,
  options: Pick<RunRequestsDependencies, 'document' | 'workspaceFolder' | 'activeRunsChanged'> & Partial<Pick<RunRequestsDependencies, 'manager' | 'evaluate'>>,
): RunRequests {
  const requests = new RunRequests({
    document: options.document,
    workspaceFolder: options.workspaceFolder,
    activeRunsChanged: options.activeRunsChanged,
    manager: options.manager ?? new RunManager(),
    evaluate: options.evaluate ?? ((runDir, signal) => evaluateRunInChild(runDir, { signal })),
    notify: (event) => void connection.sendNotification(RUN_EVENT_NOTIFICATION, event),
    log: (line) => connection.console.log(`masklab: ${line}`),
  });
  connection.onRequest(TRAIN_REQUEST, (params: unknown) => requests.train(params));
  connection.onRequest(EVALUATE_REQUEST, (params: unknown) => requests.evaluate(params));
  connection.onRequest(CANCEL_REQUEST, (params: unknown) => requests.cancel(params));
  connection.onRequest(LAST_RUN_REQUEST, (params: unknown) => requests.lastRun(params));
  connection.onRequest(RUNS_DIRECTORY_REQUEST, (params: unknown) => requests.runsDirectory(params));
  connection.onNotification(WORKSPACE_TRUSTED_NOTIFICATION, () => requests.trustGranted());
  return requests;
}
