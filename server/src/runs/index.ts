// Public face of the run store and the run manager, for the CLI and the language server.
// tfjs-free: the trainer process loads the engine, never these callers.
export { RunManager, RunHandle, type StartRunRequest, type RunEnd, type RunEvents, type RunManagerOptions } from './runManager';
export { RunFolder, createRunFolder, type CreateRunOptions } from './runFolder';
export { runsDirectory, findProjectRoot, RUNS_SUBFOLDER, type RunsDirectoryOptions } from './projectRoot';
export { listRuns, describeRun, type RunListing } from './runListing';
export { findRun, latestRunOf } from './findRun';
export { newRunId, runGroupOf, looksLikeRunId } from './runId';
export { shownState, processIsAlive, type ShownState } from './runStatus';
export { readMetricsFile, parseMetricsText, type MetricsReadResult } from './metricsLog';
export { loadRunArtifact, readRunArtifactFile } from './runArtifact';
export { trainerEntry, TRAINER_ENTRY_VARIABLE, type TrainerEntry } from './trainerLaunch';
export { RunStoreError } from './writeError';
export { formatDuration, progressBar, progressLine, metricsLine } from './progressText';
