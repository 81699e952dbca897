// The explicit-transpose gradient of matMul gives tfjs's own gradients for every combination of
// transpose flags (2-D and batched), and is removed again by the function it returns.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../server/src/training/backend/selectBackend';
import { useUntransposedMatMulGradient } from '../../../../server/src/training/pretraining/untransposedMatMulGradient';
import { createRandom } from '../../../../server/src/training/random';

function randomTensor(shape: number[], seed: number): tf.Tensor {
  const random = createRandom(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() - 0.5), shape);
}

/** Gradients of Σ (a·b ⊙ weights) for the given flags. */
function gradients(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean, weights: tf.Tensor): Float32Array[] {
  const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, transposeA, transposeB), weights)))([a, b]);
  const out = [new Float32Array(ga.dataSync() as Float32Array), new Float32Array(gb.dataSync() as Float32Array)];
  tf.dispose([ga, gb]);
  return out;
}

for (const backendName of ['cpu', 'wasm'] as const) {
  test(`${backendName}: same gradients as tfjs for all transpose flags, and the stock gradient comes back`, async () => {
    await selectBackend(backendName);
    const stock = tf.getGradient('BatchMatMul');
    for (const batch of [[], [2]]) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const a = randomTensor([...batch, ...(transposeA ? [4, 3] : [3, 4])], 1);
          const b = randomTensor([...batch, ...(transposeB ? [5, 4] : [4, 5])], 2);
          const weights = randomTensor([...batch, 3, 5], 3);
          const reference = gradients(a, b, transposeA, transposeB, weights);
          const restore = useUntransposedMatMulGradient();
          assert.notEqual(tf.getGradient('BatchMatMul'), stock, 'installed');
          const ours = gradients(a, b, transposeA, transposeB, weights);
          restore();
          assert.equal(tf.getGradient('BatchMatMul'), stock, 'restored');
          ours.forEach((grad, k) => grad.forEach((v, i) => assert.ok(Math.abs(v - reference[k][i]) < 1e-5, `batch [${batch}] flags ${transposeA}/${transposeB} input ${k}[${i}]: ${v} vs ${reference[k][i]}`)));
          tf.dispose([a, b, weights]);
        }
      }
    }
  });
}
