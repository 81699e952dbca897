// Which file the run manager forks as the trainer, and how. From the bundle (dist/cli.js,
// dist/server/server.js) it is the bundled dist/trainer.js beside it; from TypeScript source (tests,
// `node --import tsx`) it is training/trainerProcess.ts through tsx, so that a stale bundle is never
// what a test exercises. MASKLAB_TRAINER_ENTRY names another entry (tests use a fake trainer).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface TrainerEntry {
  file: string;
  execArgv: string[];
}

export const TRAINER_ENTRY_VARIABLE = 'MASKLAB_TRAINER_ENTRY';

export function trainerEntry(env: NodeJS.ProcessEnv = process.env, here: string = __filename): TrainerEntry {
  const override = env[TRAINER_ENTRY_VARIABLE];
  if (override) return entryFor(path.resolve(override));
  if (here.endsWith('.js')) {
    const dir = path.dirname(here);
    const bundled = [path.join(dir, 'trainer.js'), path.join(dir, '..', 'trainer.js')].find((f) => fs.existsSync(f));
    if (bundled) return entryFor(bundled);
  }
  const source = path.resolve(path.dirname(here), '..', 'training', 'trainerProcess.ts');
  if (fs.existsSync(source)) return entryFor(source);
  throw new Error(`cannot find the trainer: neither dist/trainer.js beside ${here} nor ${source} exists; rebuild Masklab (npm run build)`);
}

export const CLI_ENTRY_VARIABLE = 'MASKLAB_CLI_ENTRY';

/**
 * The `masklab` command line as a forkable entry, for work the language server hands to a child
 * process (re-evaluating a run loads tfjs, which the server must never do): dist/cli.js beside
 * the bundle, else cli/main.ts through tsx; MASKLAB_CLI_ENTRY names another.
 */
export function cliEntry(env: NodeJS.ProcessEnv = process.env, here: string = __filename): TrainerEntry {
  const override = env[CLI_ENTRY_VARIABLE];
  if (override) return entryFor(path.resolve(override));
  if (here.endsWith('.js')) {
    const dir = path.dirname(here);
    const bundled = [path.join(dir, 'cli.js'), path.join(dir, '..', 'cli.js')].find((f) => fs.existsSync(f));
    if (bundled) return entryFor(bundled);
  }
  const source = path.resolve(path.dirname(here), '..', 'cli', 'main.ts');
  if (fs.existsSync(source)) return entryFor(source);
  throw new Error(`cannot find the masklab command line: neither dist/cli.js beside ${here} nor ${source} exists; rebuild Masklab (npm run build)`);
}

function entryFor(file: string): TrainerEntry {
  if (!file.endsWith('.ts')) return { file, execArgv: ['--enable-source-maps'] };
  return { file, execArgv: ['--import', tsxLoader()] };
}

/** tsx's loader as a file URL, so the child finds it wherever its working directory is. */
function tsxLoader(): string {
  let packageJson: string;
  try {
    packageJson = require.resolve('tsx/package.json');
  } catch {
    throw new Error('running the trainer from TypeScript source needs the tsx package (npm install --save-dev tsx), or build Masklab (npm run build)');
  }
  return pathToFileURL(path.join(path.dirname(packageJson), 'dist', 'loader.mjs')).href;
}
