// How runs read in the editor: status bar, progress notification, trainer output, end messages
// and the not-on-a-GPU notice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backendNotice, endedMessage, formatDuration, progressMessage, statusBarText, TrainerLogWriter } from '../../../client/src/runs/runText';
import type { RunEnded } from '../../../schemas/src/runNotifications';
import type { ProgressMessage } from '../../../schemas/src/trainerMessages';

const progress = (step: number, over: Partial<ProgressMessage> = {}): ProgressMessage => ({
  type: 'progress', runId: 'r', step, stepsTotal: 190, epoch: step / 63, stepsPerSecond: 3.14, examplesPerSecond: 100, elapsedSeconds: step / 3.14, etaSeconds: 20, ...over,
});
const ended = (over: Partial<RunEnded>): RunEnded => ({ type: 'ended', runId: 'r', state: 'completed', step: 190, message: null, resumable: false, logFile: '/runs/q/r/trainer.log', ...over });

test('the status bar reads `name percent · rate · ETA`, with the sweep cell and other runs counted', () => {
  assert.equal(statusBarText({ experiment: 'quickstart' }, progress(80)), '$(sync~spin) quickstart 42% · 3.1 steps/s · ETA 0:20');
  assert.equal(statusBarText({ experiment: 'seeds', index: 3 }, progress(190, { stepsPerSecond: 25, etaSeconds: null }), 2), '$(sync~spin) seeds #3 100% · 25 steps/s (+2)');
  assert.equal(statusBarText({ experiment: 'big' }, progress(1, { stepsPerSecond: 0.25, etaSeconds: 3725 })), '$(sync~spin) big 1% · 4.0 s/step · ETA 1:02:05');
  assert.equal(statusBarText({ experiment: 'quickstart' }, undefined), '$(sync~spin) quickstart starting…');
  assert.equal(formatDuration(-1), '?');
  assert.equal(progressMessage(progress(80)), 'step 80/190 · epoch 1.27 · 3.1 steps/s · ETA 0:20');
});

test('the GPU notice is only for runs without a GPU, and says how to get one', () => {
  assert.equal(backendNotice({ name: 'tensorflow', device: 'GPU', detail: 'tensorflow (CUDA, GeForce)' }, '/ext'), undefined);
  const notice = backendNotice({ name: 'wasm', device: 'CPU', detail: 'wasm (SIMD, 1 thread)' }, '/home/me/.vscode/extensions/masklab');
  assert.ok(notice);
  assert.match(notice.message, /training on wasm \(SIMD, 1 thread\) · CPU, not a GPU/);
  assert.match(notice.message, /CUDA/);
  assert.match(notice.message, /@tensorflow\/tfjs-node-gpu@4\.22\.0 in the extension's folder/);
  assert.match(notice.message, /masklab\.trainer\.backend/);
  assert.equal(notice.installCommand, 'cd "/home/me/.vscode/extensions/masklab" && npm install --no-save @tensorflow/tfjs-node-gpu@4.22.0');
});

test('end messages say what happened and how to go on', () => {
  assert.equal(endedMessage({ experiment: 'q' }, ended({})), 'Masklab: q completed (190 steps).');
  assert.equal(endedMessage({ experiment: 's', index: 1 }, ended({ state: 'cancelled', step: 40, resumable: true })), 'Masklab: s #1 stopped at step 40; resume it from the Runs view.');
  assert.equal(endedMessage({ experiment: 'q' }, ended({ state: 'failed', step: 7, message: 'the training loss became NaN at step 7; lower method.lr\nmore detail' })), 'Masklab: q failed at step 7: the training loss became NaN at step 7; lower method.lr');
});

test('the trainer output: backend, dev metrics with the latest train loss, thinned progress, warnings, the end and its log', () => {
  const log = new TrainerLogWriter('quickstart r1', 25);
  const lines = [
    ...log.lines({ type: 'started', runId: 'r1', backend: { name: 'wasm', device: 'CPU', detail: 'wasm (SIMD, 1 thread)' }, parameters: 96962, trainable: 69760, stepsTotal: 100, epochs: 3, examples: { train: 1000, dev: 300 } }),
    ...[10, 20, 30, 40, 55, 100].flatMap((step) => log.lines(progress(step, { runId: 'r1', stepsTotal: 100 }))),
    ...log.lines({ type: 'metrics', runId: 'r1', step: 20, epoch: 0.6, time: 4, split: 'train', values: { loss: 0.6942, lr: 0.001 } }),
    ...log.lines({ type: 'metrics', runId: 'r1', step: 20, epoch: 0.6, time: 4, split: 'dev', values: { loss: 0.69314, accuracy: 0.5033, f1: 0.0261 } }),
    ...log.lines({ type: 'warning', runId: 'r1', message: '12 examples were cut at max_length 32' }),
    ...log.lines({ type: 'mask-snapshot', runId: 'r1', step: 20, matrices: [] }),
    ...log.lines({ type: 'failed', runId: 'r1', message: 'bad label', file: '/data/train.tsv', line: 7 }),
    ...log.lines(ended({ runId: 'r1', state: 'failed', step: 20, message: 'bad label\nsee the data', resumable: true })),
  ];
  assert.deepEqual(lines, [
    '[quickstart r1] run r1 started',
    '[quickstart r1] backend wasm (SIMD, 1 thread) · CPU',
    '[quickstart r1] 69,760 of 96,962 parameters trainable · 100 steps, 3 epochs · 1000 train / 300 dev examples',
    '[quickstart r1] step 10/100 · epoch 0.16 · 3.1 steps/s · ETA 0:20 · elapsed 0:03',
    '[quickstart r1] step 40/100 · epoch 0.63 · 3.1 steps/s · ETA 0:20 · elapsed 0:13',
    '[quickstart r1] step 100/100 · epoch 1.59 · 3.1 steps/s · ETA 0:20 · elapsed 0:32',
    '[quickstart r1] step 20  epoch 0.60  dev  accuracy 0.5033  f1 0.0261  loss 0.6931  train loss 0.6942',
    '[quickstart r1] warning: 12 examples were cut at max_length 32',
    '[quickstart r1] failed (/data/train.tsv:7): bad label',
    '[quickstart r1] ended: failed at step 20 (resumable)',
    '[quickstart r1]   bad label',
    '[quickstart r1]   see the data',
    '[quickstart r1] log: /runs/q/r/trainer.log',
  ]);
});
