import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../server/src/training/backend/selectBackend';
import { AdamW } from '../../../../server/src/training/optim/adamW';

/** One AdamW step on one scalar, in Float64, exactly as PyTorch's torch.optim.AdamW writes it. */
function referenceStep(p: number, g: number, m: number, v: number, t: number, o: { lr: number; wd: number; b1: number; b2: number; eps: number }) {
  const decayed = p * (1 - o.lr * o.wd);
  const m1 = o.b1 * m + (1 - o.b1) * g;
  const v1 = o.b2 * v + (1 - o.b2) * g * g;
  const mHat = m1 / (1 - o.b1 ** t);
  const vHat = v1 / (1 - o.b2 ** t);
  return { p: decayed - (o.lr * mHat) / (Math.sqrt(vHat) + o.eps), m: m1, v: v1 };
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('AdamW', () => {
  test('three steps match a hand-computed AdamW with bias correction; decay only where asked', async () => {
    await selectBackend('cpu');
    const weight = tf.variable(tf.tensor2d([[0.5, -1.0], [2.0, 0.25]]), true, 'adamw-test/w');
    const bias = tf.variable(tf.tensor1d([0.1, -0.3]), true, 'adamw-test/b');
    const hyper = { beta1: 0.9, beta2: 0.99, epsilon: 1e-6, maxGradNorm: 0 };
    const optimizer = new AdamW(
      [
        { name: 'decay', variables: [weight], lr: 0.01, weightDecay: 0.1 },
        { name: 'no_decay', variables: [bias], lr: 0.02, weightDecay: 0 },
      ],
      hyper,
    );
    const gradients = [
      { w: [0.3, -0.2, 0.1, 0.4], b: [1.0, -2.0] },
      { w: [-0.1, 0.5, 0.2, 0.0], b: [0.5, 0.5] },
      { w: [0.05, -0.3, -0.2, 0.6], b: [-1.0, 0.25] },
    ];
    const expectedW = { p: [0.5, -1.0, 2.0, 0.25], m: [0, 0, 0, 0], v: [0, 0, 0, 0] };
    const expectedB = { p: [0.1, -0.3], m: [0, 0], v: [0, 0] };
    const multipliers = [1, 0.5, 0.25];
    gradients.forEach((g, step) => {
      const grads = { [weight.name]: tf.tensor2d(g.w, [2, 2]), [bias.name]: tf.tensor1d(g.b) };
      optimizer.accumulate(grads);
      tf.dispose(Object.values(grads));
      optimizer.apply(multipliers[step]);
      for (const [expected, gs, lr, wd] of [
        [expectedW, g.w, 0.01, 0.1],
        [expectedB, g.b, 0.02, 0],
      ] as const) {
        expected.p.forEach((_, i) => {
          const next = referenceStep(expected.p[i], gs[i], expected.m[i], expected.v[i], step + 1, { lr: lr * multipliers[step], wd, b1: 0.9, b2: 0.99, eps: 1e-6 });
          expected.p[i] = next.p;
          expected.m[i] = next.m;
          expected.v[i] = next.v;
        });
      }
      close(weight.dataSync(), expectedW.p, 1e-6, `weight after step ${step + 1}`);
      close(bias.dataSync(), expectedB.p, 1e-6, `bias after step ${step + 1}`);
    });
    const saved = optimizer.exportState();
    assert.equal(saved.updates, 3);
    close(saved.tensors['adam/decay/m'].data, expectedW.m, 1e-6, 'first moment');
    close(saved.tensors['adam/no_decay/v'].data, expectedB.v, 1e-6, 'second moment');
    optimizer.dispose();
    weight.dispose();
    bias.dispose();
  });

  test('clips by the global norm over all groups, accumulates scaled gradients, and adds penalty offsets', async () => {
    await selectBackend('cpu');
    const a = tf.variable(tf.zeros([2]), true, 'adamw-clip/a');
    const b = tf.variable(tf.zeros([1]), true, 'adamw-clip/b');
    // Adam's first step moves by the sign of g whatever its size, so the clipping is read off
    // the first moment instead: with β₁ = ½, m = ½·g_clipped.
    const optimizer = new AdamW(
      [
        { name: 'a', variables: [a], lr: 0.1, weightDecay: 0 },
        { name: 'b', variables: [b], lr: 0.1, weightDecay: 0 },
      ],
      { beta1: 0.5, beta2: 0.5, epsilon: 1e-8, maxGradNorm: 1 },
    );
    // Two micro-batches with weights ½ each: the mean of the two gradients.
    for (const [ga, gb] of [
      [[3, 0], [4]],
      [[3, 0], [4]],
    ]) {
      const grads = { [a.name]: tf.tensor1d(ga), [b.name]: tf.tensor1d(gb) };
      optimizer.accumulate(grads, 0.5);
      tf.dispose(Object.values(grads));
    }
    optimizer.addToGradient('b', 1); // b's gradient becomes 5
    const norm = optimizer.gradientNorm();
    assert.ok(Math.abs(norm.dataSync()[0] - Math.sqrt(9 + 25)) < 1e-5, 'norm of (3, 0, 5)');
    optimizer.apply(1, norm);
    norm.dispose();
    const state = optimizer.exportState();
    const scale = 1 / (Math.sqrt(34) + 1e-6);
    close(state.tensors['adam/a/m'].data, [0.5 * 3 * scale, 0], 1e-6, 'clipped first moment of a');
    close(state.tensors['adam/b/m'].data, [0.5 * 5 * scale], 1e-6, 'clipped first moment of b');
    // The accumulators were cleared: a second apply without gradients changes nothing.
    const before = Array.from(a.dataSync());
    optimizer.apply(1);
    assert.deepEqual(Array.from(a.dataSync()), before);
    optimizer.dispose();
    a.dispose();
    b.dispose();
  });

  test('a restored optimiser continues exactly like the original', async () => {
    await selectBackend('cpu');
    const make = (name: string) => tf.variable(tf.tensor1d([1, -2, 3]), true, name);
    const hyper = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, maxGradNorm: 0 };
    const x = make('adamw-resume/x');
    const y = make('adamw-resume/y');
    const first = new AdamW([{ name: 'p', variables: [x], lr: 0.05, weightDecay: 0.01 }], hyper);
    const step = (opt: AdamW, v: tf.Variable, g: number[]) => {
      const grads = { [v.name]: tf.tensor1d(g) };
      opt.accumulate(grads);
      tf.dispose(Object.values(grads));
      opt.apply(1);
    };
    step(first, x, [0.1, 0.2, -0.3]);
    const saved = first.exportState();
    y.assign(x);
    const second = new AdamW([{ name: 'p', variables: [y], lr: 0.05, weightDecay: 0.01 }], hyper);
    second.importState(saved.tensors, saved.updates);
    step(first, x, [0.4, -0.1, 0.2]);
    step(second, y, [0.4, -0.1, 0.2]);
    assert.deepEqual(Array.from(y.dataSync()), Array.from(x.dataSync()));
    assert.throws(() => new AdamW([{ name: 'other', variables: [y], lr: 1, weightDecay: 0 }], hyper).importState(saved.tensors, 1), /adam\/other\/m/);
    first.dispose();
    second.dispose();
    x.dispose();
    y.dispose();
  });
});
