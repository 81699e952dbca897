// Finite-difference checks of every method's trainable tensors. Fine-tuning and DSEE have true
// gradients; the mask methods' scores get the straight-through surrogate, checked as documented:
// ∂L/∂S = ∂L/∂(W ⊙ M) ⊙ W, with ∂L/∂(W ⊙ M) itself measured by finite differences.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../server/src/training/backend/selectBackend';
import { allLinears } from '../../../../server/src/training/methods/taskModel';
import type { Linear } from '../../../../server/src/training/model/linear';
import { assertClose, dot, methodHarness, signDirection, variableDerivative, type Harness } from './harness';

function variablesOf(harness: Harness): tf.Variable[] {
  return harness.method.paramGroups().flatMap((g) => g.variables);
}

/** Checks the straight-through gradient of every scored matrix of a mask-like method. */
function checkSurrogate(harness: Harness): number {
  harness.method.beginStep(0);
  const grads = harness.gradients();
  let checked = 0;
  for (const linear of allLinears(harness.model)) {
    const scores = variablesOf(harness).find((v) => v.name.endsWith(`scores/${linear.name}`));
    if (!scores) continue;
    const gradient = grads[scores.name];
    assert.ok(gradient, `${linear.name}: the scores get a gradient`);
    const direction = signDirection(scores.size, 11 + checked);
    const analytic = dot(gradient, direction);
    const numeric = effectiveWeightDerivative(harness, linear, direction, 1e-2);
    assertClose(analytic, numeric, `${linear.name} scores`);
    checked++;
  }
  return checked;
}

/** Finite difference of the loss along W ⊙ d added to the layer's effective weight W ⊙ M. */
function effectiveWeightDerivative(harness: Harness, linear: Linear, direction: Float32Array, h: number): number {
  const installed = linear.weightTransform;
  const effective = tf.tidy(() => tf.clone(linear.effectiveWeight()));
  const along = tf.tidy(() => tf.mul(linear.weight, tf.tensor(direction, linear.weight.shape)));
  const at = (step: number) => {
    linear.setWeightTransform(() => tf.add(effective, tf.mul(along, step)) as tf.Tensor2D);
    return harness.loss();
  };
  const derivative = (at(h) - at(-h)) / (2 * h);
  linear.setWeightTransform(installed);
  tf.dispose([effective, along]);
  return derivative;
}

describe('gradients against finite differences', () => {
  test('mask: scores get ∂L/∂(W⊙M) ⊙ W (threshold variant, head and pooler masked too)', async () => {
    await selectBackend('cpu');
    const harness = methodHarness('mask', { initial_sparsity: 0.3 });
    try {
      const checked = checkSurrogate(harness);
      assert.equal(checked, 2 * 6 + 1 + 1, 'six matrices per block, the pooler and the head');
    } finally {
      harness.dispose();
    }
  });

  test('sparse_finetune topk: the same surrogate through a top-k mask; the trained head has true gradients', async () => {
    await selectBackend('cpu');
    const harness = methodHarness('sparse_finetune', { sparsity: 0.4, train_head: true, also: ['pooler'] });
    try {
      assert.equal(checkSurrogate(harness), 13);
      const head = variablesOf(harness).filter((v) => v.name.includes('head/classifier'));
      assert.equal(head.length, 2, 'head weight and bias train');
      const grads = harness.gradients();
      head.forEach((variable, i) => {
        const direction = signDirection(variable.size, 40 + i);
        assertClose(dot(grads[variable.name], direction), variableDerivative(harness, variable, direction, 1e-2), variable.name);
      });
    } finally {
      harness.dispose();
    }
  });

  test('finetune: weights, biases, LayerNorms and embedding tables', async () => {
    await selectBackend('cpu');
    const harness = methodHarness('finetune', { also: ['pooler', 'head', 'embeddings'] });
    try {
      const grads = harness.gradients();
      const wanted = [
        'encoder.layer.0.attention.self.query.weight',
        'encoder.layer.1.output.dense.bias',
        'encoder.layer.0.attention.output.LayerNorm.weight',
        'embeddings.word_embeddings.weight',
        'embeddings.LayerNorm.bias',
        'pooler.dense.weight',
        'classifier.weight',
      ];
      for (const [i, name] of wanted.entries()) {
        const variable = variablesOf(harness).find((v) => v.name.endsWith(`/${name}`));
        assert.ok(variable, `${name} is trained`);
        const direction = signDirection(variable.size, 60 + i);
        assertClose(dot(grads[variable.name], direction), variableDerivative(harness, variable, direction, 1e-2), name);
      }
    } finally {
      harness.dispose();
    }
  });

  test('dsee: A, B and the sparse values on Ω (after B is moved off zero)', async () => {
    await selectBackend('cpu');
    for (const support of ['grebsmo', 'magnitude', 'random'] as const) {
      const harness = methodHarness('dsee', { support, rank: 2, alpha: 4, sparse_entries: 5 });
      try {
        // With B = 0 the gradient of A is zero; give B values so both directions are exercised.
        for (const [i, variable] of variablesOf(harness).entries()) {
          if (variable.name.endsWith('/B')) tf.tidy(() => variable.assign(tf.mul(tf.tensor(signDirection(variable.size, 80 + i), variable.shape), 0.3)));
        }
        const grads = harness.gradients();
        let checked = 0;
        for (const [i, variable] of variablesOf(harness).entries()) {
          if (!/\/(A|B|S)$/.test(variable.name)) continue;
          const direction = signDirection(variable.size, 100 + i);
          assertClose(dot(grads[variable.name], direction), variableDerivative(harness, variable, direction, 1e-2), `${support}: ${variable.name}`);
          checked++;
        }
        assert.equal(checked, 2 * 2 * 3, 'A, B and S of query and value in both blocks');
      } finally {
        harness.dispose();
      }
    }
  });
});
