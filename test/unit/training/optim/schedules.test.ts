import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lrMultiplier, scheduledSparsity } from '../../../../server/src/training/optim/lrSchedule';
import { durationToSteps, pointToSteps, stepsPerEpoch, totalSteps } from '../../../../server/src/training/optim/runPoints';

describe('learning-rate schedules', () => {
  test('linear warm-up reaches the peak on its last step, then linear decay never takes a zero step', () => {
    const spec = { kind: 'linear' as const, warmupSteps: 4, totalSteps: 10 };
    const values = Array.from({ length: 10 }, (_, s) => lrMultiplier(s, spec));
    assert.deepEqual(values.slice(0, 4), [0.25, 0.5, 0.75, 1]);
    assert.equal(values[4], 1);
    for (let s = 5; s < 10; s++) assert.ok(Math.abs(values[s] - (10 - s) / 6) < 1e-12, `step ${s}`);
    assert.ok(values[9] > 0);
  });

  test('cosine decays from 1 through ½ at mid-run; constant stays at 1 after warm-up', () => {
    const cosine = { kind: 'cosine' as const, warmupSteps: 0, totalSteps: 100 };
    assert.equal(lrMultiplier(0, cosine), 1);
    assert.ok(Math.abs(lrMultiplier(50, cosine) - 0.5) < 1e-12);
    assert.ok(lrMultiplier(99, cosine) < 0.001 && lrMultiplier(99, cosine) > 0);
    const constant = { kind: 'constant' as const, warmupSteps: 2, totalSteps: 5 };
    assert.deepEqual([0, 1, 2, 3, 4].map((s) => lrMultiplier(s, constant)), [0.5, 1, 1, 1, 1]);
  });

  test('sparsity schedules: constant, linear and cubic between start and end', () => {
    assert.equal(scheduledSparsity(0, 'constant', 0.4, 10, 20), 0.4);
    assert.equal(scheduledSparsity(5, 'linear', 0.4, 10, 20), 0);
    assert.ok(Math.abs(scheduledSparsity(15, 'linear', 0.4, 10, 20) - 0.2) < 1e-12);
    // Cubic: s(1 − (1 − t)³) — at t = ½ already 7/8 of the way.
    assert.ok(Math.abs(scheduledSparsity(15, 'cubic', 0.4, 10, 20) - 0.4 * 0.875) < 1e-12);
    assert.equal(scheduledSparsity(25, 'cubic', 0.4, 10, 20), 0.4);
    // From an initial value (mask's p₀ → target).
    assert.ok(Math.abs(scheduledSparsity(0, 'cubic', 0.5, 0, 10, 0.05) - 0.05) < 1e-12);
  });

  test('run points: fractions of the run, steps and epochs, as the analyser counts them', () => {
    const perEpoch = stepsPerEpoch(1000, 32, 2); // ceil(ceil(1000/32)/2) = ceil(32/2) = 16
    assert.equal(perEpoch, 16);
    assert.equal(totalSteps(perEpoch, 2.5, null), 40);
    assert.equal(totalSteps(perEpoch, 3, 20), 20);
    const geometry = { stepsPerEpoch: perEpoch, totalSteps: 40 };
    assert.equal(pointToSteps(0.1, geometry), 4);
    assert.equal(pointToSteps({ amount: 1, unit: 'epochs' }, geometry), 16);
    assert.equal(pointToSteps({ amount: 500, unit: 'steps' }, geometry), 40, 'clamped to the run');
    assert.equal(durationToSteps({ amount: 3, unit: 'epochs' }, perEpoch), 48);
  });
});
