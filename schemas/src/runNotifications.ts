// The language server ⇄ extension contract for runs (LSP custom requests and notifications).
// The language server owns runs: it resolves the experiment, forks the trainer through the
// RunManager, and relays every trainer message to the client as `masklab/runEvent`.

import type { TrainerMessage } from './trainerMessages';

/** Where a run comes from, as the editor shows it. */
export interface RunOrigin {
  /** The `*.masklab` document's uri. */
  uri: string;
  /** Experiment or sweep name. */
  experiment: string;
  /** Sweep cell index, when a sweep cell. */
  index?: number;
}

/** client → server request: start training an experiment or sweep cell. */
export const TRAIN_REQUEST = 'masklab/train';
export interface TrainParams extends RunOrigin {
  /** Continue the newest unfinished run of it instead of starting a new one. */
  resume?: boolean;
  /** Or continue exactly this run folder. */
  resumeDir?: string;
}
export type TrainResult = { runId: string; runDir: string } | { error: string };

/** client → server request: re-evaluate the latest finished run of an experiment on its dev set. */
export const EVALUATE_REQUEST = 'masklab/evaluate';
export type EvaluateParams = RunOrigin | { runDir: string };
export type EvaluateResult = { runDir: string; metrics: Record<string, number> } | { error: string };

/** client → server request: stop a run at its next step (it checkpoints and stays resumable). */
export const CANCEL_REQUEST = 'masklab/cancel';
export interface CancelParams {
  runId: string;
}

/** client → server request: the run folder of the latest run of an experiment (for "Open last run"). */
export const LAST_RUN_REQUEST = 'masklab/lastRun';
export type LastRunResult = { runDir: string } | { error: string };

/** client → server request: where runs of this document are stored (the run store root). */
export const RUNS_DIRECTORY_REQUEST = 'masklab/runsDirectory';
export interface RunsDirectoryParams {
  uri: string;
}
export type RunsDirectoryResult = { runsDir: string };

/** server → client notification: one event of a run the server started. */
export const RUN_EVENT_NOTIFICATION = 'masklab/runEvent';
export interface RunEvent {
  runId: string;
  runDir: string;
  origin: RunOrigin;
  event: TrainerMessage | RunEnded;
}

/** The run manager's own last word, after the trainer's messages: how the process ended. */
export interface RunEnded {
  type: 'ended';
  runId: string;
  state: 'completed' | 'cancelled' | 'failed';
  step: number;
  message: string | null;
  resumable: boolean;
  /** The trainer's log, for the failure link. */
  logFile: string;
}

/** Answer to `masklab/cancel`: the run stops at its next step (its `ended` event follows). */
export type CancelResult = { cancelled: true } | { error: string };

/**
 * client → server notification: the user trusted the workspace (VS Code Workspace Trust). The
 * server starts with `initializationOptions.workspaceTrusted`; trust can only be granted while
 * the server runs (revoking it reloads the window), so this carries no value.
 */
export const WORKSPACE_TRUSTED_NOTIFICATION = 'masklab/workspaceTrusted';
