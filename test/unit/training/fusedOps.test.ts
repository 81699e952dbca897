// The fused ops on the native kernels (backend/nativeOps.ts) against the unfused tfjs
// compositions they replace (computed on the pure-JavaScript cpu backend), value and gradient, and
// each gradient against finite differences of the fused op itself, on small shapes.
// Skips with the reason when the native kernels are not built (or MASKLAB_NATIVE=off).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { loadNativeKernels } from '../../../server/src/training/backend/nativeAddon';
import { nativeAdamW, nativeBiasAdd, nativeDropout, nativeGelu, nativeLayerNorm, nativeSoftmax, nativeSumSquares, nativeThreshold } from '../../../server/src/training/backend/nativeOps';
import { requireGradients } from '../../../server/src/training/backend/registerGradients';
import { selectBackend } from '../../../server/src/training/backend/selectBackend';
import { gelu } from '../../../server/src/training/model/activations';
import { LayerNorm } from '../../../server/src/training/model/layerNorm';
import { AdamW } from '../../../server/src/training/optim/adamW';
import { MASKED_SCORE } from '../../../server/src/training/model/selfAttention';
import { seededRandom } from './tinyEncoder';

const loaded = loadNativeKernels();
const SKIP_NATIVE = 'reason' in loaded && `native kernels unavailable: ${loaded.reason}`;

function values(size: number, seed: number, scale = 1): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: size }, () => (random() * 2 - 1) * scale);
}

function signs(size: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: size }, () => (random() < 0.5 ? -1 : 1));
}

function assertNear(got: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(got.length, expected.length, `${what}: sizes`);
  for (let i = 0; i < got.length; i++) {
    const allowed = tolerance * (1 + Math.abs(expected[i]));
    assert.ok(Math.abs(got[i] - expected[i]) <= allowed, `${what}: entry ${i} is ${got[i]}, expected ${expected[i]}`);
  }
}

type Op = (inputs: tf.Tensor[]) => tf.Tensor;

interface Checked {
  value: Float32Array;
  grads: Float32Array[];
}

/** f(inputs) and the gradients of Σ f(inputs)·weights, on the current backend. */
function evaluate(op: Op, shapes: number[][], data: Float32Array[], weights: Float32Array, outShape: number[]): Checked {
  return tf.tidy(() => {
    const inputs = shapes.map((shape, i) => tf.tensor(data[i], shape));
    const w = tf.tensor(weights, outShape);
    const value = op(inputs).dataSync() as Float32Array;
    const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(op(xs), w)))(inputs).map((g) => g.dataSync() as Float32Array);
    return { value: Float32Array.from(value), grads: grads.map((g) => Float32Array.from(g)) };
  });
}

/** Central difference of Σ f·w along `direction` on input `index`, in float32 on the current backend. */
function finiteDifference(op: Op, shapes: number[][], data: Float32Array[], weights: Float32Array, outShape: number[], index: number, direction: Float32Array, h: number): number {
  const at = (step: number) =>
    tf.tidy(() => {
      const inputs = shapes.map((shape, i) => tf.tensor(i === index ? data[i].map((v, k) => v + step * direction[k]) : data[i], shape));
      return tf.sum(tf.mul(op(inputs), tf.tensor(weights, outShape))).dataSync()[0];
    });
  return (at(h) - at(-h)) / (2 * h);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/**
 * The fused op on wasm with the native kernels against the composition on cpu (value within
 * `tolerance`, gradients within 10·tolerance), then each gradient against finite differences.
 */
async function checkAgainstComposition(name: string, fused: Op, composition: Op, shapes: number[][], data: Float32Array[], outShape: number[], tolerance: number, h = 1e-2): Promise<void> {
  requireGradients();
  const weights = values(tf.util.sizeFromShape(outShape), 77);
  await selectBackend('cpu');
  const expected = evaluate(composition, shapes, data, weights, outShape);
  await selectBackend('wasm_native');
  const got = evaluate(fused, shapes, data, weights, outShape);
  assertNear(got.value, expected.value, tolerance, `${name} value`);
  got.grads.forEach((g, i) => assertNear(g, expected.grads[i], 10 * tolerance, `${name} gradient of input ${i}`));
  shapes.forEach((shape, i) => {
    const direction = signs(tf.util.sizeFromShape(shape), 31 + i);
    const analytic = dot(got.grads[i], direction);
    const numeric = finiteDifference(fused, shapes, data, weights, outShape, i, direction, h);
    const allowed = 0.02 * Math.abs(analytic) + 1e-3;
    assert.ok(Math.abs(analytic - numeric) <= allowed, `${name} input ${i}: analytic ${analytic} vs finite difference ${numeric}`);
  });
}

describe('fused native ops against the unfused compositions', { skip: SKIP_NATIVE }, () => {
  test('GELU (erf form), including large and tiny inputs', async () => {
    const shape = [4, 6, 8];
    const data = values(4 * 6 * 8, 1, 4);
    data.set([0, -0, 1e-8, -1e-8, 9, -9, 30, -30], 0);
    // The composition is the stock path of activations.ts: gelu() on a backend without native kernels.
    await checkAgainstComposition('gelu', ([x]) => nativeGelu(x), ([x]) => gelu(x), [shape], [data], shape, 1e-6);
  });

  test('LayerNorm over the last axis, gradients for x, gamma and beta', async () => {
    const shape = [3, 5, 16];
    const data = [values(3 * 5 * 16, 2, 3), values(16, 3), values(16, 4)];
    const composition: Op = ([x, gamma, beta]) => new LayerNorm('ln', gamma as tf.Tensor1D, beta as tf.Tensor1D, 1e-12).apply(x);
    await checkAgainstComposition('layerNorm', ([x, gamma, beta]) => nativeLayerNorm(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, 1e-12), composition, [shape, [16], [16]], data, shape, 1e-5);
  });

  test('softmax over the last axis, with masked (−1e9) scores as attention has them', async () => {
    const shape = [2, 3, 4, 7];
    const data = values(2 * 3 * 4 * 7, 5, 3);
    for (let row = 0; row < 2 * 3 * 4; row++) data[row * 7 + 6] = MASKED_SCORE;
    await checkAgainstComposition('softmax', ([x]) => nativeSoftmax(x), ([x]) => tf.softmax(x, -1), [shape], [data], shape, 1e-6);
  });

  test('bias add, the bias gradient being a column sum', async () => {
    const data = [values(9 * 6, 6), values(6, 7)];
    await checkAgainstComposition('biasAdd', ([y, b]) => nativeBiasAdd(y as tf.Tensor2D, b as tf.Tensor1D), ([y, b]) => tf.add(y, b), [[9, 6], [6]], data, [9, 6], 1e-6);
  });

  test('threshold masks and the sum of squares equal their compositions', async () => {
    await selectBackend('wasm_native');
    const data = values(50, 8);
    data.set([0.01, 0.0100001, 0.0099999], 0);
    const [mask, expected, squares, expectedSquares] = tf.tidy(() => {
      const x = tf.tensor(data, [5, 10]);
      return [nativeThreshold(x, 0.01), tf.cast(tf.greater(x, 0.01), 'float32'), nativeSumSquares(x), tf.sum(tf.square(x))].map((t) => t.dataSync());
    });
    assert.deepEqual(Array.from(mask), Array.from(expected));
    assert.equal(mask[0], 0, 'the threshold itself is not kept (strictly greater)');
    assertNear(squares, expectedSquares, 1e-6, 'sum of squares');
  });
});

describe('dropout with the native kernels', { skip: SKIP_NATIVE }, () => {
  test('the same masks and values as tf.dropout with the same seed, and the same gradient', async () => {
    requireGradients();
    const data = values(6 * 50, 18);
    const weights = values(6 * 50, 19);
    const run = async (backend: 'wasm' | 'wasm_native', rate: number, seed: number) => {
      await selectBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor(data, [6, 50]);
        const w = tf.tensor(weights, [6, 50]);
        const drop = (t: tf.Tensor) => (backend === 'wasm_native' ? (nativeDropout(t, rate, seed) as tf.Tensor) : tf.dropout(t, rate, undefined, seed));
        const value = Array.from(drop(x).dataSync());
        const grad = Array.from(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(drop(t), w)))(x).dataSync());
        return { value, grad };
      });
    };
    for (const [rate, seed] of [[0.1, 1], [0.1, 987654], [0.5, 42], [0.9, 7]] as const) {
      const stock = await run('wasm', rate, seed);
      const native = await run('wasm_native', rate, seed);
      assert.deepEqual(native.value, stock.value, `rate ${rate}, seed ${seed}: values`);
      assert.deepEqual(native.grad, stock.grad, `rate ${rate}, seed ${seed}: gradient`);
      const dropped = stock.value.filter((v) => v === 0).length / stock.value.length;
      assert.ok(Math.abs(dropped - rate) < 0.15, `rate ${rate}: ${dropped} of the entries dropped`);
    }
    await selectBackend('wasm_native');
    const ones = tf.ones([2]);
    assert.equal(nativeDropout(ones, 0.1, undefined), null, 'no seed: left to tf.dropout');
    ones.dispose();
  });
});

describe('AdamW with the native update', { skip: SKIP_NATIVE }, () => {
  test('one fused kernel per tensor gives the composition’s parameters and moments', async () => {
    await selectBackend('wasm_native');
    const [p, g, m, v] = [values(40, 11), values(40, 12), values(40, 13, 0.1), values(40, 14, 0.01).map(Math.abs)];
    const step = { beta1: 0.9, beta2: 0.999, epsilonHat: 1e-8 * Math.sqrt(1 - 0.999 ** 3), decay: 1 - 1e-3 * 0.01, stepSize: (1e-3 * Math.sqrt(1 - 0.999 ** 3)) / (1 - 0.9 ** 3) };
    const fused = tf.tidy(() => nativeAdamW(tf.tensor(p), tf.tensor(g), tf.tensor(m), tf.tensor(v), tf.scalar(0.5), step).map((t) => Array.from(t.dataSync())));
    await selectBackend('cpu');
    const composed = tf.tidy(() => {
      const grad = tf.mul(tf.tensor(g), tf.scalar(0.5));
      const m2 = tf.add(tf.mul(tf.tensor(m), step.beta1), tf.mul(grad, 1 - step.beta1));
      const v2 = tf.add(tf.mul(tf.tensor(v), step.beta2), tf.mul(tf.square(grad), 1 - step.beta2));
      const p2 = tf.sub(tf.mul(tf.tensor(p), step.decay), tf.mul(tf.div(m2, tf.add(tf.sqrt(v2), step.epsilonHat)), step.stepSize));
      return [p2, m2, v2].map((t) => Array.from(t.dataSync()));
    });
    ['parameter', 'm', 'v'].forEach((what, i) => assertNear(fused[i], composed[i], 1e-6, what));
  });

  test('three optimiser steps (clipping and weight decay on) track the stock wasm optimiser', async () => {
    const run = async (backend: 'wasm' | 'wasm_native') => {
      await selectBackend(backend);
      const variable = tf.variable(tf.tensor(values(64, 15), [8, 8]), true, `fused-adamw-${backend}`);
      const optimizer = new AdamW([{ name: 'weights', variables: [variable], lr: 1e-2, weightDecay: 0.1 }], { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, maxGradNorm: 0.5 });
      for (let stepIndex = 0; stepIndex < 3; stepIndex++) {
        const grad = tf.tensor(values(64, 20 + stepIndex, 2), [8, 8]);
        optimizer.accumulate({ [variable.name]: grad });
        grad.dispose();
        const norm = optimizer.gradientNorm();
        optimizer.apply(1, norm);
        norm.dispose();
      }
      const out = Array.from(variable.dataSync());
      optimizer.dispose();
      variable.dispose();
      return out;
    };
    const stock = await run('wasm');
    const native = await run('wasm_native');
    assertNear(native, stock, 1e-6, 'parameters after three steps');
    assert.ok(stock.some((value, i) => Math.abs(value - values(64, 15)[i]) > 1e-3), 'the steps moved the parameters');
  });
});

describe('embedding lookups with the native kernels', { skip: SKIP_NATIVE }, () => {
  test('gather of rows and its gradient (segment sum) equal the stock kernels; other gathers fall back', async () => {
    requireGradients();
    const table = values(7 * 3, 16);
    const ids = [4, 0, 4, 6, 2];
    const lookup = async (backend: 'wasm' | 'wasm_native'): Promise<[number[], number[], number[], string]> => {
      await selectBackend(backend);
      return tf.tidy(() => {
        const t = tf.tensor(table, [7, 3]);
        const indices = tf.tensor1d(ids, 'int32');
        const weights = tf.tensor(values(5 * 3, 17), [5, 3]);
        const rows = tf.gather(t, indices).dataSync();
        const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.gather(x, indices), weights)))(t).dataSync();
        const columns = tf.gather(t, tf.tensor1d([2, 0], 'int32'), 1).dataSync();
        // An index outside the table: whatever the stock kernel does (values or an error), native does too.
        let outside: string;
        try {
          outside = JSON.stringify(Array.from(tf.gather(t, tf.tensor1d([1, 9], 'int32')).dataSync()));
        } catch (error) {
          outside = `error: ${error instanceof Error ? error.message : String(error)}`;
        }
        return [Array.from(rows), Array.from(grad), Array.from(columns), outside] as [number[], number[], number[], string];
      });
    };
    const stock = await lookup('wasm');
    const native = await lookup('wasm_native');
    assert.deepEqual(native[0], stock[0], 'rows copied exactly');
    assertNear(native[1], stock[1], 1e-6, 'the gradient');
    assert.deepEqual(native[2], stock[2], 'a gather along axis 1 goes to the stock kernel');
    assert.equal(native[3], stock[3], 'an index outside the table goes to the stock kernel');
  });
});
