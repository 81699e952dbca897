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
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Where the language server bundle sits inside the extension folder. */
export const SERVER_MODULE = 'dist/server/server.js';

export const OUTPUT_CHANNEL_NAME = 'Masklab Language Server';
