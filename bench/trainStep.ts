// Training-step throughput on the shared checkpoint: ms/step, steps/s and sequences/s per available
// backend for mask, finetune and dsee at a fixed batch × length, beside a PyTorch twin of the same
// steps (bench/reference/train_step_reference.py, one thread, OpenBLAS) run in the same command;
// then the algorithmic wins of the training core, each switched off and on (stock wasm):
//   - dynamic padding + length bucketing, on real SST-2 batches (padded to 64 / to their longest /
//     length-bucketed, as the run's BatchPlan does),
//   - the frozen-prefix cache (only the top block masked, so block 0 is frozen and cacheable),
//   - each masked weight W ⊙ M computed once: per step (masks set outside the gradient tape, vs
//     thresholded inside every forward) and per evaluation pass (vs once per dev batch).
//
//   node --import tsx bench/trainStep.ts [--batch 32] [--length 64] [--steps 8] [--cpu] [--no-ablations] [--json]
//
// The pure-JavaScript cpu backend takes seconds per step; it is timed (mask only, one step) with
// --cpu and otherwise skipped with that reason. Skips entirely (exit 0, with the reason) when
// ../shared or python3-torch is absent. Not a test.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig } from '../schemas/src/experimentConfig';
import { requireGradients } from '../server/src/training/backend/registerGradients';
import { BatchPlan } from '../server/src/training/loop/batchPlan';
import { buildTaskModel, disposeTaskModel, openModel } from '../server/src/training/loop/buildTaskModel';
import { evaluateExamples } from '../server/src/training/loop/evaluateModel';
import { loadTaskData, type EncodedExample } from '../server/src/training/loop/taskData';
import { TaskForward, taskLoss } from '../server/src/training/loop/taskForward';
import { createMethod } from '../server/src/training/methods/createMethod';
import { maskedWeight } from '../server/src/training/methods/straightThrough';
import { selectTargets } from '../server/src/training/methods/targets';
import { AdamW } from '../server/src/training/optim/adamW';
import { resolveStepExperiment, syntheticBatch } from './stepExperiments';
import { findTorchPython, runTorchReference } from './torchReference';

type BackendRequest = ExperimentConfig['device']['backend'];

const root = path.resolve(__dirname, '..');
const modelDir = path.resolve(root, '../shared/models/bert-tiny-glue-mlm');
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
const withCpu = args.includes('--cpu');
const log = (line: string) => process.stderr.write(line + '\n');

/**
 * The backends tried, in order. `wasm_native` is stock wasm plus Masklab's native kernels
 * (server/native), timed only where they are built; the string goes through `string` so this file
 * also compiles against a tree without that request.
 */
const REQUESTS = ['tensorflow', 'wasm', 'wasm_native', 'cpu'] as string[] as BackendRequest[];

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
  unit: string;
  off: { label: string; ms: number };
  on: { label: string; ms: number };
}

interface StepperOptions {
  backend: BackendRequest;
  /** Threshold each mask inside the forward (inside the tape) instead of once per step. */
  maskInsideForward?: boolean;
}

/** A model + method + optimiser that takes training steps the way TrainingSession.trainStep does. */
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
    // ScoredMasks creates one score variable per selected linear, in selectTargets' order.
    const linears = selectTargets(model, m, { pooler: m.also.includes('pooler'), head: m.also.includes('head') }).linears;
    const scores = method.paramGroups()[0].variables;
    if (scores.length !== linears.length) throw new Error(`mask has ${scores.length} score tensors for ${linears.length} selected matrices`);
    linears.forEach((linear, i) => {
      const s = scores[i] as tf.Tensor as tf.Tensor2D;
      linear.setWeightTransform((frozen) => maskedWeight(s, frozen, tf.cast(tf.greater(s, m.threshold), 'float32') as tf.Tensor2D));
    });
  }
  let step = 0;
  const variables = method.paramGroups().flatMap((g) => g.variables);
  return {
    setup,
    detail: setup.backend.detail,
    forward,
    method,
    /** One optimiser step on `batch`; returns when the backend has finished it (the loss is read back). */
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
      const loss = value.dataSync()[0];
      optimizer.apply(1, norm);
      method.endStep(step);
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

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/** ms per step over `runs` steps of the same synthetic batch, after one warm-up step. */
async function timeSynthetic(method: Method, backend: BackendRequest, runs: number): Promise<StepTiming | string> {
  let s: Awaited<ReturnType<typeof stepper>>;
  try {
    s = await stepper(resolveStepExperiment(`step_${method}`), { backend });
  } catch (error) {
    return `${backend}: ${describe(error)}`;
  }
  try {
    const batch = syntheticBatch(s.forward.model.encoder.config.vocabSize, BATCH, LENGTH, SEED);
    s.step(batch); // warm-up: kernel set-up, wasm compilation, first Adam moments
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      s.step(batch);
      times.push(performance.now() - start);
    }
    // The median: other jobs on a shared machine inflate single steps, not the typical one.
    const ms = median(times);
    return { engine: `tfjs ${s.detail}`, method, msPerStep: ms, stepsPerSec: 1000 / ms, seqPerSec: (BATCH * 1000) / ms, runs };
  } finally {
    s.dispose();
  }
}

interface RealHow {
  bucketing: boolean;
  /** Pad every batch to this length (a static-shape trainer); else to the batch's longest. */
  padTo?: number;
  prefixCache?: boolean;
  maskInsideForward?: boolean;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Mean ms per step over the first `steps` real SST-2 batches of the plan (after one warm-up
 * step); the batches are taken twice and the faster pass counts, so a burst of other work on a
 * shared machine does not decide a comparison.
 */
async function timeReal(experiment: string, how: RealHow, steps: number): Promise<number> {
  const config = resolveStepExperiment(experiment);
  const s = await stepper(config, { backend: 'wasm', maskInsideForward: how.maskInsideForward });
  try {
    const data = await loadTaskData(config, s.setup.tokenizer, s.setup.maxLength);
    const plan = new BatchPlan(
      data.train.map((e) => e.ids.length),
      { batch: config.train.batch, accumulation: 1, seed: config.train.seed, lengthBucketing: how.bucketing },
    );
    const batches = Array.from({ length: steps + 1 }, (_, step) =>
      plan.stepBatches(step)[0].map((i, row) => {
        const e = data.train[i];
        // Fixed-length padding: one row carries pads up to padTo, so the padded batch (and its
        // cost) is padTo long whatever its sentences are, as in a static-shape trainer.
        if (how.padTo && row === 0 && e.ids.length < how.padTo) {
          const extra = how.padTo - e.ids.length;
          return { ...e, ids: [...e.ids, ...new Array<number>(extra).fill(data.padId)], tokenTypeIds: [...e.tokenTypeIds, ...new Array<number>(extra).fill(0)] };
        }
        return e;
      }),
    );
    if (how.prefixCache) {
      // Filled once per run (and then reused every epoch), so not part of a step's cost.
      if (!s.forward.usePrefix(s.method.firstChangedBlock(), batches.flat(), config.train.batch)) throw new Error(`${experiment}: the prefix cache was not used`);
    }
    s.step(batches[0]);
    let best = Infinity;
    for (let pass = 0; pass < 2; pass++) {
      const start = performance.now();
      for (let i = 1; i <= steps; i++) s.step(batches[i]);
      best = Math.min(best, (performance.now() - start) / steps);
    }
    return best;
  } finally {
    s.dispose();
  }
}

/**
 * ms of one evaluation pass over SST-2 dev with the masked weights computed once for the pass
 * (evaluateExamples, as the run does) and once per batch (the same batches through the forward
 * with the mask transforms left in place). Best of two passes each.
 */
async function timeEvaluation(): Promise<{ perBatch: number; perPass: number; batches: number }> {
  const config = resolveStepExperiment('step_mask');
  const s = await stepper(config, { backend: 'wasm' });
  try {
    const data = await loadTaskData(config, s.setup.tokenizer, s.setup.maxLength);
    s.method.beginEvaluation(0);
    const sorted = [...data.evaluation].sort((a, b) => a.ids.length - b.ids.length);
    const batches: EncodedExample[][] = [];
    for (let i = 0; i < sorted.length; i += config.train.batch) batches.push(sorted.slice(i, i + config.train.batch));
    const perBatchPass = () => {
      for (const batch of batches) {
        const logits = s.forward.logits(batch, { training: false });
        logits.dataSync();
        logits.dispose();
      }
    };
    const oncePass = () => evaluateExamples(s.forward, data.evaluation, { metrics: ['accuracy'], numLabels: 2, regression: false, batch: config.train.batch });
    const best = (pass: () => unknown) => {
      let ms = Infinity;
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        pass();
        if (i > 0) ms = Math.min(ms, performance.now() - start); // the first pass warms up
      }
      return ms;
    };
    return { perBatch: best(perBatchPass), perPass: best(oncePass), batches: batches.length };
  } finally {
    s.dispose();
  }
}

async function ablations(): Promise<Ablation[]> {
  const steps = STEPS * 2;
  const out: Ablation[] = [];
  const unit = `ms/step (${steps} SST-2 steps)`;
  log(`  padding: mask, ${steps} SST-2 steps each way…`);
  const fixed = await timeReal('step_mask', { bucketing: false, padTo: LENGTH }, steps);
  const dynamic = await timeReal('step_mask', { bucketing: false }, steps);
  const bucketed = await timeReal('step_mask', { bucketing: true }, steps);
  out.push({ win: 'dynamic padding', method: 'mask', unit, off: { label: `padded to ${LENGTH}`, ms: fixed }, on: { label: 'to the batch longest', ms: dynamic } });
  out.push({ win: '+ length bucketing', method: 'mask', unit, off: { label: 'dynamic padding only', ms: dynamic }, on: { label: 'dynamic + bucketed', ms: bucketed } });
  out.push({ win: 'both', method: 'mask', unit, off: { label: `padded to ${LENGTH}`, ms: fixed }, on: { label: 'dynamic + bucketed', ms: bucketed } });
  log('  frozen-prefix cache: mask on the top block…');
  const uncached = await timeReal('step_mask_top', { bucketing: true }, steps);
  const cached = await timeReal('step_mask_top', { bucketing: true, prefixCache: true }, steps);
  out.push({ win: 'frozen-prefix cache', method: 'mask, block 1 only', unit, off: { label: 'no cache', ms: uncached }, on: { label: 'block 0 cached', ms: cached } });
  log('  masked weights once per step / per evaluation pass…');
  const inside = await timeReal('step_mask', { bucketing: true, maskInsideForward: true }, steps);
  out.push({ win: 'mask once per step', method: 'mask', unit, off: { label: 'thresholded in the forward', ms: inside }, on: { label: 'set once, outside the tape', ms: bucketed } });
  const evaluation = await timeEvaluation();
  out.push({
    win: 'W ⊙ M once per evaluation',
    method: 'mask',
    unit: `ms per dev pass (872 examples, ${evaluation.batches} batches)`,
    off: { label: 'per batch', ms: evaluation.perBatch },
    on: { label: 'once per pass', ms: evaluation.perPass },
  });
  return out;
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(modelDir, 'model.safetensors'))) {
    log('bench trainStep: skipped: shared data absent: ../shared/models/bert-tiny-glue-mlm');
    return;
  }
  const python = findTorchPython();
  if (!python) {
    log('bench trainStep: skipped: python3-torch is not installed (apt-get install python3-torch python3-numpy libopenblas0-pthread, or set MASKLAB_PYTHON)');
    return;
  }
  log(`bench trainStep: bert-tiny-glue-mlm, batch ${BATCH} × ${LENGTH} tokens, one thread per engine`);
  const reference = runTorchReference<{ engine: string; results: Array<Omit<StepTiming, 'engine'>> }>(python, 'reference/train_step_reference.py', [
    modelDir,
    BATCH,
    LENGTH,
    10,
    SEED,
  ]);
  const torchTimes = reference.results.map((r) => ({ ...r, engine: reference.engine }));
  const results: StepTiming[] = [];
  const skipped: string[] = [];
  for (const backend of REQUESTS) {
    const cpu = backend === 'cpu';
    const methods: Method[] = cpu ? ['mask'] : ['mask', 'finetune', 'dsee'];
    if (cpu && !withCpu) {
      skipped.push(
        'cpu: the pure-JavaScript backend takes ~13 s per mask step at 32 × 64 (measured with --cpu: ~76× PyTorch, ~10× stock wasm), too slow for this bench; run with --cpu to time it (mask, one step)',
      );
      continue;
    }
    for (const method of methods) {
      log(`  ${backend} ${method}…`);
      const r = await timeSynthetic(method, backend, cpu ? 1 : STEPS);
      if (typeof r === 'string') {
        skipped.push(r);
        break;
      }
      results.push(r);
    }
  }
  const wins = args.includes('--no-ablations') ? [] : await ablations();
  if (json) {
    process.stdout.write(JSON.stringify({ batch: BATCH, length: LENGTH, reference: torchTimes, results, ablations: wins, skipped }) + '\n');
    return;
  }
  const rows = [...torchTimes, ...results];
  const width = Math.max(...rows.map((r) => r.engine.length));
  process.stdout.write(`\ntraining step, batch ${BATCH} × ${LENGTH} tokens (synthetic ids, no padding):\n`);
  process.stdout.write(`${'engine'.padEnd(width)}  ${'method'.padEnd(8)}  ${'ms/step'.padStart(8)}  ${'steps/s'.padStart(8)}  ${'seq/s'.padStart(7)}  vs PyTorch\n`);
  for (const r of rows) {
    const twin = torchTimes.find((t) => t.method === r.method);
    const ratio = (torchTimes as StepTiming[]).includes(r) ? 'reference' : twin ? `${(r.msPerStep / twin.msPerStep).toFixed(1)}× its time` : '(no twin)';
    process.stdout.write(
      `${r.engine.padEnd(width)}  ${r.method.padEnd(8)}  ${r.msPerStep.toFixed(1).padStart(8)}  ${r.stepsPerSec.toFixed(2).padStart(8)}  ${r.seqPerSec.toFixed(1).padStart(7)}  ${ratio}\n`,
    );
  }
  for (const reason of skipped) process.stdout.write(`skipped ${reason}\n`);
  if (wins.length > 0) process.stdout.write('\nalgorithmic wins, each switched off → on (stock wasm):\n');
  for (const w of wins) {
    process.stdout.write(
      `  ${w.win.padEnd(26)} ${w.method.padEnd(19)} ${w.off.label} ${w.off.ms.toFixed(1)} → ${w.on.label} ${w.on.ms.toFixed(1)} ${w.unit}  (${(w.off.ms / w.on.ms).toFixed(2)}×)\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench trainStep: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
