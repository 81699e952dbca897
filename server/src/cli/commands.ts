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
  eval: { summary: "re-evaluate a run's best or last state on its dev set", load: async () => (await import('./eval.js')).evalCommand },
  export: { summary: "write a run's per-task artifact and compare its size with the fp32 model", load: async () => (await import('./export.js')).exportCommand },
  'language-server': { summary: 'run the language server for other editors (--stdio)', load: async () => (await import('./languageServer.js')).languageServerCommand },
  model: { summary: "a checkpoint's architecture and every parameter with its shape", load: async () => (await import('./model.js')).modelCommand },
  runs: { summary: 'list runs with status, best metric and duration', load: async () => (await import('./runs.js')).runsCommand },
  train: { summary: 'train an experiment or the cells of a sweep, each run in its own folder', load: async () => (await import('./train.js')).trainCommand },
  validate: { summary: 'check experiment files against their checkpoints and data', load: async () => (await import('./validate.js')).validateCommand },
};
