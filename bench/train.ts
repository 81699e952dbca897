// A real training run of an experiment file, end to end through the training core: resolve the
// experiment as the CLI does, train it, report dev metrics, wall time and where the time went.
//
//   node --import tsx bench/train.ts [FILE] [--experiment NAME] [--backend wasm|cpu|auto] [--set key=value…]
//                                    [--no-prefix-cache] [--json]
//
// FILE defaults to examples/quickstart.masklab; the backend defaults to wasm (the one every
// machine has), whatever the file says. The product target: ≥ 0.75 dev accuracy in under
// two minutes on 2 cores for the README's main command. Not a test.

import * as path from 'node:path';
import { parseSetArgument, type Override } from '../server/src/analysis/overrides';
import { FileSystemModelKnowledge } from '../server/src/checkpoint/modelKnowledge';
import { chooseTarget } from '../server/src/cli/chooseTarget';
import { UsageError } from '../server/src/cli/command';
import { analyseFile } from '../server/src/cli/sourceFile';
import { resolveTarget } from '../server/src/features/resolvedConfig';
import { runTraining, type TrainingState } from '../server/src/training/loop';
import type { TrainerMessage } from '../schemas/src/trainerMessages';
import type { BackendName } from '../schemas/src/experimentConfig';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const sets = args.flatMap((a, i) => (a === '--set' ? [args[i + 1]] : []));
const valued = new Set(['--experiment', '--backend', '--set']);
const positional = args.filter((a, i) => !a.startsWith('--') && !valued.has(args[i - 1]));
const file = positional[0] ?? path.resolve(__dirname, '../examples/quickstart.masklab');
const json = args.includes('--json');
const log = (line: string) => process.stderr.write(line + '\n');

async function main(): Promise<number> {
  const analysed = analyseFile(file, process.cwd(), new FileSystemModelKnowledge());
  if ('problem' in analysed) {
    log(`${file}: ${analysed.problem}`);
    return 2;
  }
  const overrides: Override[] = sets.map((text) => {
    const parsed = parseSetArgument(text);
    if ('problem' in parsed) throw new Error(parsed.problem);
    return parsed;
  });
  const resolved = resolveTarget(analysed.analysis, { ...chooseTarget(analysed.analysis, flag('experiment'), undefined), overrides });
  if ('errors' in resolved) {
    for (const e of resolved.errors) log(`${file}: error: ${e.message}`);
    return 2;
  }
  const config = resolved.config;
  config.device.backend = (flag('backend') as BackendName | undefined) ?? 'wasm';
  const dev: Array<{ step: number; values: Record<string, number> }> = [];
  let backend = '';
  let saved = 0;
  const started = performance.now();
  const result = await runTraining(
    config,
    {
      emit(message: TrainerMessage) {
        if (message.type === 'started') {
          backend = message.backend.detail;
          log(`${config.name}: ${message.stepsTotal} steps on ${backend}; ${message.trainable} of ${message.parameters} parameters train; ${message.examples.train} train / ${message.examples.dev} dev examples`);
        } else if (message.type === 'metrics' && message.split !== 'train') {
          dev.push({ step: message.step, values: message.values });
          log(`  step ${message.step}: ${Object.entries(message.values).map(([k, v]) => `${k} ${v.toFixed(4)}`).join('  ')}  (${message.time.toFixed(1)} s)`);
        } else if (message.type === 'warning') {
          log(`  warning: ${message.message}`);
        }
      },
      async saveState(_step: number, _state: TrainingState) {
        saved++;
      },
    },
    { runId: 'bench', prefixCache: !args.includes('--no-prefix-cache') },
  );
  const seconds = (performance.now() - started) / 1000;
  const summary = {
    experiment: config.name,
    backend,
    steps: result.step,
    seconds: Number(seconds.toFixed(2)),
    stepsPerSecond: Number((result.step / seconds).toFixed(2)),
    best: result.best,
    final: result.final,
    trainableParameters: result.trainableParameters,
    checkpoints: saved,
  };
  if (json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  else {
    const primary = config.evaluate.metrics[0];
    log(`best ${primary} ${result.best?.values[primary]?.toFixed(4)} at step ${result.best?.step}; final ${result.final?.values[primary]?.toFixed(4)}; ${seconds.toFixed(1)} s wall (${summary.stepsPerSecond} steps/s)`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof UsageError) {
      log(`${file}: ${error.message}`);
      process.exit(2);
    }
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
