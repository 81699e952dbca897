// One run inside the trainer process: the TrainingSink that writes every message into the run
// folder before relaying it, the heartbeat, resume (newest checkpoint, metrics cut back to it),
// and the ending (artifact, summary, final status). The trainer writes the run folder itself,
// rather than the run manager, so that checkpoints never cross the IPC channel and so that what
// is on disk does not depend on the manager staying alive.

import * as fs from 'node:fs';
import * as os from 'node:os';
import type { ExperimentConfig } from '../../../schemas/src/experimentConfig';
import type { RunStatus } from '../../../schemas/src/runRecord';
import { readRunSummary } from '../../../schemas/src/runRecordSchemas';
import { readTrainerMessage } from '../../../schemas/src/trainerMessageSchema';
import type { FailedMessage, StartCommand, StartedMessage, TrainerMessage } from '../../../schemas/src/trainerMessages';
import { writeJsonAtomic } from './atomicFile';
import { loadLatestCheckpoint, removeStaleTemporaries, saveCheckpoint, type StoredTrainingState } from './checkpointFiles';
import { collectEnvironment } from './environment';
import { MetricsLog, truncateMetricsAfter } from './metricsLog';
import { artifactInfo, writeRunArtifact } from './runArtifact';
import { RunFolder } from './runFolder';
import { acquireRunLock } from './runLock';
import { HEARTBEAT_SECONDS, nowIso, readStatusFile, writeRunStatus } from './runStatus';
import { buildRunSummary } from './runSummaryBuilder';
import type { HostedTrainingResult, TrainFunction } from './trainingContract';
import { describeWriteError, RunStoreError } from './writeError';

/** Why a run is being stopped early. */
export type StopReason = 'cancel' | 'SIGTERM' | 'SIGINT' | 'disconnect';

/** Exit status of the trainer process for each ending (the run manager reads the rest from status.json). */
export const TRAINER_EXIT = { done: 0, failed: 1, sigint: 130, sigterm: 143 } as const;

export interface HostedRunDeps {
  send(message: TrainerMessage): void;
  log(line: string): void;
  /** `@tensorflow/tfjs-core`'s version once the trainer has loaded it. */
  engineVersion(): string | null;
}

export class HostedRun {
  readonly folder: RunFolder;
  private readonly config: ExperimentConfig;
  private readonly runId: string;
  private readonly resume: boolean;
  private readonly controller = new AbortController();
  private stopReason: StopReason | undefined;
  private storeFailure: RunStoreError | undefined;
  private failure: FailedMessage | undefined;
  private started: StartedMessage | undefined;
  private status!: RunStatus;
  private metrics: MetricsLog | undefined;
  private segmentStart = Date.now();
  private previousElapsed = 0;
  private lastStatusWrite = 0;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    command: StartCommand,
    private readonly deps: HostedRunDeps,
  ) {
    this.folder = new RunFolder(command.runDir);
    this.config = command.config;
    this.runId = command.runId;
    this.resume = command.resume;
  }

  /** Asks the run to stop at the next step, checkpointing first. The first reason given wins. */
  stop(reason: StopReason): void {
    this.stopReason ??= reason;
    this.controller.abort();
  }

  /** Trains and records the run; resolves to the process exit status. Never rejects. */
  async execute(loadTrainer: () => Promise<TrainFunction>): Promise<number> {
    let release: (() => void) | undefined;
    try {
      release = acquireRunLock(this.folder.dir);
    } catch (error) {
      // Another trainer owns the folder: report, and touch nothing of it.
      this.deps.send({ type: 'failed', runId: this.runId, message: (error as Error).message });
      return TRAINER_EXIT.failed;
    }
    try {
      return await this.executeLocked(loadTrainer);
    } finally {
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.metrics?.close();
      release();
    }
  }

  private async executeLocked(loadTrainer: () => Promise<TrainFunction>): Promise<number> {
    let resumeState: StoredTrainingState | undefined;
    try {
      resumeState = this.prepareFolder();
      this.writeEnvironment();
      this.metrics = new MetricsLog(this.folder.file('metrics'));
    } catch (error) {
      return this.finishFailed({ type: 'failed', runId: this.runId, message: messageOf(error) });
    }
    this.heartbeat = setInterval(() => this.writeStatus({}, true), HEARTBEAT_SECONDS * 1000);
    this.heartbeat.unref();

    let result: HostedTrainingResult;
    try {
      const train = await loadTrainer();
      result = await train(this.config, this.sink(), { runId: this.runId, resume: resumeState, signal: this.controller.signal });
    } catch (error) {
      if (this.storeFailure) return this.finishFailed({ type: 'failed', runId: this.runId, message: this.storeFailure.message, step: this.status.step });
      const located = error as { file?: unknown; line?: unknown };
      return this.finishFailed(
        this.failure ?? {
          type: 'failed',
          runId: this.runId,
          message: messageOf(error),
          step: this.status.step,
          ...(typeof located.file === 'string' ? { file: located.file } : {}),
          ...(typeof located.line === 'number' ? { line: located.line } : {}),
        },
      );
    }
    if (this.storeFailure) return this.finishFailed({ type: 'failed', runId: this.runId, message: this.storeFailure.message, step: result.step });
    if (this.failure) return this.finishFailed(this.failure);
    return this.finishEnded(result);
  }

  /** New run: nothing to do. Resume: newest checkpoint, and the record cut back to its step. */
  private prepareFolder(): StoredTrainingState | undefined {
    const previous = readStatusFile(this.folder.dir);
    const old = 'status' in previous ? previous.status : undefined;
    this.previousElapsed = this.resume ? (old?.elapsed_seconds ?? 0) : 0;
    this.status = {
      schemaVersion: 1,
      run_id: this.runId,
      state: 'running',
      pid: process.pid,
      host: os.hostname(),
      // The manager's first status (or the run's, when resuming) holds the real start.
      started_at: old?.started_at ?? nowIso(),
      heartbeat: nowIso(),
      ended_at: null,
      elapsed_seconds: this.previousElapsed,
      step: 0,
      steps_total: old?.steps_total ?? null,
      last_checkpoint: null,
      resumable: false,
      message: null,
      segments: this.resume ? (old?.segments ?? 0) + 1 : 1,
    };
    let state: StoredTrainingState | undefined;
    const checkpoints = this.folder.file('checkpoints');
    if (this.resume) {
      removeStaleTemporaries(checkpoints);
      const latest = loadLatestCheckpoint(checkpoints);
      for (const skipped of latest?.skipped ?? []) this.deps.log(`skipping an unreadable checkpoint: ${skipped}`);
      state = latest?.state;
      const from = state?.step ?? -1;
      const { dropped } = truncateMetricsAfter(this.folder.file('metrics'), from);
      for (const step of this.folder.maskSnapshotSteps()) if (step > from) fs.rmSync(this.folder.maskSnapshotFile(step), { force: true });
      // Both describe the run's end, which is now ahead again.
      fs.rmSync(this.folder.file('summary'), { force: true });
      fs.rmSync(this.folder.file('artifact'), { force: true });
      this.status.step = Math.max(0, from);
      this.status.last_checkpoint = state ? state.step : null;
      this.status.resumable = state !== undefined;
      this.deps.log(
        state
          ? `resuming from the checkpoint at step ${state.step} (${latest?.file}); ${dropped} metrics record(s) after it will be recomputed`
          : 'resuming a run that has no checkpoint: training starts from the beginning',
      );
    }
    fs.mkdirSync(checkpoints, { recursive: true });
    fs.mkdirSync(this.folder.file('masks'), { recursive: true });
    this.writeStatus({}, true);
    return state;
  }

  private writeEnvironment(): void {
    const environment = collectEnvironment(this.config, { tfjs: this.deps.engineVersion(), backend: this.started?.backend ?? null });
    try {
      writeJsonAtomic(this.folder.file('environment'), environment);
    } catch (error) {
      throw describeWriteError(error, this.folder.file('environment'));
    }
  }

  private sink() {
    return {
      emit: (message: TrainerMessage) => this.receive(message),
      saveState: async (step: number, state: StoredTrainingState) => {
        const file = saveCheckpoint(this.folder.file('checkpoints'), { ...state, step });
        this.writeStatus({ last_checkpoint: step, resumable: true, step: Math.max(this.status.step, step) }, true);
        this.deps.log(`checkpoint at step ${step}: ${file}`);
        this.deps.send({ type: 'checkpoint', runId: this.runId, step });
      },
    };
  }

  /** A message from the training core: checked, written to the run folder, relayed. */
  private receive(message: TrainerMessage): void {
    // As over the wire: absent optional fields (`step: undefined`) are dropped, not invalid.
    const wire = Object.fromEntries(Object.entries(message).filter(([, v]) => v !== undefined));
    const checked = readTrainerMessage({ ...wire, runId: this.runId });
    if (!checked.ok) {
      this.deps.log(`dropped a malformed message from the training core: ${checked.problem}`);
      return;
    }
    const m = checked.value;
    try {
      switch (m.type) {
        case 'started':
          this.started = m;
          this.writeStatus({ steps_total: m.stepsTotal }, true);
          this.writeEnvironment();
          this.deps.log(`training on ${m.backend.detail}: ${m.trainable} trainable of ${m.parameters} parameters, ${m.stepsTotal} steps`);
          break;
        case 'progress':
          this.writeStatus({ step: m.step, steps_total: m.stepsTotal }, false);
          break;
        case 'metrics':
          this.metrics?.append({ step: m.step, epoch: m.epoch, time: m.time, split: m.split, values: m.values });
          break;
        case 'mask-snapshot':
          writeJsonAtomic(this.folder.maskSnapshotFile(m.step), { step: m.step, matrices: m.matrices });
          break;
        case 'warning':
          this.deps.log(`warning: ${m.message}`);
          break;
        case 'failed':
          // Kept for the ending: the core says why (NaN loss, data error) better than its exception.
          this.failure ??= m;
          return;
        case 'checkpoint':
        case 'finished':
          // The host reports these itself, once the state or the run's record is on disk.
          return;
      }
    } catch (error) {
      this.storeFailure ??= describeWriteError(error, this.folder.dir);
      this.deps.log(`stopping: ${this.storeFailure.message}`);
      this.stop('cancel');
      return;
    }
    this.deps.send(m);
  }

  private writeStatus(change: Partial<RunStatus>, force: boolean): void {
    Object.assign(this.status, change);
    const now = Date.now();
    if (!force && now - this.lastStatusWrite < HEARTBEAT_SECONDS * 1000) return;
    this.status.heartbeat = nowIso();
    this.status.elapsed_seconds = this.previousElapsed + (now - this.segmentStart) / 1000;
    try {
      writeRunStatus(this.folder.dir, this.status);
      this.lastStatusWrite = now;
    } catch (error) {
      // A heartbeat that cannot be written is not worth stopping a run for; the next may succeed.
      this.deps.log(`cannot update status.json: ${messageOf(error)}`);
    }
  }

  private finishEnded(result: HostedTrainingResult): number {
    const endedAt = nowIso();
    const cancelled = result.outcome === 'cancelled';
    try {
      const sizes = writeRunArtifact(this.folder, artifactInfo(this.runId, this.config, this.started?.parameters ?? 0), result.artifact);
      const summary = buildRunSummary({
        runId: this.runId,
        config: this.config,
        result,
        started: this.started,
        bytes: sizes,
        startedAt: this.status.started_at,
        finishedAt: endedAt,
        durationSeconds: this.previousElapsed + (Date.now() - this.segmentStart) / 1000,
      });
      const checked = readRunSummary(summary);
      if (!checked.ok) this.deps.log(`warning: the summary does not match its schema (${checked.problem}); written as is`);
      writeJsonAtomic(this.folder.file('summary'), summary);
    } catch (error) {
      return this.finishFailed({ type: 'failed', runId: this.runId, message: messageOf(error), step: result.step });
    }
    const how = this.stopReason === 'disconnect' ? 'the run manager went away' : this.stopReason === 'SIGTERM' ? 'stopped by SIGTERM' : 'cancelled';
    this.writeStatus(
      {
        state: cancelled ? 'cancelled' : 'completed',
        pid: null,
        ended_at: endedAt,
        step: result.step,
        message: cancelled ? `${how} at step ${result.step}; resume with: masklab train --resume ${this.folder.dir}` : null,
        resumable: cancelled && this.status.last_checkpoint !== null,
      },
      true,
    );
    this.deps.send({ type: 'finished', runId: this.runId, outcome: result.outcome, step: result.step });
    return this.stopReason === 'SIGTERM' ? TRAINER_EXIT.sigterm : this.stopReason === 'SIGINT' ? TRAINER_EXIT.sigint : TRAINER_EXIT.done;
  }

  private finishFailed(failure: FailedMessage): number {
    const checkpoint = this.status?.last_checkpoint ?? null;
    const fix = checkpoint !== null ? ` The last good checkpoint (step ${checkpoint}) is kept.` : '';
    this.deps.log(`failed: ${failure.message}`);
    if (this.status) {
      const sentence = fix && !/[.!?]$/.test(failure.message) ? `${failure.message}.` : failure.message;
      this.writeStatus({ state: 'failed', pid: null, ended_at: nowIso(), message: `${sentence}${fix}` }, true);
    }
    this.deps.send({ ...failure, runId: this.runId });
    return TRAINER_EXIT.failed;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
