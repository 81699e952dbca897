import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError, selectBackend } from '../../../server/src/training/backend/selectBackend';
import { findInstalledPackage, planBackend } from '../../../server/src/training/backend/packages';
import { requireGradients } from '../../../server/src/training/backend/registerGradients';
import { seededRandom } from './tinyEncoder';

const nativeInstalled = Boolean(findInstalledPackage('@tensorflow/tfjs-node') ?? findInstalledPackage('@tensorflow/tfjs-node-gpu'));

describe('selectBackend', () => {
  test('cpu reports the pure JavaScript backend and makes it current', async () => {
    const info = await selectBackend('cpu');
    assert.deepEqual({ name: info.name, device: info.device, detail: info.detail }, { name: 'cpu', device: 'cpu', detail: 'cpu (pure JavaScript)' });
    assert.equal(tf.getBackend(), 'cpu');
  });

  test('wasm loads its binaries from the installed package and says SIMD and threads', async () => {
    const info = await selectBackend('wasm');
    assert.equal(info.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.match(info.detail, /^wasm \((SIMD|no SIMD), \d+ threads?\)$/);
    // Switching back and forth re-uses the initialised backend.
    await selectBackend('cpu');
    assert.equal((await selectBackend('wasm')).detail, info.detail);
  });

  test('tensorflow without tfjs-node is an error that says how to install it', { skip: nativeInstalled && 'tfjs-node is installed here' }, async () => {
    await assert.rejects(
      selectBackend('tensorflow'),
      (error: unknown) =>
        error instanceof BackendUnavailableError &&
        /backend 'tensorflow' needs @tensorflow\/tfjs-node/.test(error.message) &&
        /npm install @tensorflow\/tfjs-node \(downloads libtensorflow\)/.test(error.message),
    );
  });

  test('auto falls back to wasm and records why tensorflow was skipped', { skip: nativeInstalled && 'tfjs-node is installed here' }, async () => {
    const info = await selectBackend('auto');
    assert.equal(info.name, 'wasm');
    assert.equal(info.skipped.length, 1);
    assert.match(info.skipped[0], /@tensorflow\/tfjs-node/);
    assert.equal(planBackend('auto').name, 'wasm', 'the tfjs-free plan agrees with the real selection');
  });

  test('requireGpu never downgrades silently', async () => {
    for (const request of ['cpu', 'wasm', 'auto'] as const) {
      await assert.rejects(selectBackend(request, { requireGpu: true }), (error: unknown) => {
        assert.ok(error instanceof BackendUnavailableError, `${request}: ${String(error)}`);
        assert.match(error.message, /GPU|gpu/);
        assert.match(error.message, /tfjs-node-gpu/);
        return true;
      });
    }
  });
});

describe('planBackend (no tfjs loaded)', () => {
  test('explicit requests are planned as asked, with package versions', () => {
    assert.match(planBackend('cpu').detail, /^cpu \(pure JavaScript, @tensorflow\/tfjs-backend-cpu 4\.\d+\.\d+\)$/);
    assert.match(planBackend('wasm').detail, /^wasm \(@tensorflow\/tfjs-backend-wasm 4\.\d+\.\d+\)$/);
    if (!nativeInstalled) assert.match(planBackend('tensorflow').detail, /not installed/);
  });
});

describe('wasm UnsortedSegmentSum fallback', () => {
  async function segmentSum(backend: 'cpu' | 'wasm', x: number[][], ids: number[], segments: number) {
    await selectBackend(backend);
    return tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(x), tf.tensor1d(ids, 'int32'), segments).arraySync());
  }

  test('agrees with the cpu kernel, including repeated, unused and out-of-range ids', async () => {
    const random = seededRandom(9);
    const x = Array.from({ length: 7 }, () => Array.from({ length: 5 }, () => random() * 2 - 1));
    const ids = [3, 0, 3, 5, 1, 3, 0];
    const expected = await segmentSum('cpu', x, ids, 6);
    const got = await segmentSum('wasm', x, ids, 6);
    for (let s = 0; s < 6; s++) for (let k = 0; k < 5; k++) assert.ok(Math.abs(got[s][k] - expected[s][k]) < 1e-6, `segment ${s} column ${k}`);
    assert.ok(got[2].every((v) => v === 0) && got[4].every((v) => v === 0), 'unused segments are zero, not heap garbage');
    // TensorFlow drops ids outside [0, numSegments).
    const dropped = await segmentSum('wasm', [[1, 2], [3, 4], [5, 6]], [0, 9, -1], 2);
    assert.deepEqual(dropped, [[1, 2], [0, 0]]);
  });

  test('int32 inputs and higher-rank rows', async () => {
    await selectBackend('wasm');
    const got = tf.tidy(() =>
      tf.unsortedSegmentSum(tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2], 'int32'), tf.tensor1d([1, 1], 'int32'), 2).arraySync(),
    );
    assert.deepEqual(got, [[[0, 0], [0, 0]], [[6, 8], [10, 12]]]);
  });

  test('makes the gradient of gather (embedding lookup) work on wasm', async () => {
    const gradient = async (backend: 'cpu' | 'wasm') => {
      await selectBackend(backend);
      return tf.tidy(() => {
        const table = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
        const indices = tf.tensor1d([2, 0, 2, 3], 'int32');
        const weights = tf.tensor2d([[1, 1], [2, 2], [3, 3], [4, 4]]);
        return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, indices), weights)))(table).arraySync();
      });
    };
    assert.doesNotThrow(() => requireGradients(), 'tfjs-core gradients are registered');
    const expected = await gradient('cpu');
    assert.deepEqual(expected, [[2, 2], [0, 0], [4, 4], [4, 4]]);
    assert.deepEqual(await gradient('wasm'), expected);
  });
});
