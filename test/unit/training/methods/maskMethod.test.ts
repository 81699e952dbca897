import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../server/src/training/backend/selectBackend';
import { AdamW } from '../../../../server/src/training/optim/adamW';
import { allLinears } from '../../../../server/src/training/methods/taskModel';
import { buildModel, EXAMPLES, methodHarness } from './harness';
import { TaskForward } from '../../../../server/src/training/loop/taskForward';

const WIDE = { hiddenSize: 32, intermediateSize: 64, numHeads: 2 };

function scoreVariables(harness: ReturnType<typeof methodHarness>): tf.Variable[] {
  return harness.method.paramGroups().flatMap((g) => g.variables);
}

function maskedFraction(harness: ReturnType<typeof methodHarness>): { dropped: number; total: number } {
  let dropped = 0;
  let total = 0;
  for (const mask of harness.method.artifact().masks) {
    for (const bit of mask.bits) dropped += bit ? 0 : 1;
    total += mask.bits.length;
  }
  return { dropped, total };
}

describe('mask method', () => {
  test('with nothing masked, the model computes exactly the pretrained model', async () => {
    await selectBackend('cpu');
    const harness = methodHarness('mask');
    const reference = buildModel();
    try {
      for (const scores of scoreVariables(harness)) tf.tidy(() => scores.assign(tf.onesLike(scores)));
      harness.method.beginEvaluation(0);
      assert.equal(maskedFraction(harness).dropped, 0);
      const plain = tf.tidy(() => new TaskForward(reference, 0).logits(EXAMPLES, { training: false }).arraySync());
      assert.deepEqual(harness.logits(), plain, 'bit-identical logits');
      // And a mask that drops entries changes them (the comparison above can fail).
      harness.method.beginStep(0);
      const first = scoreVariables(harness)[0];
      tf.tidy(() => first.assign(tf.neg(tf.onesLike(first))));
      harness.method.beginEvaluation(0);
      assert.notDeepEqual(harness.logits(), plain);
    } finally {
      harness.dispose();
      reference.encoder.dispose();
      reference.head.dispose();
    }
  });

  for (const variant of ['threshold', 'sign', 'stochastic'] as const) {
    for (const p0 of [0.05, 0.3]) {
      test(`${variant}: the initial sparsity is p₀ = ${p0} within sampling error`, async () => {
        await selectBackend('cpu');
        const harness = methodHarness('mask', { variant, initial_sparsity: p0, threshold: 0.01, init_low: 0.02 }, WIDE);
        try {
          harness.method.beginStep(0);
          const sparsity = harness.method.trainMetrics().sparsity;
          const total = scoreVariables(harness).reduce((sum, v) => sum + v.size, 0);
          const sigma = Math.sqrt((p0 * (1 - p0)) / total);
          assert.ok(total > 10000, 'enough entries for a tight bound');
          assert.ok(Math.abs(sparsity - p0) < 4 * sigma, `sparsity ${sparsity} vs p₀ ${p0} (σ ${sigma.toFixed(4)})`);
          if (variant !== 'stochastic') {
            // The initialisation itself: S ~ U(−a, c) with P(S ≤ τ) = p₀, all within [−a, c].
            const tau = variant === 'sign' ? 0 : 0.01;
            const c = (0.02 + tau) / p0 - 0.02;
            const values = scoreVariables(harness).flatMap((v) => Array.from(v.dataSync()));
            assert.ok(values.every((s) => s >= -0.02 && s <= Math.min(c, variant === 'sign' ? 1 : Infinity)));
            const below = values.filter((s) => s <= tau).length / values.length;
            assert.ok(Math.abs(below - p0) < 4 * sigma);
          }
        } finally {
          harness.dispose();
        }
      });
    }
  }

  test('sign: scores are clipped to [−1, 1] after every update', async () => {
    await selectBackend('cpu');
    const harness = methodHarness('mask', { variant: 'sign', initial_sparsity: 0.05, init_low: 0.5 });
    try {
      const scores = scoreVariables(harness)[0];
      tf.tidy(() => scores.assign(tf.mul(tf.onesLike(scores), 3)));
      harness.method.endStep(0);
      assert.ok(Array.from(scores.dataSync()).every((s) => s === 1));
    } finally {
      harness.dispose();
    }
  });

  test('stochastic: a fresh draw per step, the same draw for the same step and seed, one fixed draw for evaluation', async () => {
    await selectBackend('cpu');
    const a = methodHarness('mask', { variant: 'stochastic', initial_sparsity: 0.3 });
    const b = methodHarness('mask', { variant: 'stochastic', initial_sparsity: 0.3 });
    try {
      const bits = (h: typeof a) => h.method.artifact().masks.map((m) => Array.from(m.bits)).flat();
      a.method.beginStep(3);
      b.method.beginStep(3);
      assert.deepEqual(a.logits(), b.logits(), 'same seed and step, same masks');
      const step3 = a.logits();
      a.method.beginStep(4);
      assert.notDeepEqual(a.logits(), step3, 'another step draws another mask');
      a.method.beginEvaluation(0);
      const first = bits(a);
      a.method.beginStep(5);
      a.method.beginEvaluation(0);
      assert.deepEqual(bits(a), first, 'evaluation uses one fixed draw');
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  test('sparsity control: λ rises by penalty_lr·(s* − s)², and the penalty gradient is 2λ(s* − s)/n per score', async () => {
    await selectBackend('cpu');
    const harness = methodHarness('mask', { initial_sparsity: 0.05, target_sparsity: 0.5, sparsity_schedule_end: 0.5, penalty_lr: 2 });
    const optimizer = new AdamW(harness.method.paramGroups(), { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, maxGradNorm: 0 });
    try {
      const n = scoreVariables(harness).reduce((sum, v) => sum + v.size, 0);
      // Step 5 of 20 with the schedule ending at step 10: s* = 0.5 + (0.05 − 0.5)(1 − 5/10)³.
      harness.method.beginStep(5);
      optimizer.accumulate({});
      harness.method.addPenaltyGradients(optimizer, 5);
      const target = 0.5 + (0.05 - 0.5) * 0.125;
      const metrics = harness.method.trainMetrics();
      assert.ok(Math.abs(metrics.target_sparsity - target) < 1e-12);
      assert.equal(metrics.lambda, 0, 'λ starts at 0, so the first penalty gradient is 0');
      const gap = target - metrics.sparsity;
      harness.method.endStep(5);
      const lambda = harness.method.trainMetrics().lambda;
      assert.ok(Math.abs(lambda - 2 * gap * gap) < 1e-9, `λ ${lambda}`);
      optimizer.discardGradients();
      harness.method.beginStep(6);
      optimizer.accumulate({});
      harness.method.addPenaltyGradients(optimizer, 6);
      const gap6 = harness.method.trainMetrics().target_sparsity - harness.method.trainMetrics().sparsity;
      const norm = optimizer.gradientNorm();
      const expected = Math.abs((2 * lambda * gap6) / n) * Math.sqrt(n);
      assert.ok(Math.abs(norm.dataSync()[0] - expected) < 1e-6 * Math.max(1, expected), `penalty gradient norm ${norm.dataSync()[0]} vs ${expected}`);
      norm.dispose();
    } finally {
      optimizer.dispose();
      harness.dispose();
    }
  });

  test('targets follow blocks, matrices and also; selectors add matrices', async () => {
    await selectBackend('cpu');
    const harness = methodHarness('mask', { blocks: [1], matrices: ['query', 'intermediate'], also: [], select: [{ glob: 'encoder.layer.0.output.dense.weight' }] });
    try {
      const names = harness.method.artifact().masks.map((m) => m.name);
      assert.deepEqual(names, ['encoder.layer.0.output.dense.weight', 'encoder.layer.1.attention.self.query.weight', 'encoder.layer.1.intermediate.dense.weight']);
      assert.equal(harness.method.firstChangedBlock(), 0);
      // Stored masks are [out, in]: intermediate maps 8 → 16.
      assert.deepEqual(harness.method.artifact().masks[2].shape, [16, 8]);
      assert.equal(allLinears(harness.model).filter((l) => l.weightTransform).length, 3);
    } finally {
      harness.dispose();
    }
  });
});
