// Shared by the run tests: a real resolved config (examples/quickstart.masklab with overrides),
// scratch run stores, and the fake trainer's entry.
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExperimentConfig } from '../../../schemas/src/experimentConfig';
import type { Override } from '../../../server/src/analysis/overrides';
import { FileSystemModelKnowledge } from '../../../server/src/checkpoint/modelKnowledge';
import { analyseFile } from '../../../server/src/cli/sourceFile';
import { resolveTarget } from '../../../server/src/features/resolvedConfig';
import type { TrainerEntry } from '../../../server/src/runs/trainerLaunch';
import { examplesDir } from '../../support/repoRoot';

const FAKE_TRAINER_SOURCE = path.join(__dirname, 'fakeTrainerEntry.ts');

/**
 * The fake trainer bundled to one JavaScript file (once per test process): a forked child then
 * starts in a tenth of the time it takes to compile the TypeScript through tsx.
 */
export const FAKE_TRAINER_FILE = bundleOnce(FAKE_TRAINER_SOURCE);

function bundleOnce(source: string): string {
  const out = path.join(os.tmpdir(), `masklab-fake-trainer-${process.pid}.js`);
  buildSync({ entryPoints: [source], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error', external: ['@tensorflow/*'] });
  process.once('exit', () => rmSync(out, { force: true }));
  return out;
}

export function quickstartConfig(overrides: Record<string, string> = {}): ExperimentConfig {
  const file = analyseFile(path.join(examplesDir, 'quickstart.masklab'), examplesDir, new FileSystemModelKnowledge());
  if ('problem' in file) throw new Error(file.problem);
  const list: Override[] = Object.entries({ 'train.max_steps': '12', 'evaluate.every': '4 steps', 'train.checkpoint_every': '5 steps', ...overrides }).map(([keyPath, valueText]) => ({ keyPath, valueText }));
  const result = resolveTarget(file.analysis, { name: 'quickstart', overrides: list });
  if ('errors' in result) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.config;
}

export function scratchDir(prefix = 'masklab-runs-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function fakeEntry(): TrainerEntry {
  return { file: FAKE_TRAINER_FILE, execArgv: [] };
}

/** Node flags that run TypeScript through tsx in a child, wherever its working directory is. */
export function tsxExecArgv(): string[] {
  const tsx = require.resolve('tsx/package.json');
  return ['--import', `file://${path.join(path.dirname(tsx), 'dist', 'loader.mjs')}`];
}
