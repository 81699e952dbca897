// What the training-step benches time: the experiments of bench/experiments/train-step.masklab,
// resolved as the CLI resolves them, and a seeded batch of full-length sequences (no padding).
import * as path from 'node:path';
import type { ExperimentConfig } from '../schemas/src/experimentConfig';
import { FileSystemModelKnowledge } from '../server/src/checkpoint/modelKnowledge';
import { chooseTarget } from '../server/src/cli/chooseTarget';
import { analyseFile } from '../server/src/cli/sourceFile';
import { resolveTarget } from '../server/src/features/resolvedConfig';
import type { EncodedExample } from '../server/src/training/loop/taskData';

export const STEP_EXPERIMENTS = path.join(__dirname, 'experiments/train-step.masklab');

/** The resolved config of experiment `name` in train-step.masklab. */
export function resolveStepExperiment(name: string): ExperimentConfig {
  const analysed = analyseFile(STEP_EXPERIMENTS, process.cwd(), new FileSystemModelKnowledge());
  if ('problem' in analysed) throw new Error(`${STEP_EXPERIMENTS}: ${analysed.problem}`);
  const resolved = resolveTarget(analysed.analysis, { ...chooseTarget(analysed.analysis, name, undefined), overrides: [] });
  if ('errors' in resolved) throw new Error(`${STEP_EXPERIMENTS}: ${resolved.errors.map((e) => e.message).join('; ')}`);
  return resolved.config;
}

/** `batch` seeded sequences of [CLS] + ids of the vocabulary's ordinary range, all `length` long. */
export function syntheticBatch(vocab: number, batch: number, length: number, seed: number): EncodedExample[] {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
  return Array.from({ length: batch }, () => {
    const ids = Array.from({ length }, (_, i) => (i === 0 ? 101 : 1000 + (next() % (vocab - 1000))));
    return { ids, tokenTypeIds: new Array<number>(length).fill(0), label: next() % 2 };
  });
}
