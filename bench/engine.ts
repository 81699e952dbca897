// The engine, side by side: ms per training step at batch × length on the shared checkpoint for
// mask, finetune and dsee on stock wasm, on wasm with Masklab's native kernels, and in an
// independent PyTorch twin (bench/engine_reference.py, OpenBLAS, one thread each), with the
// ratios; then forward-only sequences/s the same three ways (PyTorch: bench/forward_reference.py).
// The engines take turns in rounds (stock and native on the same model, the PyTorch twin one
// process per round), so load from other processes falls on all of them alike; each figure is the
// engine's best round.
//
//   node --import tsx bench/engine.ts [--batch 32] [--length 64] [--steps 4] [--rounds 2]
//                                     [--methods mask,finetune,dsee] [--engines stock,native,pytorch] [--json]
//   node --import tsx bench/engine.ts --profile [--methods mask] [--top 15] [--kernels native|stock|both]
//       per-kernel profile: the kernels that take the most time per training step
//       (--shapes: one line per kernel and input shapes)
//
// Skips (exit 0, with the reason) when ../shared is absent; without python3-torch or the native
// kernels, their columns say why they are missing. Not a test.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadNativeKernels } from '../server/src/training/backend/nativeAddon';
import { requireGradients } from '../server/src/training/backend/registerGradients';
import { selectBackend } from '../server/src/training/backend/selectBackend';
import { buildTaskModel, disposeTaskModel, openModel } from '../server/src/training/loop/buildTaskModel';
import { TaskForward, taskLoss } from '../server/src/training/loop/taskForward';
import { createMethod } from '../server/src/training/methods/createMethod';
import { AdamW } from '../server/src/training/optim/adamW';
import { resolveStepExperiment, syntheticBatch } from './stepExperiments';
import { findTorchPython, runTorchReference } from './torchReference';

const root = path.resolve(__dirname, '..');
const modelDir = path.resolve(root, '../shared/models/bert-tiny-glue-mlm');
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const BATCH = Number(option('batch', '32'));
const LENGTH = Number(option('length', '64'));
const STEPS = Number(option('steps', '4'));
const ROUNDS = Number(option('rounds', '2'));
const TOP = Number(option('top', '15'));
const METHODS = option('methods', 'mask,finetune,dsee').split(',') as Method[];
const PROFILE_KERNELS = option('kernels', 'both');
/** Which engines to time (all by default): stock, native, pytorch. */
const ENGINES = option('engines', 'stock,native,pytorch').split(',');
const SEED = 1234;
const json = args.includes('--json');
const BY_SHAPE = args.includes('--shapes');
const log = (line: string) => process.stderr.write(line + '\n');

type Method = 'mask' | 'finetune' | 'dsee';
type Kernels = 'stock' | 'native';

interface Timing {
  method: Method | 'forward';
  /** ms per step (or per forward batch) by engine; undefined when that engine could not run. */
  stock?: number;
  native?: number;
  pytorch?: number;
}

/** Switches the wasm backend's kernels; tensors stay where they are (the backend is wasm either way). */
async function useKernels(kernels: Kernels): Promise<string> {
  return (await selectBackend(kernels === 'native' ? 'wasm_native' : 'wasm')).detail;
}

/** A model + method + optimiser taking training steps as the training session does. */
async function stepper(method: Method) {
  const config = resolveStepExperiment(`step_${method}`);
  const setup = await openModel(config, 'wasm');
  requireGradients();
  const model = buildTaskModel(setup, 2, config.train.seed);
  const trainer = createMethod({ config, model, seed: config.train.seed, stepsPerEpoch: 64, totalSteps: 64, warn: () => undefined });
  const m = config.method;
  const optimizer = new AdamW(trainer.paramGroups(), { beta1: m.adam_beta1, beta2: m.adam_beta2, epsilon: m.adam_epsilon, maxGradNorm: m.max_grad_norm });
  const forward = new TaskForward(model, setup.tokenizer.padId);
  const variables = trainer.paramGroups().flatMap((g) => g.variables);
  const batch = syntheticBatch(model.encoder.config.vocabSize, BATCH, LENGTH, SEED);
  let step = 0;
  return {
    step(): void {
      trainer.beginStep(step);
      let seed = step * 7919;
      const { value, grads } = tf.variableGrads(
        () => taskLoss(forward.logits(batch, { training: true, nextSeed: () => ++seed }), batch.map((e) => e.label), false),
        variables,
      );
      optimizer.accumulate(grads);
      tf.dispose(grads);
      const norm = optimizer.gradientNorm();
      optimizer.apply(1, norm);
      trainer.endStep(step);
      value.dataSync(); // wait for the backend, as PyTorch's loss.item() does
      tf.dispose([value, norm]);
      step++;
    },
    dispose(): void {
      optimizer.dispose();
      trainer.dispose();
      disposeTaskModel(model);
    },
  };
}

function meanMs(f: () => void, runs: number): number {
  const start = performance.now();
  for (let i = 0; i < runs; i++) f();
  return (performance.now() - start) / runs;
}

type Stepper = Awaited<ReturnType<typeof stepper>>;

/**
 * Every engine in rounds — the PyTorch twin (all methods, one process per round), then stock and
 * native for each method — so that load from other processes falls on all of them alike; each
 * engine's figure is its best round (the least disturbed one).
 */
async function timeSteps(native: boolean, python: string | undefined): Promise<{ rows: Timing[]; pytorch: string }> {
  const steppers = new Map<Method, Stepper>();
  const best = new Map<string, number>();
  const keep = (key: string, ms: number) => best.set(key, Math.min(best.get(key) ?? Infinity, ms));
  const engines = (native ? (['stock', 'native'] as Kernels[]) : (['stock'] as Kernels[])).filter((k) => ENGINES.includes(k));
  let pytorch = 'PyTorch: python3-torch is not installed (apt-get install python3-torch)';
  try {
    for (const method of METHODS) {
      const s = await stepper(method);
      steppers.set(method, s);
      for (const kernels of engines) {
        await useKernels(kernels);
        s.step(); // warm-up: kernel set-up, first Adam moments
      }
    }
    for (let round = 0; round < ROUNDS; round++) {
      if (python && ENGINES.includes('pytorch')) {
        const reference = pytorchSteps(python);
        pytorch = reference.engine;
        for (const [method, ms] of reference.steps) keep(`${method} pytorch`, ms);
        log(`  round ${round + 1}: PyTorch ${[...reference.steps].map(([m, ms]) => `${m} ${ms.toFixed(1)}`).join(', ')} ms/step`);
      }
      for (const method of METHODS) {
        const s = steppers.get(method) as Stepper;
        for (const kernels of engines) {
          await useKernels(kernels);
          const ms = meanMs(() => s.step(), kernels === 'stock' ? Math.max(1, Math.ceil(STEPS / 2)) : STEPS);
          keep(`${method} ${kernels}`, ms);
          log(`  round ${round + 1}: ${method} ${kernels} ${ms.toFixed(1)} ms/step`);
        }
      }
    }
  } finally {
    for (const s of steppers.values()) s.dispose();
  }
  const rows = METHODS.map((method) => ({ method, stock: best.get(`${method} stock`), native: best.get(`${method} native`), pytorch: best.get(`${method} pytorch`) }));
  return { rows, pytorch };
}

/** Encoder forward (no pooler), as bench/forward.ts and forward_reference.py time it. */
async function timeForward(native: boolean): Promise<Timing> {
  const config = resolveStepExperiment('step_mask');
  const setup = await openModel(config, 'wasm');
  const model = buildTaskModel(setup, 2, config.train.seed);
  const ids = tf.tensor2d(
    syntheticBatch(model.encoder.config.vocabSize, BATCH, LENGTH, SEED).flatMap((e) => e.ids),
    [BATCH, LENGTH],
    'int32',
  );
  const attentionMask = tf.ones([BATCH, LENGTH], 'int32') as tf.Tensor2D;
  const once = () => {
    const { hidden, pooled } = model.encoder.forward({ inputIds: ids, attentionMask }, { pool: false });
    hidden.dataSync();
    tf.dispose([hidden, ...(pooled ? [pooled] : [])]);
  };
  const out: Timing = { method: 'forward' };
  try {
    for (const kernels of native ? (['stock', 'native'] as const) : (['stock'] as const)) {
      await useKernels(kernels);
      once();
      out[kernels] = meanMs(once, kernels === 'stock' ? 3 : 10);
    }
  } finally {
    tf.dispose([ids, attentionMask]);
    disposeTaskModel(model);
  }
  return out;
}

interface KernelRow {
  name: string;
  calls: number;
  ms: number;
}

/**
 * Time per kernel per step (tf.profile times each kernel as it runs): the median over `steps`
 * steps, so that a step another process pre-empted does not decide the ranking.
 */
async function profileMethod(method: Method, kernels: Kernels, steps: number): Promise<{ rows: KernelRow[]; total: number; wall: number }> {
  const s = await stepper(method);
  try {
    await useKernels(kernels);
    s.step();
    const perStep: Array<Map<string, KernelRow>> = [];
    const walls: number[] = [];
    for (let i = 0; i < steps; i++) {
      const byName = new Map<string, KernelRow>();
      const start = performance.now();
      const info = await tf.profile(() => {
        s.step();
        return tf.scalar(0);
      });
      walls.push(performance.now() - start);
      for (const k of info.kernels) {
        const ms = await (k.kernelTimeMs as number | Promise<number | { error: string }>);
        const name = BY_SHAPE ? `${k.name} ${k.inputShapes.map((shape) => `[${(shape ?? []).join(',')}]`).join(' ')}` : k.name;
        // A custom-gradient op is profiled as 'unnamed scope' around the kernels it runs, which
        // are listed themselves: those rows are left out.
        if (name.startsWith('unnamed scope')) continue;
        const row = byName.get(name) ?? { name, calls: 0, ms: 0 };
        row.calls++;
        row.ms += typeof ms === 'number' ? ms : 0;
        byName.set(name, row);
      }
      tf.dispose(info.result as tf.Tensor);
      perStep.push(byName);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    const names = new Set(perStep.flatMap((m) => [...m.keys()]));
    const rows = [...names]
      .map((name) => ({
        name,
        calls: median(perStep.map((m) => m.get(name)?.calls ?? 0)),
        ms: median(perStep.map((m) => m.get(name)?.ms ?? 0)),
      }))
      .sort((a, b) => b.ms - a.ms);
    return { rows, total: rows.reduce((sum, r) => sum + r.ms, 0), wall: median(walls) };
  } finally {
    s.dispose();
  }
}

async function profile(native: boolean): Promise<void> {
  const engines: Kernels[] = PROFILE_KERNELS === 'both' ? (native ? ['stock', 'native'] : ['stock']) : [PROFILE_KERNELS as Kernels];
  for (const method of METHODS) {
    for (const kernels of engines) {
      if (kernels === 'native' && !native) continue;
      const detail = await useKernels(kernels);
      const { rows, total, wall } = await profileMethod(method, kernels, kernels === 'stock' ? 1 : Math.max(3, STEPS));
      process.stdout.write(`\n${method} on ${detail}: ${total.toFixed(1)} ms in kernels per step (${wall.toFixed(1)} ms wall, profiled; medians over steps)\n`);
      const width = Math.max(24, ...rows.slice(0, TOP).map((r) => r.name.length));
      process.stdout.write(`${'kernel'.padEnd(width)} ${'ms/step'.padStart(9)} ${'share'.padStart(6)} ${'calls'.padStart(6)}\n`);
      for (const r of rows.slice(0, TOP)) {
        process.stdout.write(`${r.name.padEnd(width)} ${r.ms.toFixed(2).padStart(9)} ${((100 * r.ms) / total).toFixed(1).padStart(5)}% ${String(Math.round(r.calls)).padStart(6)}\n`);
      }
    }
  }
}

function pytorchSteps(python: string): { steps: Map<string, number>; engine: string } {
  const step = runTorchReference<{ engine: string; results: Array<{ method: string; msPerStep: number }> }>(python, 'engine_reference.py', [
    modelDir,
    BATCH,
    LENGTH,
    STEPS,
    SEED,
    METHODS.join(','),
  ]);
  return { steps: new Map(step.results.map((r) => [r.method, r.msPerStep])), engine: step.engine };
}

function pytorchForward(python: string | undefined): number | undefined {
  if (!python) return undefined;
  return runTorchReference<{ msPerBatch: number }>(python, 'forward_reference.py', [modelDir, BATCH, LENGTH, 10, SEED]).msPerBatch;
}

function cell(ms: number | undefined, reference: number | undefined): string {
  if (ms === undefined) return '—'.padStart(18);
  const ratio = reference === undefined ? '' : ` (${(ms / reference).toFixed(2)}×)`;
  return `${ms.toFixed(1)}${ratio}`.padStart(18);
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(modelDir, 'model.safetensors'))) {
    log('bench engine: skipped: shared data absent: ../shared/models/bert-tiny-glue-mlm');
    return;
  }
  const kernels = loadNativeKernels();
  const native = !('reason' in kernels);
  if (!native) log(`bench engine: ${kernels.reason}`);
  if (args.includes('--profile')) {
    await profile(native);
    return;
  }
  log(`bench engine: bert-tiny-glue-mlm, batch ${BATCH} × ${LENGTH} tokens, one thread per engine`);
  const python = findTorchPython();
  const stockDetail = await useKernels('stock');
  const nativeDetail = native ? await useKernels('native') : `native kernels: ${(kernels as { reason: string }).reason}`;
  const { rows, pytorch } = await timeSteps(native, python);
  log('  forward…');
  rows.push({ ...(await timeForward(native)), pytorch: pytorchForward(python) });
  if (json) {
    process.stdout.write(JSON.stringify({ batch: BATCH, length: LENGTH, engines: { stock: stockDetail, native: nativeDetail, pytorch }, rows }) + '\n');
    return;
  }
  process.stdout.write(`stock:   tfjs ${stockDetail}\nnative:  tfjs ${nativeDetail}\npytorch: ${pytorch}\n`);
  process.stdout.write(`ms per training step (forward: ms per batch), batch ${BATCH} × ${LENGTH}; (×) = time relative to PyTorch\n`);
  process.stdout.write(`${'method'.padEnd(9)} ${'stock wasm'.padStart(18)} ${'wasm + native'.padStart(18)} ${'PyTorch'.padStart(18)}  native vs stock\n`);
  for (const r of rows) {
    const speedup = r.stock !== undefined && r.native !== undefined ? `${(r.stock / r.native).toFixed(1)}× faster` : '';
    process.stdout.write(`${r.method.padEnd(9)} ${cell(r.stock, r.pytorch)} ${cell(r.native, r.pytorch)} ${cell(r.pytorch, undefined)}  ${speedup}\n`);
  }
  const forward = rows[rows.length - 1];
  const seq = (ms: number | undefined) => (ms === undefined ? '—' : ((BATCH * 1000) / ms).toFixed(0));
  process.stdout.write(`forward sequences/s: stock ${seq(forward.stock)}, native ${seq(forward.native)}, PyTorch ${seq(forward.pytorch)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench engine: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
