// The trainer's runtime inside the packaged extension. The bundles keep TensorFlow.js external
// (its backends load .wasm binaries from their own folders), and `vsce package --no-dependencies`
// leaves node_modules out — so a .vsix made of dist/ alone activates, but Train and Evaluate fail
// to load tfjs. This stages the few files the trainer loads (each package's manifest, its Node
// entry, the wasm binaries, licences) into `dist/node_modules`, where Node looks first from
// dist/trainer.js and dist/cli.js, and which vsce packages (it skips only the top-level one).

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Package → files the trainer needs from it (besides package.json and licence files). */
const TRAINER_RUNTIME: Record<string, (packageDir: string) => string[]> = {
  '@tensorflow/tfjs-core': (dir) => [mainOf(dir)],
  '@tensorflow/tfjs-backend-cpu': (dir) => [mainOf(dir)],
  '@tensorflow/tfjs-backend-wasm': (dir) => [mainOf(dir), ...readdirSync(path.join(dir, 'dist')).filter((f) => f.endsWith('.wasm')).map((f) => path.join('dist', f))],
  // Required by the cpu backend's Node entry; small, so whole.
  seedrandom: () => ['index.js', 'seedrandom.js', 'lib'],
};

function mainOf(dir: string): string {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { main?: string };
  if (!manifest.main) throw new Error(`${dir}/package.json names no "main" entry`);
  return manifest.main;
}

/** Copies the trainer's runtime from `<root>/node_modules` into `<stageDir>/dist/node_modules`; returns the packages staged. */
export function stageTrainerRuntime(root: string, stageDir: string): string[] {
  const target = path.join(stageDir, 'dist', 'node_modules');
  for (const [name, filesOf] of Object.entries(TRAINER_RUNTIME)) {
    const from = path.join(root, 'node_modules', name);
    if (!existsSync(path.join(from, 'package.json'))) throw new Error(`${name} is not installed in ${root}/node_modules (npm ci), so the packaged trainer could not load it`);
    const to = path.join(target, name);
    mkdirSync(to, { recursive: true });
    const licences = readdirSync(from).filter((f) => /^(license|licence|notice)/i.test(f));
    for (const file of ['package.json', ...licences, ...filesOf(from)]) {
      cpSync(path.join(from, file), path.join(to, file), { recursive: true });
    }
  }
  // The staged runtime must load on its own: from the stage, with nothing above it to fall back on.
  const check = spawnSync(
    process.execPath,
    ['-e', `const tf = require('@tensorflow/tfjs-core'); require('@tensorflow/tfjs-backend-cpu'); require('@tensorflow/tfjs-backend-wasm'); process.stdout.write(tf.version_core);`],
    { cwd: path.join(stageDir, 'dist'), encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } },
  );
  if (check.status !== 0) throw new Error(`the staged trainer runtime does not load: ${check.stderr}`);
  return Object.keys(TRAINER_RUNTIME);
}
