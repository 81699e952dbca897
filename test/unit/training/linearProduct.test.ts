import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../server/src/training/backend/selectBackend';
import { linearProduct } from '../../../server/src/training/model/linearProduct';
import { seededRandom } from './tinyEncoder';

function values(n: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: n }, () => random() * 2 - 1);
}

/** Value and gradients of Σ(c ⊙ x·w) on the current backend. */
function productAndGradients(x: Float32Array, w: Float32Array, c: Float32Array) {
  return tf.tidy(() => {
    const xs = tf.tensor2d(x, [7, 5]);
    const ws = tf.tensor2d(w, [5, 3]);
    const weights = tf.tensor2d(c, [7, 3]);
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(linearProduct(a as tf.Tensor2D, b as tf.Tensor2D), weights));
    const [dx, dw] = tf.grads(f)([xs, ws]);
    return { y: Array.from(linearProduct(xs, ws).dataSync()), dx: Array.from(dx.dataSync()), dw: Array.from(dw.dataSync()) };
  });
}

test('linearProduct: wasm (explicit transposes in the gradient) agrees with cpu (tfjs gradient)', async () => {
  const x = values(35, 1);
  const w = values(15, 2);
  const c = values(21, 3);
  await selectBackend('cpu');
  const cpu = productAndGradients(x, w, c);
  await selectBackend('wasm');
  const wasm = productAndGradients(x, w, c);
  for (const key of ['y', 'dx', 'dw'] as const) {
    assert.equal(wasm[key].length, cpu[key].length);
    wasm[key].forEach((v, i) => assert.ok(Math.abs(v - cpu[key][i]) < 1e-5, `${key}[${i}]: ${v} vs ${cpu[key][i]}`));
  }
  // Hand check of one entry: dw[0][0] = Σ_r x[r][0]·c[r][0].
  let expected = 0;
  for (let r = 0; r < 7; r++) expected += x[r * 5] * c[r * 3];
  assert.ok(Math.abs(wasm.dw[0] - expected) < 1e-5);
});

test('wasm clones share data safely: disposing the original leaves the clone intact', async () => {
  await selectBackend('wasm');
  const original = tf.tensor1d([1, 2, 3]);
  const copy = tf.clone(original);
  original.dispose();
  const scratch = tf.tensor1d([7, 7, 7]); // would reuse freed memory if the data had been freed
  assert.deepEqual(Array.from(copy.dataSync()), [1, 2, 3]);
  copy.dispose();
  scratch.dispose();
});
