// A stand-in for the training core's runTraining, with the same contract (sink, resume, signal,
// result), no tfjs and tiny cost: a deterministic "model" of four numbers that evolves step by
// step. Resuming from any checkpoint gives exactly what an uninterrupted run gives, like the real
// core promises, so the run store's resume can be tested against it. Knobs come from the config
// (train.max_steps, evaluate.every, train.checkpoint_every) and from environment variables, since
// the fake also runs inside a forked trainer process:
//   FAKE_STEP_MS       sleep per step (default 0)
//   FAKE_NAN_AT        the loss becomes NaN at this step (the run fails; checkpoints kept)
//   FAKE_BAD_MESSAGE   send one malformed message on the IPC channel before training
//   FAKE_IGNORE_CANCEL never look at the abort signal

import type { ExperimentConfig } from '../../../schemas/src/experimentConfig';
import type { StoredTrainingState } from '../../../server/src/runs/checkpointFiles';
import type { HostedTrainingResult, HostedTrainingSink, HostedTrainingOptions } from '../../../server/src/runs/trainingContract';

export const FAKE_MATRIX = 'encoder.layer.0.attention.self.query.weight';
export const FAKE_PARAMETERS = 4_000;

function stepsOf(config: ExperimentConfig): number {
  return config.train.max_steps ?? 12;
}

function everyOf(d: { amount: number; unit: string }, fallback: number): number {
  return d.unit === 'steps' && d.amount > 0 ? d.amount : fallback;
}

/** The fake model's deterministic update. */
function advance(w: Float32Array, step: number): void {
  for (let i = 0; i < w.length; i++) w[i] = Math.fround(w[i] * 0.9 + Math.sin(step + i) * 0.1);
}

function devAccuracy(w: Float32Array): number {
  return Math.round(((Math.tanh(w[0] + w[1]) + 1) / 2) * 1e6) / 1e6;
}

function maskOf(w: Float32Array): Uint8Array {
  const bits = new Uint8Array(16 * 8);
  for (let i = 0; i < bits.length; i++) bits[i] = Math.sin(i * 12.9898 + w[2] * 78.233) > -0.9 ? 1 : 0;
  return bits;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function fakeRunTraining(config: ExperimentConfig, sink: HostedTrainingSink, options: HostedTrainingOptions): Promise<HostedTrainingResult> {
  const env = process.env;
  const total = stepsOf(config);
  const evalEvery = everyOf(config.evaluate.every, 4);
  const checkpointEvery = everyOf(config.train.checkpoint_every, 5);
  const stepMs = Number(env.FAKE_STEP_MS ?? 0);
  const nanAt = env.FAKE_NAN_AT === undefined ? -1 : Number(env.FAKE_NAN_AT);
  const runId = options.runId;

  const w = options.resume ? Float32Array.from(options.resume.tensors.w.data) : Float32Array.of(0.5, -0.25, 0.125, 1);
  let step = options.resume?.step ?? 0;
  let best = (options.resume?.meta.best as { step: number; epoch: number; values: Record<string, number> } | null | undefined) ?? null;
  let last = (options.resume?.meta.last as typeof best | undefined) ?? null;
  const state = (): StoredTrainingState => ({ step, epoch: step / 10, tensors: { w: { shape: [4], data: Float32Array.from(w) } }, meta: { best, last } });

  sink.emit({
    type: 'started',
    runId,
    backend: { name: 'cpu', device: 'CPU', detail: 'fake (no tfjs)' },
    parameters: FAKE_PARAMETERS,
    trainable: 128,
    stepsTotal: total,
    epochs: total / 10,
    examples: { train: 100, dev: 20 },
    ...(options.resume ? { resumedFromStep: options.resume.step } : {}),
  });
  if (env.FAKE_BAD_MESSAGE && process.send) process.send({ type: 'finished', runId, outcome: 'exploded' });

  const evaluate = () => {
    const values = { accuracy: devAccuracy(w), loss: Math.abs(w[3]) };
    const point = { step, epoch: step / 10, values };
    sink.emit({ type: 'metrics', runId, step, epoch: step / 10, time: step * 0.01, split: 'dev', values });
    sink.emit({
      type: 'mask-snapshot',
      runId,
      step,
      matrices: [{ name: FAKE_MATRIX, block: 0, matrix: 'query', shape: [16, 8], kept: maskOf(w).reduce((a, b) => a + b, 0) / 128, image: { width: 8, height: 16, data: Buffer.from(maskOf(w).map((b) => b * 255)).toString('base64') } }],
    });
    last = point;
    if (!best || values.accuracy > (best.values.accuracy ?? -1)) best = point;
  };

  while (step < total) {
    if (options.signal?.aborted && !env.FAKE_IGNORE_CANCEL) {
      await sink.saveState(step, state());
      return result('cancelled');
    }
    if (stepMs > 0) await sleep(stepMs);
    step++;
    if (step === nanAt) {
      sink.emit({ type: 'failed', runId, message: `the training loss became NaN at step ${step}; lower method.lr`, step });
      throw new Error(`loss is NaN at step ${step}`);
    }
    advance(w, step);
    sink.emit({ type: 'metrics', runId, step, epoch: step / 10, time: step * 0.01, split: 'train', values: { loss: Math.abs(w[0]), lr: config.method.lr } });
    sink.emit({ type: 'progress', runId, step, stepsTotal: total, epoch: step / 10, stepsPerSecond: 50, examplesPerSecond: 1600, elapsedSeconds: step * 0.02, etaSeconds: (total - step) * 0.02 });
    if (step % evalEvery === 0 || step === total) evaluate();
    if (step % checkpointEvery === 0 || step === total) await sink.saveState(step, state());
  }
  return result('completed');

  function result(outcome: 'completed' | 'cancelled'): HostedTrainingResult {
    const bits = maskOf(w);
    return {
      outcome,
      step,
      best,
      final: last,
      sparsity: { [FAKE_MATRIX]: 1 - bits.reduce((a, b) => a + b, 0) / bits.length },
      trainableParameters: 128,
      artifact: {
        version: 1,
        method: 'mask',
        numLabels: 2,
        head: { kind: 'seed', seed: config.train.seed },
        masks: [{ name: FAKE_MATRIX, shape: [16, 8], bits, role: 'mask' }],
        tensors: [],
        deltas: [],
        prunedHeads: [],
      },
    };
  }
}
