import type { CliCommand } from './command';

interface CommandEntry {
  /** One line for `masklab --help` (kept here so help loads no command, and so no tfjs). */
  summary: string;
  load: () => Promise<CliCommand>;
}

// Sub-commands are loaded lazily so that `masklab validate` never pays for tfjs.
export const commands: Record<string, CommandEntry> = {
  config: { summary: 'print the resolved config of an experiment or sweep cell as JSON', load: async () => (await import('./config.js')).configCommand },
  encode: { summary: 'token ids and final [CLS] vectors of texts, as JSON', load: async () => (await import('./encode.js')).encodeCommand },
  'language-server': { summary: 'run the language server for other editors (--stdio)', load: async () => (await import('./languageServer.js')).languageServerCommand },
  model: { summary: "a checkpoint's architecture and every parameter with its shape", load: async () => (await import('./model.js')).modelCommand },
  validate: { summary: 'check experiment files against their checkpoints and data', load: async () => (await import('./validate.js')).validateCommand },
};
