// Training-step throughput on the shared checkpoint: steps/s and sequences/s per available backend
// for mask, finetune and dsee at a fixed batch × length, beside a PyTorch twin of the same steps
// (bench/reference/train_step_reference.py, one thread, OpenBLAS) run in the same command; then the
// algorithmic wins of the training core, each switched off and on, on real SST-2 batches (wasm):
//   - dynamic padding + length bucketing (batches padded to 64 / to their longest / bucketed),
//   - the frozen-prefix cache (top block masked, so block 0 is frozen and cacheable),
//   - each mask computed once per step, outside the gradient tape (vs thresholded inside every
//     forward, as a naive masked linear would).
//
//   node --import tsx bench/trainStep.ts [--batch 32] [--length 64] [--steps 8] [--no-ablations] [--json]
//
// Skips (exit 0, with the reason) when ../shared or python3-torch is absent. Not a test.

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig } from '../schemas/src/experimentConfig';
import { FileSystemModelKnowledge } from '../server/src/checkpoint/modelKnowledge';
import { chooseTarget } from '../server/src/cli/chooseTarget';
import { analyseFile } from '../server/src/cli/sourceFile';
import { resolveTarget } from '../server/src/features/resolvedConfig';
import { requireGradients } from '../server/src/training/backend/registerGradients';
import type { BackendName } from '../server/src/training/backend/selectBackend';
import { BatchPlan } from '../server/src/training/loop/batchPlan';
import { buildTaskModel, disposeTaskModel, openModel } from '../server/src/training/loop/buildTaskModel';
import { loadTaskData, type EncodedExample } from '../server/src/training/loop/taskData';
import { TaskForward, taskLoss } from '../server/src/training/loop/taskForward';
import { createMethod } from '../server/src/training/methods/createMethod';
import { maskedWeight } from '../server/src/training/methods/straightThrough';
import { selectTargets } from '../server/src/training/methods/targets';
import { AdamW } from '../server/src/training/optim/adamW';

const root = path.resolve(__dirname, '..');
const modelDir = path.resolve(root, '../shared/models/bert-tiny-glue-mlm');
const experimentFile = path.join(__dirname, 'experiments/train-step.masklab');
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const BATCH = option('batch', 32);
const LENGTH = option('length', 64);
const STEPS = option('steps', 8);
const SEED = 1234;
const json = args.includes('--json');
const log = (line: string) => process.stderr.write(line + '\n');

/** Timed steps per backend: the pure-JS backend is ~100× slower than wasm, so it gets two. */
const STEPS_ON: Record<BackendName, number> = { tensorflow: STEPS, wasm: STEPS, cpu: 2 };

type Method = 'mask' | 'finetune' | 'dsee';

interface StepTiming {
  engine: string;
  method: string;
  msPerStep: number;
  stepsPerSec: number;
  seqPerSec: number;
  runs: number;
}

interface Ablation {
  win: string;
  method: string;
  off: { label: string; msPerStep: number };
  on: { label: string; msPerStep: number };
}

function findTorchPython(): string | undefined {
  const candidates = [process.env.MASKLAB_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => Boolean(c));
  return candidates.find((python) => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
}

function resolveExperiment(name: string): ExperimentConfig {
  const analysed = analyseFile(experimentFile, process.cwd(), new FileSystemModelKnowledge());
  if ('problem' in analysed) throw new Error(`${experimentFile}: ${analysed.problem}`);
  const resolved = resolveTarget(analysed.analysis, { ...chooseTarget(analysed.analysis, name, undefined), overrides: [] });
  if ('errors' in resolved) throw new Error(`${experimentFile}: ${resolved.errors.map((e) => e.message).join('; ')}`);
  return resolved.config;
}

/** Seeded [CLS] + ids of the vocabulary's ordinary range, all `LENGTH` long (no padding). */
function syntheticBatch(vocab: number): EncodedExample[] {
  let state = SEED;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
  return Array.from({ length: BATCH }, () => {
    const ids = Array.from({ length: LENGTH }, (_, i) => (i === 0 ? 101 : 1000 + (next() % (vocab - 1000))));
    return { ids, tokenTypeIds: new Array<number>(LENGTH).fill(0), label: next() % 2 };
  });
}

interface StepperOptions {
  backend: BackendName;
  /** Threshold each mask inside the forward (inside the tape) instead of once per step. */
  maskInsideForward?: boolean;
}

/** A model + method + optimiser that takes training steps the way the training session does. */
async function stepper(config: ExperimentConfig, options: StepperOptions) {
  const setup = await openModel(config, options.backend);
  requireGradients();
  const model = buildTaskModel(setup, 2, config.train.seed);
  const method = createMethod({ config, model, seed: config.train.seed, stepsPerEpoch: 64, totalSteps: 64, warn: () => undefined });
  const m = config.method;
  const optimizer = new AdamW(method.paramGroups(), { beta1: m.adam_beta1, beta2: m.adam_beta2, epsilon: m.adam_epsilon, maxGradNorm: m.max_grad_norm });
  const forward = new TaskForward(model, setup.tokenizer.padId);
  const perForward = options.maskInsideForward === true && m.kind === 'mask';
  if (perForward) {
    // The naive masked linear: M = 1[S > τ] taken from the scores at every use, inside the tape.
    const linears = selectTargets(model, m, { pooler: m.also.includes('pooler'), head: m.also.includes('head') }).linears;
    const scores = method.paramGroups()[0].variables;
    linears.forEach((linear, i) => {
      const s = scores[i] as tf.Tensor as tf.Tensor2D;
      linear.setWeightTransform((frozen) => maskedWeight(s, frozen, tf.cast(tf.greater(s, m.threshold), 'float32') as tf.Tensor2D));
    });
  }
  let step = 0;
  const variables = method.paramGroups().flatMap((g) => g.variables);
  return {
    detail: setup.backend.detail,
    forward,
    method,
    /** One optimiser step on `batch`; returns when the backend has finished it. */
    step(batch: readonly EncodedExample[]): number {
      if (!perForward) method.beginStep(step);
      let seed = step * 7919;
      const { value, grads } = tf.variableGrads(
        () => taskLoss(forward.logits(batch, { training: true, nextSeed: () => ++seed }), batch.map((e) => e.label), false),
        variables,
      );
      optimizer.accumulate(grads);
      tf.dispose(grads);
      const norm = optimizer.gradientNorm();
      optimizer.apply(1, norm);
      method.endStep(step);
      const loss = value.dataSync()[0];
      tf.dispose([value, norm]);
      step++;
      return loss;
    },
    dispose() {
      optimizer.dispose();
      forward.dropPrefix();
      method.dispose();
      disposeTaskModel(model);
    },
  };
}

async function timeSynthetic(method: Method, backend: BackendName): Promise<StepTiming | string> {
  let s: Awaited<ReturnType<typeof stepper>>;
  try {
    s = await stepper(resolveExperiment(`step_${method}`), { backend });
  } catch (error) {
    return `${backend}: ${error instanceof Error ? error.message : String(error)}`;
  }
  try {
    const batch = syntheticBatch(s.forward.model.encoder.config.vocabSize);
    s.step(batch); // warm-up: kernel set-up, wasm compilation, first Adam moments
    const runs = STEPS_ON[backend];
    const start = performance.now();
    for (let i = 0; i < runs; i++) s.step(batch);
    const ms = (performance.now() - start) / runs;
    return { engine: `tfjs ${s.detail}`, method, msPerStep: ms, stepsPerSec: 1000 / ms, seqPerSec: (BATCH * 1000) / ms, runs };
  } finally {
    s.dispose();
  }
}

/** Mean ms per step over the first `steps` real SST-2 batches of the plan (after one warm-up step). */
async function timeReal(
  experiment: string,
  how: { bucketing: boolean; padTo?: number; prefixCache?: boolean; maskInsideForward?: boolean },
  steps: number,
): Promise<number> {
  const config = resolveExperiment(experiment);
  const s = await stepper(config, { backend: 'wasm', maskInsideForward: how.maskInsideForward });
  try {
    const setup = await openModel(config, 'wasm');
    const data = await loadTaskData(config, setup.tokenizer, setup.maxLength);
    const plan = new BatchPlan(
      data.train.map((e) => e.ids.length),
      { batch: config.train.batch, accumulation: 1, seed: config.train.seed, lengthBucketing: how.bucketing },
    );
    const batches = Array.from({ length: steps + 1 }, (_, step) =>
      plan.stepBatches(step)[0].map((i, row) => {
        const e = data.train[i];
        // Fixed-length padding, as a static-shape trainer does: one row carries pads up to padTo,
        // so the batch (and its cost) is padTo long whatever its sentences are.
        if (how.padTo && row === 0 && e.ids.length < how.padTo) {
          const extra = how.padTo - e.ids.length;
          return { ...e, ids: [...e.ids, ...new Array<number>(extra).fill(data.padId)], tokenTypeIds: [...e.tokenTypeIds, ...new Array<number>(extra).fill(0)] };
        }
        return e;
      }),
    );
    if (how.prefixCache) {
      const used = batches.flat();
      s.forward.usePrefix(s.method.firstChangedBlock(), used, config.train.batch);
    }
    s.step(batches[0]);
    const start = performance.now();
    for (let i = 1; i <= steps; i++) s.step(batches[i]);
    return (performance.now() - start) / steps;
  } finally {
    s.dispose();
  }
}

async function ablations(): Promise<Ablation[]> {
  const steps = STEPS * 2;
  const out: Ablation[] = [];
  log(`  padding: mask, ${steps} SST-2 steps each way…`);
  const fixed = await timeReal('step_mask', { bucketing: false, padTo: LENGTH }, steps);
  const dynamic = await timeReal('step_mask', { bucketing: false }, steps);
  const bucketed = await timeReal('step_mask', { bucketing: true }, steps);
  out.push({ win: 'dynamic padding', method: 'mask', off: { label: `padded to ${LENGTH}`, msPerStep: fixed }, on: { label: 'padded to batch longest', msPerStep: dynamic } });
  out.push({ win: 'length bucketing', method: 'mask', off: { label: 'dynamic padding only', msPerStep: dynamic }, on: { label: 'dynamic + bucketing', msPerStep: bucketed } });
  out.push({ win: 'dynamic padding + bucketing', method: 'mask', off: { label: `padded to ${LENGTH}`, msPerStep: fixed }, on: { label: 'dynamic + bucketing', msPerStep: bucketed } });
  log('  frozen-prefix cache: mask on the top block…');
  const uncached = await timeReal('step_mask_top', { bucketing: true }, steps);
  const cached = await timeReal('step_mask_top', { bucketing: true, prefixCache: true }, steps);
  out.push({ win: 'frozen-prefix cache', method: 'mask, block 1 only', off: { label: 'no cache', msPerStep: uncached }, on: { label: 'block 0 cached', msPerStep: cached } });
  log('  masks once per step…');
  const inside = await timeReal('step_mask', { bucketing: true, maskInsideForward: true }, steps);
  out.push({ win: 'mask once per step', method: 'mask', off: { label: 'thresholded in every forward', msPerStep: inside }, on: { label: 'once per step, outside the tape', msPerStep: bucketed } });
  return out;
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(modelDir, 'model.safetensors'))) {
    log('bench trainStep: skipped: shared data absent: ../shared/models/bert-tiny-glue-mlm');
    return;
  }
  const python = findTorchPython();
  if (!python) {
    log('bench trainStep: skipped: python3-torch is not installed (apt-get install python3-torch python3-numpy libopenblas0-pthread)');
    return;
  }
  log(`bench trainStep: bert-tiny-glue-mlm, batch ${BATCH} × ${LENGTH} tokens, one thread per engine`);
  const reference = JSON.parse(
    execFileSync(python, [path.join(__dirname, 'reference/train_step_reference.py'), modelDir, String(BATCH), String(LENGTH), '10', String(SEED)], {
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
    }),
  ) as { engine: string; results: Array<Omit<StepTiming, 'engine'>> };
  const torchTimes = reference.results.map((r) => ({ ...r, engine: reference.engine }));
  const results: StepTiming[] = [];
  const skipped = new Set<string>();
  for (const backend of ['tensorflow', 'wasm', 'cpu'] as const) {
    for (const method of ['mask', 'finetune', 'dsee'] as const) {
      log(`  ${backend} ${method}…`);
      const r = await timeSynthetic(method, backend);
      if (typeof r === 'string') {
        skipped.add(r);
        break;
      }
      results.push(r);
    }
  }
  const wins = args.includes('--no-ablations') ? [] : await ablations();
  if (json) {
    process.stdout.write(JSON.stringify({ batch: BATCH, length: LENGTH, reference: torchTimes, results, ablations: wins, skipped: [...skipped] }) + '\n');
    return;
  }
  const rows = [...torchTimes, ...results];
  const width = Math.max(...rows.map((r) => r.engine.length));
  process.stdout.write(`${'engine'.padEnd(width)}  ${'method'.padEnd(8)}  ${'steps/s'.padStart(8)}  ${'seq/s'.padStart(8)}  ${'ms/step'.padStart(9)}  vs PyTorch\n`);
  for (const r of rows) {
    const twin = torchTimes.find((t) => t.method === r.method);
    const ratio = torchTimes.includes(r as (typeof torchTimes)[number]) ? 'reference' : twin ? `${(r.msPerStep / twin.msPerStep).toFixed(1)}× the time` : '(no twin)';
    process.stdout.write(
      `${r.engine.padEnd(width)}  ${r.method.padEnd(8)}  ${r.stepsPerSec.toFixed(2).padStart(8)}  ${r.seqPerSec.toFixed(1).padStart(8)}  ${r.msPerStep.toFixed(1).padStart(9)}  ${ratio}\n`,
    );
  }
  for (const reason of skipped) process.stdout.write(`skipped ${reason}\n`);
  if (wins.length > 0) process.stdout.write('\nalgorithmic wins (wasm, real SST-2 batches):\n');
  for (const w of wins) {
    process.stdout.write(
      `  ${w.win.padEnd(28)} ${w.method.padEnd(20)} off (${w.off.label}) ${w.off.msPerStep.toFixed(1)} ms → on (${w.on.label}) ${w.on.msPerStep.toFixed(1)} ms  (${(w.off.msPerStep / w.on.msPerStep).toFixed(2)}×)\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench trainStep: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
