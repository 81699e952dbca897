// Identifiers shared between package.json `contributes` and the code that registers them. Kept
// free of `vscode` so a unit test can check both sides name the same things.

export const LANGUAGE_ID = 'masklab';

/** The section every Masklab setting lives under (`masklab.trace.server`, …). */
export const SETTINGS_SECTION = 'masklab';

/** Scheme of the read-only documents that show a resolved experiment config. */
export const RESOLVED_CONFIG_SCHEME = 'masklab-config';

export const Commands = {
  /** Also the command id the language server puts on its code lenses: args `[uri, experiment, index?]`. */
  showResolvedConfig: 'masklab.showResolvedConfig',
  refreshResolvedConfig: 'masklab.refreshResolvedConfig',
  restartServer: 'masklab.restartServer',
  // Runs (client/src/commands/runCommands.ts, runsViewCommands.ts).
  train: 'masklab.train',
  evaluate: 'masklab.evaluate',
  cancelRun: 'masklab.cancelRun',
  openLastRun: 'masklab.openLastRun',
  resumeRun: 'masklab.resumeRun',
  runActions: 'masklab.runActions',
  refreshRuns: 'masklab.refreshRuns',
  showRunMetrics: 'masklab.showRunMetrics',
  showRunMasks: 'masklab.showRunMasks',
  compareRuns: 'masklab.compareRuns',
  revealRunFolder: 'masklab.revealRunFolder',
  showRunLog: 'masklab.showRunLog',
  deleteRun: 'masklab.deleteRun',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Where the language server bundle sits inside the extension folder. */
export const SERVER_MODULE = 'dist/server/server.js';

export const OUTPUT_CHANNEL_NAME = 'Masklab Language Server';

/** The metrics and masks panels' commands, taking `(runDir | runDir[])` (registered by the panels' module). */
export const PanelCommands = {
  openMetrics: 'masklab.openMetrics',
  openMasks: 'masklab.openMasks',
} as const;

/** The activity-bar container and its Runs tree. */
export const RUNS_VIEW_CONTAINER = 'masklab';
export const RUNS_VIEW = 'masklab.runs';

export const TRAINER_OUTPUT_CHANNEL_NAME = 'Masklab Trainer';

/** Context key, true while this window trains a run (menus show Cancel). */
export const TRAINING_CONTEXT_KEY = 'masklab.training';
