import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProgressMessage, TrainerMessage } from '../../../schemas/src/trainerMessages';
import { TrainReporter } from '../../../server/src/cli/trainReport';
import { formatBytes, formatDuration, metricsLine, PlainProgressPolicy, progressBar, progressLine } from '../../../server/src/runs/progressText';
import { captureIO } from '../../support/cliCapture';

const progress = (step: number, extra: Partial<ProgressMessage> = {}): ProgressMessage => ({
  type: 'progress', runId: 'r', step, stepsTotal: 200, epoch: step / 100, stepsPerSecond: 3.2, examplesPerSecond: 100, elapsedSeconds: step / 3.2, etaSeconds: (200 - step) / 3.2, ...extra,
});

describe('progress text', () => {
  test('bar, plain line and metrics line carry percent, rate and ETA', () => {
    assert.equal(progressBar(progress(50), 8), '[██░░░░░░]  25%  50/200 steps  epoch 0.50  3.2 steps/s  ETA 0:47');
    assert.equal(progressLine(progress(50)), 'step 50/200 (25%, epoch 0.50)  3.2 steps/s  elapsed 0:16  ETA 0:47');
    assert.match(progressBar(progress(1, { stepsPerSecond: 0.25, etaSeconds: null })), /4\.0 s\/step {2}ETA …$/);
    assert.equal(metricsLine({ step: 4, epoch: 0.04, split: 'dev', values: { loss: 0.5, accuracy: 0.75 } }), 'step 4  epoch 0.04  dev  accuracy 0.7500  loss 0.5000');
    assert.equal(formatDuration(3723), '1:02:03');
    assert.equal(formatBytes(17_737_792), '17.7 MB');
  });

  test('without a terminal: a line every 10 % or every 15 s, never two within 2 s', () => {
    const policy = new PlainProgressPolicy();
    const printed: number[] = [];
    // 200 steps at 4 steps/s (times exact in binary): the 10 % rule.
    for (let step = 1; step <= 200; step++) if (policy.shouldPrint(progress(step), step / 4)) printed.push(step);
    assert.deepEqual(printed, [1, 21, 41, 61, 81, 101, 121, 141, 161, 181, 200]);
    const slow = new PlainProgressPolicy();
    const slowPrinted: number[] = [];
    // One step every 2 s: the 15 s rule fires long before the next 10 % (20 steps).
    for (let step = 1; step <= 40; step++) if (slow.shouldPrint(progress(step), step * 2)) slowPrinted.push(step);
    assert.deepEqual(slowPrinted, [1, 9, 17, 25, 33]);
  });

  test('on a terminal the bar is redrawn in place and cleared around metric lines', () => {
    const { io, out } = captureIO();
    const status: string[] = [];
    io.status = (t) => status.push(t);
    const reporter = new TrainReporter(io);
    const send = (m: TrainerMessage) => reporter.onMessage(m);
    send(progress(10));
    send({ type: 'metrics', runId: 'r', step: 10, epoch: 0.1, time: 1, split: 'train', values: { loss: 0.7 } });
    send({ type: 'metrics', runId: 'r', step: 10, epoch: 0.1, time: 1, split: 'dev', values: { accuracy: 0.5 } });
    assert.deepEqual(out, ['step 10  epoch 0.10  dev  accuracy 0.5000  train loss 0.7000']);
    assert.equal(status.length, 3);
    assert.match(status[0], /^\[█.*\] +5% {2}10\/200 steps/);
    assert.equal(status[1], '', 'cleared before the line');
    assert.equal(status[2], status[0], 'and redrawn after it');
  });
});
