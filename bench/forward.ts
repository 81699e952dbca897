// Forward-pass throughput of the tfjs encoder on the shared checkpoint, per available backend,
// beside a PyTorch twin (bench/forward_reference.py, one thread) run in the same command.
//
//   node --import tsx bench/forward.ts [--batch 32] [--length 64] [--json]
//
// Skips (exit 0, with the reason) when ../shared or python3-torch is absent. Not a test.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { openCheckpoint } from '../server/src/checkpoint';
import { selectBackend, type BackendName } from '../server/src/training/backend/selectBackend';
import { buildEncoder } from '../server/src/training/model/buildEncoder';
import { checkpointWeightSource } from '../server/src/training/model/checkpointWeights';
import { findTorchPython, runTorchReference } from './torchReference';

interface Measurement {
  engine: string;
  seqPerSec: number;
  msPerBatch: number;
  runs: number;
}

const root = path.resolve(__dirname, '..');
const modelDir = path.resolve(root, '../shared/models/bert-tiny-glue-mlm');
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const BATCH = option('batch', 32);
const LENGTH = option('length', 64);
const SEED = 1234;
const json = args.includes('--json');
const log = (line: string) => process.stderr.write(line + '\n');

/** Runs per engine: enough to average out noise, few enough for the pure-JS backend. */
const RUNS: Record<BackendName, number> = { tensorflow: 10, wasm: 5, cpu: 2 };


/** Seeded ids in the vocabulary's ordinary range; the cost depends only on the shape, so PyTorch draws its own. */
function randomIds(vocab: number): Int32Array {
  let state = SEED;
  const ids = new Int32Array(BATCH * LENGTH);
  for (let i = 0; i < ids.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    ids[i] = 1000 + (state % (vocab - 1000));
  }
  return ids;
}

async function measureTfjs(request: BackendName): Promise<Measurement | string> {
  let detail: string;
  try {
    detail = (await selectBackend(request)).detail;
  } catch (error) {
    return `${request}: ${error instanceof Error ? error.message : String(error)}`;
  }
  const encoder = buildEncoder(checkpointWeightSource(openCheckpoint(modelDir)));
  const inputIds = tf.tensor2d(randomIds(encoder.config.vocabSize), [BATCH, LENGTH], 'int32');
  const attentionMask = tf.ones([BATCH, LENGTH], 'int32') as tf.Tensor2D;
  const batch = { inputIds, attentionMask };
  const once = async () => {
    const { hidden, pooled } = encoder.forward(batch, { pool: false });
    await hidden.data(); // wait for the backend to finish, as PyTorch's call does
    tf.dispose([hidden, ...(pooled ? [pooled] : [])]);
  };
  await once(); // warm-up: kernel setup, wasm compilation
  const runs = RUNS[request];
  const start = performance.now();
  for (let i = 0; i < runs; i++) await once();
  const ms = (performance.now() - start) / runs;
  tf.dispose([inputIds, attentionMask]);
  encoder.dispose();
  return { engine: `tfjs ${detail}`, seqPerSec: (BATCH * 1000) / ms, msPerBatch: ms, runs };
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(modelDir, 'model.safetensors'))) {
    log(`bench forward: skipped: shared data absent: ../shared/models/bert-tiny-glue-mlm`);
    return;
  }
  const python = findTorchPython();
  if (!python) {
    log('bench forward: skipped: python3-torch is not installed (apt-get install python3-torch python3-numpy libopenblas0-pthread)');
    return;
  }
  log(`bench forward: bert-tiny-glue-mlm, batch ${BATCH} × ${LENGTH} tokens, one thread per engine`);
  const reference = runTorchReference<Measurement>(python, 'forward_reference.py', [modelDir, BATCH, LENGTH, 10, SEED]);
  const results: Measurement[] = [reference];
  const skipped: string[] = [];
  for (const backend of ['tensorflow', 'wasm', 'cpu'] as const) {
    const result = await measureTfjs(backend);
    if (typeof result === 'string') skipped.push(result);
    else results.push(result);
  }
  if (json) {
    process.stdout.write(JSON.stringify({ batch: BATCH, length: LENGTH, results, skipped }) + '\n');
    return;
  }
  const width = Math.max(...results.map((r) => r.engine.length));
  process.stdout.write(`${'engine'.padEnd(width)}  ${'seq/s'.padStart(9)}  ${'ms/batch'.padStart(9)}  vs PyTorch\n`);
  for (const r of results) {
    const ratio = r === reference ? 'reference' : `${(r.msPerBatch / reference.msPerBatch).toFixed(1)}× slower`;
    process.stdout.write(`${r.engine.padEnd(width)}  ${r.seqPerSec.toFixed(1).padStart(9)}  ${r.msPerBatch.toFixed(1).padStart(9)}  ${ratio}\n`);
  }
  for (const reason of skipped) process.stdout.write(`skipped ${reason}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench forward: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
