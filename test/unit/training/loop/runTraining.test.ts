import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig, MethodConfig } from '../../../../schemas/src/experimentConfig';
import { evaluateArtifact, runTraining, TrainingFailedError, type TrainingResult, type TrainingState } from '../../../../server/src/training/loop';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, sharedModelDir } from '../sharedPaths';
import { defaultMethod, RecordingSink, tinyRunConfig, writeTinyTask, type TinyTask } from './tinyRun';

const STSB_RELATIVE = '../shared/data/glue/STS-B';
const stsbDir = path.resolve(repoRoot(), STSB_RELATIVE);
const SKIP_STSB = (!fs.existsSync(path.join(stsbDir, 'train.tsv')) || !fs.existsSync(path.join(sharedModelDir, 'model.safetensors'))) && `shared data absent: ${STSB_RELATIVE} or the shared model`;

let task: TinyTask;
before(() => {
  task = writeTinyTask();
});
after(() => task.remove());

function config(method: Partial<MethodConfig> & Pick<MethodConfig, 'kind'>, train: Partial<ExperimentConfig['train']> = {}, evaluate: Partial<ExperimentConfig['evaluate']> = {}): ExperimentConfig {
  return tinyRunConfig(task, { ...defaultMethod(method.kind), ...method } as MethodConfig, train, evaluate);
}

/** Runs to the end; with `stopAfter`, cancels after that step and resumes from the saved state. */
async function run(cfg: ExperimentConfig, stopAfter?: number): Promise<{ result: TrainingResult; final: TrainingState; sinks: RecordingSink[] }> {
  const first = new RecordingSink();
  const controller = new AbortController();
  const result = await runTraining(cfg, first, {
    runId: 'test',
    signal: controller.signal,
    onStepEnd: (step) => {
      if (step === stopAfter) controller.abort();
    },
  });
  if (stopAfter === undefined) return { result, final: first.saved[first.saved.length - 1], sinks: [first] };
  assert.equal(result.outcome, 'cancelled');
  assert.equal(result.step, stopAfter);
  const resumedFrom = first.saved[first.saved.length - 1];
  assert.equal(resumedFrom.step, stopAfter, 'cancelling checkpoints the step it stopped at');
  const second = new RecordingSink();
  const resumed = await runTraining(cfg, second, { runId: 'test', resume: resumedFrom });
  assert.equal(second.ofType('started')[0].resumedFromStep, stopAfter);
  return { result: resumed, final: second.saved[second.saved.length - 1], sinks: [first, second] };
}

function assertSameState(a: TrainingState, b: TrainingState): void {
  assert.equal(a.step, b.step);
  assert.deepEqual(Object.keys(a.tensors).sort(), Object.keys(b.tensors).sort());
  for (const key of Object.keys(a.tensors)) assert.deepEqual(b.tensors[key].data, a.tensors[key].data, `tensor ${key}`);
  assert.deepEqual(b.meta.best, a.meta.best);
  assert.deepEqual(b.meta.method, a.meta.method);
}

describe('runTraining', () => {
  for (const [name, cfg, stop] of [
    ['mask, stochastic variant, dropout and gradient accumulation', () => config({ kind: 'mask', variant: 'stochastic', initial_sparsity: 0.2 }, { grad_accumulation: 2, epochs: 2 }), 4],
    ['finetune with a warm-up and linear decay', () => config({ kind: 'finetune', lr: 1e-3 }, { epochs: 2 }), 5],
    ['dsee cancelled in stage 1, resumed across head pruning into re-tuning', () => config({ kind: 'dsee', lr: 5e-3, prune: { kind: 'heads', heads: 1, retune: { amount: 4, unit: 'steps' } } }, { epochs: 1 }), 3],
    ['dsee cancelled in the re-tuning stage after unstructured pruning', () => config({ kind: 'dsee', lr: 5e-3, prune: { kind: 'unstructured', sparsity: 0.3, retune: { amount: 5, unit: 'steps' } } }, { epochs: 1 }), 8],
  ] as const) {
    test(`resuming equals an uninterrupted run: ${name}`, async () => {
      const uninterrupted = await run(cfg());
      const resumed = await run(cfg(), stop);
      assertSameState(uninterrupted.final, resumed.final);
      assert.deepEqual(resumed.result.best, uninterrupted.result.best);
      assert.deepEqual(resumed.result.final, uninterrupted.result.final);
      assert.deepEqual(resumed.result.artifact, uninterrupted.result.artifact);
      // The dev metrics the two segments reported are the uninterrupted run's, step for step.
      const dev = (sinks: RecordingSink[]) => sinks.flatMap((s) => s.ofType('metrics').filter((m) => m.split === 'dev').map((m) => [m.step, m.values]));
      assert.deepEqual(dev(resumed.sinks), dev(uninterrupted.sinks));
    });
  }

  test('messages: started, progress, train and dev metrics as fractions, snapshots, checkpoint, finished', async () => {
    const sink = new RecordingSink();
    const result = await runTraining(config({ kind: 'mask' }, { epochs: 2, checkpoint_every: { amount: 5, unit: 'steps' } }), sink, { runId: 'r1' });
    const started = sink.ofType('started')[0];
    assert.equal(sink.messages[0].type, 'started');
    assert.equal(started.stepsTotal, 12, '48 examples, batch 8, 2 epochs');
    assert.deepEqual(started.examples, { train: 48, dev: 24 });
    assert.equal(started.backend.name, 'cpu');
    assert.equal(started.trainable, result.trainableParameters);
    assert.ok(started.trainable < started.parameters);
    const dev = sink.ofType('metrics').filter((m) => m.split === 'dev');
    assert.deepEqual(dev.map((m) => m.step), [4, 8, 12]);
    for (const m of dev) for (const metric of ['accuracy', 'f1']) assert.ok(m.values[metric] >= 0 && m.values[metric] <= 1);
    const train = sink.ofType('metrics').filter((m) => m.split === 'train');
    assert.ok(train.length > 0 && train.every((m) => Number.isFinite(m.values.loss) && m.values.lr === 1e-3 && m.values.sparsity > 0));
    const snapshots = sink.ofType('mask-snapshot');
    assert.equal(snapshots.length, 3);
    const image = snapshots[0].matrices.find((m) => m.matrix === 'intermediate');
    assert.ok(image);
    assert.deepEqual(image.shape, [16, 8]);
    assert.equal(Buffer.from(image.image.data, 'base64').length, image.image.width * image.image.height);
    assert.equal(image.scores?.counts.reduce((a, b) => a + b, 0), 16 * 8);
    assert.deepEqual(sink.ofType('checkpoint').map((m) => m.step), [5, 10, 12]);
    assert.ok(sink.ofType('progress').length >= 1);
    assert.deepEqual(sink.messages[sink.messages.length - 1], { type: 'finished', runId: 'r1', outcome: 'completed', step: 12 });
    assert.ok(Object.keys(result.sparsity).length === 14 && Object.values(result.sparsity).every((s) => s > 0 && s < 0.2));
  });

  test('a non-finite loss stops the run with a failed message and never saves the bad state', async () => {
    const sink = new RecordingSink();
    const cfg = config({ kind: 'finetune', lr: 1e30, max_grad_norm: 0, weight_decay: 0, warmup: 0, schedule: 'constant' }, { checkpoint_every: { amount: 1, unit: 'steps' } });
    await assert.rejects(runTraining(cfg, sink, { runId: 'nan' }), TrainingFailedError);
    const failed = sink.ofType('failed');
    assert.equal(failed.length, 1);
    assert.match(failed[0].message, /step \d+: the (training loss|gradient norm) is (NaN|Infinity)/);
    assert.ok(typeof failed[0].step === 'number' && failed[0].step > 1);
    assert.equal(sink.ofType('finished').length, 0);
    assert.ok(sink.saved.length >= 1, 'the good steps before it were checkpointed');
    assert.ok(sink.saved.every((state) => Object.values(state.tensors).every((t) => t.data.every(Number.isFinite))));
    assert.ok(sink.saved.every((state) => state.step < (failed[0].step as number)));
  });

  test('data errors are reported with their file and line', async () => {
    const sink = new RecordingSink();
    const cfg = config({ kind: 'mask' });
    cfg.task.train = { ref: 'missing.tsv', path: `${task.dataDir}/missing.tsv` };
    await assert.rejects(runTraining(cfg, sink, { runId: 'data' }), TrainingFailedError);
    const failed = sink.ofType('failed')[0];
    assert.equal(failed.file, `${task.dataDir}/missing.tsv`);
    assert.match(failed.message, /does not exist/);
  });

  test('the live tensor count is flat across steps and evaluations', async () => {
    for (const method of [{ kind: 'mask' as const }, { kind: 'sparse_finetune' as const, selection: 'stochastic' as const }, { kind: 'finetune' as const }, { kind: 'dsee' as const }]) {
      const counts: number[] = [];
      const before = tf.memory().numTensors;
      await runTraining(config(method, { epochs: 1 }), new RecordingSink(), { runId: 'count', onStepEnd: () => counts.push(tf.memory().numTensors) });
      assert.ok(counts.every((c) => c === counts[0]), `${method.kind}: ${counts.join(' ')}`);
      assert.equal(tf.memory().numTensors, before, `${method.kind}: everything is freed at the end`);
    }
  });

  test('the frozen-prefix cache computes the same run as recomputing the frozen blocks (dropout 0)', async () => {
    const cfg = config({ kind: 'mask', blocks: [1], initial_sparsity: 0.2 }, { dropout: 0, epochs: 1 });
    const cached = new RecordingSink();
    const plain = new RecordingSink();
    await runTraining(cfg, cached, { runId: 'cached' });
    await runTraining(cfg, plain, { runId: 'plain', prefixCache: false });
    const last = (sink: RecordingSink) => sink.saved[sink.saved.length - 1];
    for (const key of Object.keys(last(plain).tensors)) {
      const a = last(plain).tensors[key].data;
      const b = last(cached).tensors[key].data;
      assert.ok(a.every((v, i) => Math.abs(v - b[i]) <= 1e-6 * Math.max(1, Math.abs(v))), `tensor ${key}`);
    }
    const dev = (sink: RecordingSink) => sink.ofType('metrics').filter((m) => m.split === 'dev').map((m) => m.values.accuracy);
    assert.deepEqual(dev(cached), dev(plain));
  });

  test('regression on STS-B pairs with the shared pretrained BERT: squared error, Pearson and Spearman', { skip: SKIP_STSB }, async () => {
    const ref = (p: string) => ({ ref: p, path: p });
    const cfg: ExperimentConfig = {
      ...config({ kind: 'dsee', lr: 1e-3, rank: 4 }, { epochs: 1, batch: 16 }, { metrics: ['pearson', 'spearman'], every: { amount: 2, unit: 'steps' } }),
      model: { ref: sharedModelDir, dir: sharedModelDir },
      device: { backend: 'wasm', require_gpu: false, threads: 1 },
      task: {
        kind: 'glue',
        name: 'stsb',
        data: ref(stsbDir),
        regression: true,
        labels: null,
        max_length: 32,
        max_examples: 32,
        dev_examples: 24,
        train: ref(path.join(stsbDir, 'train.tsv')),
        dev: ref(path.join(stsbDir, 'dev.tsv')),
      },
    };
    const sink = new RecordingSink();
    const result = await runTraining(cfg, sink, { runId: 'stsb' });
    assert.equal(sink.ofType('started')[0].stepsTotal, 2);
    const dev = sink.ofType('metrics').filter((m) => m.split === 'dev');
    assert.ok(dev.length > 0);
    for (const m of dev) {
      assert.deepEqual(Object.keys(m.values).sort(), ['loss', 'pearson', 'spearman']);
      assert.ok(m.values.pearson >= -1 && m.values.pearson <= 1);
    }
    assert.equal(result.artifact.numLabels, 1, 'one regression output');
    assert.deepEqual(await evaluateArtifact(cfg, result.artifact), result.best?.values);
  });

  for (const [name, method, keep] of [
    ['mask (threshold, head masked)', { kind: 'mask', initial_sparsity: 0.2 }, 'best'],
    ['mask (stochastic), keep last', { kind: 'mask', variant: 'stochastic', initial_sparsity: 0.2 }, 'last'],
    ['finetune with embeddings', { kind: 'finetune', lr: 1e-3 }, 'best'],
    ['sparse_finetune topk, trained head', { kind: 'sparse_finetune', sparsity: 0.3, also: ['pooler'] }, 'last'],
    ['sparse_finetune layers', { kind: 'sparse_finetune', mode: 'layers', blocks: [1], lr: 1e-3 }, 'last'],
    ['dsee, GreBsmo support', { kind: 'dsee', lr: 5e-3 }, 'last'],
    ['dsee, unstructured pruning', { kind: 'dsee', lr: 5e-3, also: ['head', 'pooler'], prune: { kind: 'unstructured', sparsity: 0.3, retune: { amount: 4, unit: 'steps' } } }, 'last'],
    ['dsee, heads pruning', { kind: 'dsee', lr: 5e-3, prune: { kind: 'heads', heads: 1, retune: { amount: 4, unit: 'steps' } } }, 'best'],
    ['mask on the top block only (cached frozen prefix)', { kind: 'mask', blocks: [1], also: [], initial_sparsity: 0.3 }, 'last'],
  ] as const) {
    test(`evaluateArtifact reproduces the run's kept metrics: ${name}`, async () => {
      const cfg = config(method as Partial<MethodConfig> & Pick<MethodConfig, 'kind'>, { epochs: 1 }, { keep });
      const { result } = await run(cfg);
      const kept = keep === 'best' ? result.best : result.final;
      assert.ok(kept);
      const tensors = tf.memory().numTensors;
      const values = await evaluateArtifact(cfg, result.artifact);
      assert.deepEqual(values, kept.values);
      assert.equal(tf.memory().numTensors, tensors, 'evaluateArtifact frees what it creates');
    });
  }
});
