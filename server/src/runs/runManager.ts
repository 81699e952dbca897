// The run manager: starts each run in its own trainer process (child_process.fork), relays the
// trainer's messages as events, cancels, and records what the trainer could not (a trainer killed
// by SIGKILL or dying at start never writes its own ending). Used by the CLI now and by the
// language server later; it knows nothing about terminals or LSP.

import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { ExperimentConfig } from '../../../schemas/src/experimentConfig';
import type { RunState, RunStatus } from '../../../schemas/src/runRecord';
import type { RunSummary } from '../../../schemas/src/runSummary';
import { readTrainerMessage } from '../../../schemas/src/trainerMessageSchema';
import { TRAINER_PROTOCOL_VERSION, type StartCommand, type TrainerMessage } from '../../../schemas/src/trainerMessages';
import { createRunFolder, RunFolder } from './runFolder';
import { nowIso, processIsAlive, writeRunStatus } from './runStatus';
import { trainerEntry, type TrainerEntry } from './trainerLaunch';
import { describeWriteError, RunStoreError } from './writeError';

export type StartRunRequest =
  /**
   * A new run of `config` in a fresh folder of the run store `runsDir`; `runId` is the id to try
   * first (a sweep's cells share a stem), a fresh one is drawn when it is taken.
   */
  | { config: ExperimentConfig; runsDir: string; runId?: string }
  /** Continue the run in `resumeDir` from its newest checkpoint, with the config saved there. */
  | { resumeDir: string };

/** How a run ended, as recorded in its status.json. */
export interface RunEnd {
  state: Exclude<RunState, 'running'>;
  /** Last step finished. */
  step: number;
  /** Why it failed or stopped (null when it completed). */
  message: string | null;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** summary.json, when the run completed or was cancelled. */
  summary: RunSummary | undefined;
  resumable: boolean;
}

export interface RunEvents {
  /** A checked message from the trainer. */
  message: TrainerMessage;
  /** Something the trainer sent that is not a valid message: logged to trainer.log and not acted on. */
  'protocol-error': { problem: string };
  end: RunEnd;
}

type Listener<T> = (event: T) => void;

export class RunHandle {
  readonly runId: string;
  readonly folder: RunFolder;
  readonly config: ExperimentConfig;
  readonly resumed: boolean;
  /** Resolves when the trainer process has ended and the run's status is final. */
  readonly done: Promise<RunEnd>;
  private readonly listeners: { [K in keyof RunEvents]: Set<Listener<RunEvents[K]>> } = {
    message: new Set(),
    'protocol-error': new Set(),
    end: new Set(),
  };
  private child: ChildProcess | undefined;
  private cancelRequested = false;
  private resolveDone!: (end: RunEnd) => void;

  constructor(folder: RunFolder, config: ExperimentConfig, resumed: boolean) {
    this.folder = folder;
    this.runId = folder.runId;
    this.config = config;
    this.resumed = resumed;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get dir(): string {
    return this.folder.dir;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Subscribes to one kind of event; returns the unsubscribe function. */
  on<K extends keyof RunEvents>(event: K, listener: Listener<RunEvents[K]>): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  /** Stops the run at the next step; the trainer checkpoints first, so the run stays resumable. */
  cancel(): void {
    this.cancelRequested = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send({ type: 'cancel' });
    else child.kill('SIGTERM');
  }

  /** Ends the trainer at once (no checkpoint): for a trainer that does not answer cancel. */
  kill(): void {
    this.child?.kill('SIGKILL');
  }

  get cancelling(): boolean {
    return this.cancelRequested;
  }

  /** @internal */
  attach(child: ChildProcess): void {
    this.child = child;
  }

  /** @internal */
  emit<K extends keyof RunEvents>(event: K, value: RunEvents[K]): void {
    for (const listener of [...this.listeners[event]]) {
      try {
        listener(value);
      } catch {
        // a listener's bug must not break the run's bookkeeping
      }
    }
  }

  /** @internal */
  finish(end: RunEnd): void {
    this.emit('end', end);
    this.resolveDone(end);
  }
}

export interface RunManagerOptions {
  /** The trainer to fork (default: trainerEntry()). */
  entry?: TrainerEntry;
  /** The trainer's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

export class RunManager {
  private readonly active = new Set<RunHandle>();
  private readonly startListeners = new Set<Listener<RunHandle>>();

  constructor(private readonly options: RunManagerOptions = {}) {}

  /** Runs being trained now. */
  get runs(): readonly RunHandle[] {
    return [...this.active];
  }

  onDidStart(listener: Listener<RunHandle>): () => void {
    this.startListeners.add(listener);
    return () => this.startListeners.delete(listener);
  }

  /**
   * Creates (or reopens, to resume) the run folder and forks its trainer. Throws a RunStoreError
   * when the folder cannot be created or is not a run; everything later arrives as events.
   */
  start(request: StartRunRequest): RunHandle {
    let folder: RunFolder;
    let config: ExperimentConfig;
    const resumed = 'resumeDir' in request;
    if ('resumeDir' in request) {
      folder = new RunFolder(request.resumeDir);
      if (!folder.isRun()) throw new RunStoreError(`${folder.dir} is not a run folder (it has no config.json)`);
      config = folder.readConfig();
    } else {
      config = request.config;
      folder = createRunFolder(request.runsDir, config, { runId: request.runId });
    }
    const handle = new RunHandle(folder, config, resumed);
    const entry = this.options.entry ?? trainerEntry(this.options.env ?? process.env);
    const logFile = folder.file('log');
    let logFd: number;
    try {
      logFd = fs.openSync(logFile, 'a');
    } catch (error) {
      throw describeWriteError(error, logFile, 'open');
    }
    const managerLog = (line: string) => {
      try {
        fs.appendFileSync(logFile, `${new Date().toISOString()} [run manager ${process.pid}] ${line}\n`);
      } catch {
        // the log is for people; losing a line of it is not worth failing the run
      }
    };
    let child: ChildProcess;
    try {
      child = fork(entry.file, [], {
        execArgv: entry.execArgv,
        env: this.options.env ?? process.env,
        stdio: ['ignore', logFd, logFd, 'ipc'],
        serialization: 'json',
      });
    } finally {
      fs.closeSync(logFd);
    }
    handle.attach(child);
    this.active.add(handle);
    managerLog(`${resumed ? 'resuming' : 'starting'} run ${handle.runId}: trainer ${entry.file} (pid ${child.pid ?? 'none'})`);
    if (!resumed && child.pid !== undefined) writeInitialStatus(folder, handle.runId, child.pid);

    let lastStep = 0;
    let spawnError: Error | undefined;
    let reportedFailure: string | undefined;
    child.on('message', (value: unknown) => {
      const checked = readTrainerMessage(value);
      if (!checked.ok) {
        managerLog(`rejected a message from the trainer: ${checked.problem}`);
        handle.emit('protocol-error', { problem: checked.problem });
        return;
      }
      if (checked.value.runId !== handle.runId) {
        const problem = `a message for run '${checked.value.runId}' arrived on the channel of run '${handle.runId}'`;
        managerLog(`rejected a message from the trainer: ${problem}`);
        handle.emit('protocol-error', { problem });
        return;
      }
      const message = checked.value;
      if ('step' in message && typeof message.step === 'number') lastStep = Math.max(lastStep, message.step);
      if (message.type === 'failed') reportedFailure = message.message;
      handle.emit('message', message);
    });
    child.on('error', (error) => {
      spawnError = error;
      managerLog(`the trainer process failed: ${error.message}`);
    });
    // 'close', not 'exit': it comes after the IPC channel has delivered the trainer's last messages.
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      this.active.delete(handle);
      let end: RunEnd;
      try {
        end = settleRun(folder, handle.runId, child.pid, code, signal, { lastStep, spawnError, reportedFailure }, managerLog);
      } catch (error) {
        // Whatever went wrong reading the folder, `done` must still resolve.
        const message = `cannot read the run's ending: ${(error as Error).message}`;
        managerLog(message);
        end = { state: 'failed', step: lastStep, message, exitCode: code, signal, summary: undefined, resumable: false };
      }
      handle.finish(end);
    });

    const start: StartCommand = { type: 'start', protocol: TRAINER_PROTOCOL_VERSION, runId: handle.runId, config, runDir: folder.dir, resume: resumed };
    child.send(start, (error) => {
      if (error) managerLog(`cannot send the start command to the trainer: ${error.message}`);
    });
    for (const listener of [...this.startListeners]) listener(handle);
    return handle;
  }

  cancelAll(): void {
    for (const handle of this.active) handle.cancel();
  }
}

function writeInitialStatus(folder: RunFolder, runId: string, pid: number): void {
  const now = nowIso();
  const status: RunStatus = {
    schemaVersion: 1,
    run_id: runId,
    state: 'running',
    pid,
    host: os.hostname(),
    started_at: now,
    heartbeat: now,
    ended_at: null,
    elapsed_seconds: 0,
    step: 0,
    steps_total: null,
    last_checkpoint: null,
    resumable: false,
    message: null,
    segments: 1,
  };
  try {
    writeRunStatus(folder.dir, status);
  } catch {
    // The trainer writes its own status at once; if the folder cannot take this one, it reports why.
  }
}

/**
 * After the trainer exits: when it did not record an ending (killed, crashed, never started),
 * the manager records one — failed, resumable when a checkpoint exists — and reads the outcome.
 */
function settleRun(
  folder: RunFolder,
  runId: string,
  pid: number | undefined,
  code: number | null,
  signal: NodeJS.Signals | null,
  seen: { lastStep: number; spawnError: Error | undefined; reportedFailure: string | undefined },
  log: (line: string) => void,
): RunEnd {
  const { lastStep, spawnError, reportedFailure } = seen;
  const read = folder.readStatus();
  let status = 'status' in read ? read.status : undefined;
  const ownedByThisTrainer = status === undefined || (status.state === 'running' && (status.pid === pid || status.pid === null || !processIsAlive(status.pid)));
  if (ownedByThisTrainer && (status === undefined || status.state === 'running')) {
    const checkpoints = folder.checkpoints();
    const last = checkpoints.length > 0 ? checkpoints[checkpoints.length - 1].step : null;
    const how = spawnError
      ? `the trainer could not start (${spawnError.message})`
      : signal
        ? `the trainer was killed by ${signal}`
        : `the trainer exited with code ${code} without finishing`;
    const resume = last !== null ? `; resume from the checkpoint at step ${last} with: masklab train --resume ${folder.dir}` : '';
    // A killed trainer said nothing worth quoting; one that exited on its own may have printed why.
    const tail = signal ? '' : crashReason(folder.file('log'), 3);
    const message = `${how} at step ${Math.max(lastStep, status?.step ?? 0)}${resume}${tail ? `\n${tail}` : ''}`;
    const now = nowIso();
    status = {
      schemaVersion: 1,
      run_id: runId,
      host: os.hostname(),
      started_at: now,
      heartbeat: now,
      elapsed_seconds: 0,
      steps_total: null,
      segments: 1,
      ...status,
      state: 'failed',
      pid: null,
      ended_at: now,
      step: Math.max(lastStep, status?.step ?? 0),
      last_checkpoint: last,
      resumable: last !== null,
      message,
    };
    try {
      writeRunStatus(folder.dir, status);
    } catch (error) {
      log(`cannot record the run's failure: ${(error as Error).message}`);
    }
    log(message.split('\n')[0]);
  }
  // Still `running` here: the folder belongs to another live trainer, which this one refused to disturb.
  const foreign = status?.state === 'running';
  const state: RunEnd['state'] = status && !foreign ? (status.state as RunEnd['state']) : 'failed';
  let summary: RunSummary | undefined;
  if (state !== 'failed') {
    try {
      summary = folder.readSummary();
    } catch (error) {
      log(`cannot read the summary: ${(error as Error).message}`);
    }
  }
  return {
    state,
    step: status?.step ?? lastStep,
    message: (foreign ? reportedFailure : (status?.message ?? reportedFailure)) ?? null,
    exitCode: code,
    signal,
    summary,
    resumable: status?.resumable ?? false,
  };
}

/**
 * What the trainer's log says about a crash: its last `Error: …` line (a stack trace's first line),
 * else its last lines that are not stack frames. The manager's own lines are left out.
 */
function crashReason(file: string, count: number): string {
  let lines: string[];
  try {
    lines = fs.readFileSync(file, 'utf8').split('\n');
  } catch {
    return '';
  }
  // The trainer host's own timestamped lines are its diary, not crash output.
  const own = lines.filter((l) => l.trim() !== '' && !/\[(run manager|trainer) \d+\]/.test(l));
  const errorLine = [...own].reverse().find((l) => /^\s*(?:Uncaught\s+)?[A-Z]\w*(?:Error|Exception)\b[^\n]*:/.test(l));
  if (errorLine) return errorLine.trim();
  return own
    .filter((l) => !/^\s+at\s/.test(l) && !/^Node\.js v\d/.test(l))
    .slice(-count)
    .join('\n');
}
