// Masklab's native kernels (server/native + backend/nativeAddon.ts, nativeKernels.ts): every
// product against the pure-JavaScript cpu backend (an independent implementation), selection and
// reporting with and without the addon, and the failure modes, each a one-line reason.
// Tests that need the built addon skip with the reason when it is absent (CI runs this file a
// second time with MASKLAB_NATIVE=off).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadNativeAddonFrom, loadNativeKernels, pinThreads, type NativeKernels } from '../../../server/src/training/backend/nativeAddon';
import { nativeKernelsInstalled, usingNativeKernels } from '../../../server/src/training/backend/nativeKernels';
import { planBackend } from '../../../server/src/training/backend/packages';
import { BackendUnavailableError, selectBackend } from '../../../server/src/training/backend/selectBackend';
import { requireGradients } from '../../../server/src/training/backend/registerGradients';
import { seededRandom } from './tinyEncoder';

const loaded = loadNativeKernels();
const SKIP_NATIVE = 'reason' in loaded && `native kernels unavailable: ${loaded.reason}`;
const WASM_DETAIL = /^wasm \((SIMD|no SIMD), \d+ threads?\)$/;
const NATIVE_DETAIL = /^wasm \((SIMD|no SIMD), \d+ threads?\) \+ native kernels \((OpenBLAS \d+\.\d+\.\d+|CBLAS), 1 thread\)$/;

function randomArray(size: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: size }, () => random() * 2 - 1);
}

/** Runs `f` with the environment variable set (or removed with undefined), then restores it. */
async function withEnv<T>(name: string, value: string | undefined, f: () => Promise<T>): Promise<T> {
  const previous = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    return await f();
  } finally {
    if (previous === undefined) delete process.env[name];
    else process.env[name] = previous;
  }
}

interface Case {
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * op(A)·op(B) on a backend, as a flat array with its shape. With `expand`, both operands are first
 * broadcast to the full batch shape, so the backend only multiplies matching batches (tfjs's own
 * kernels flatten the batch dimensions and get the general [2,1]×[1,3] broadcast wrong).
 */
async function product(backend: 'cpu' | 'wasm_native', c: Case, seed: number, expand = false): Promise<{ values: Float32Array; shape: number[] }> {
  await selectBackend(backend);
  return tf.tidy(() => {
    let a = tf.tensor(randomArray(tf.util.sizeFromShape(c.a), seed), c.a);
    let b = tf.tensor(randomArray(tf.util.sizeFromShape(c.b), seed + 1), c.b);
    if (expand) {
      const batch = tf.broadcast_util.assertAndGetBroadcastShape(c.a.slice(0, -2), c.b.slice(0, -2));
      a = tf.broadcastTo(a, [...batch, ...c.a.slice(-2)]);
      b = tf.broadcastTo(b, [...batch, ...c.b.slice(-2)]);
    }
    const out = tf.matMul(a, b, c.transposeA, c.transposeB);
    return { values: out.dataSync() as Float32Array, shape: out.shape };
  });
}

function assertClose(got: Float32Array, expected: Float32Array, tolerance: number, what: string): void {
  assert.equal(got.length, expected.length, `${what}: sizes`);
  for (let i = 0; i < got.length; i++) {
    const diff = Math.abs(got[i] - expected[i]);
    assert.ok(diff <= tolerance * (1 + Math.abs(expected[i])), `${what}: entry ${i} is ${got[i]}, expected ${expected[i]}`);
  }
}

describe('native BatchMatMul', { skip: SKIP_NATIVE }, () => {
  // [m, k] x [k, n] in every orientation, batched, broadcast both ways and in the general form.
  const shapes: Array<{ name: string; a: number[]; b: number[] }> = [
    { name: '2-D', a: [5, 7], b: [7, 3] },
    { name: 'batch N × N', a: [4, 5, 7], b: [4, 7, 3] },
    { name: 'batch 1 × N', a: [1, 5, 7], b: [4, 7, 3] },
    { name: 'batch N × 1', a: [4, 5, 7], b: [1, 7, 3] },
    { name: 'rank 3 × rank 2 (tfjs broadcasts the 2-D one)', a: [3, 5, 7], b: [7, 3] },
    { name: 'rank 4 heads', a: [2, 3, 5, 7], b: [2, 3, 7, 3] },
    { name: 'general broadcast [2,1] × [1,3]', a: [2, 1, 5, 7], b: [1, 3, 7, 3] },
  ];
  for (const shape of shapes) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        test(`${shape.name}, transposeA ${transposeA}, transposeB ${transposeB}: agrees with the cpu backend`, async () => {
          const orient = (s: number[], t: boolean) => (t ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s);
          const c: Case = { a: orient(shape.a, transposeA), b: orient(shape.b, transposeB), transposeA, transposeB };
          const expected = await product('cpu', c, 3, true);
          const got = await product('wasm_native', c, 3);
          assert.ok(usingNativeKernels());
          assert.deepEqual(got.shape, expected.shape);
          assertClose(got.values, expected.values, 1e-5, shape.name);
          assert.ok(expected.values.some((v) => Math.abs(v) > 0.1), 'a real product, not zeros');
        });
      }
    }
  }

  test('empty dimensions: k = 0 gives zeros (not heap garbage), m = 0 an empty result', async () => {
    await selectBackend('wasm_native');
    const zeros = tf.tidy(() => tf.matMul(tf.ones([3, 0]), tf.ones([0, 4])).arraySync());
    assert.deepEqual(zeros, [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
    const empty = tf.tidy(() => tf.matMul(tf.ones([0, 2]), tf.ones([2, 4])).shape);
    assert.deepEqual(empty, [0, 4]);
  });

  test('mismatched inner dimensions and int32 operands are errors, as with the stock kernel', async () => {
    await selectBackend('wasm_native');
    assert.throws(() => tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([4, 2]))), /inner shapes \(3\) and \(4\)/);
    assert.throws(() => tf.tidy(() => tf.matMul(tf.ones([2, 2], 'int32'), tf.ones([2, 2], 'int32'))), /float32/);
  });

  test('the gradients of a product (transposed products themselves) agree with the cpu backend', async () => {
    requireGradients();
    const grads = async (backend: 'cpu' | 'wasm_native') => {
      await selectBackend(backend);
      return tf.tidy(() => {
        // Batched, with a transposed operand: the backward pass runs all four flag combinations.
        const a = tf.tensor(randomArray(2 * 6 * 5, 8), [2, 6, 5]);
        const b = tf.tensor(randomArray(2 * 4 * 5, 9), [2, 4, 5]);
        const weights = tf.tensor(randomArray(2 * 6 * 4, 10), [2, 6, 4]);
        const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, false, true), weights)))([a, b]);
        return [da.dataSync() as Float32Array, db.dataSync() as Float32Array];
      });
    };
    const expected = await grads('cpu');
    const got = await grads('wasm_native');
    assertClose(got[0], expected[0], 1e-5, 'dA');
    assertClose(got[1], expected[1], 1e-5, 'dB');
  });

  test('the addon refuses offsets outside the heap with an exception, never a stray write', () => {
    const kernels = loaded as NativeKernels;
    const heap = new ArrayBuffer(64);
    assert.throws(() => kernels.addon.batchMatMul(heap, 0, 0, 60, 1, 2, 2, 2, false, false, 0, 0), /outside the 64-byte wasm heap/);
    assert.throws(() => kernels.addon.batchMatMul(heap, 2, 0, 0, 1, 1, 1, 1, false, false, 0, 0), /misaligned/);
    assert.throws(() => kernels.addon.batchMatMul(new Float32Array(4) as unknown as ArrayBuffer, 0, 0, 0, 1, 1, 1, 1, false, false, 0, 0), /ArrayBuffer/);
    assert.throws(() => kernels.addon.batchMatMul(heap, 0, 0, 0, 1, -1, 1, 1, false, false, 0, 0), /non-negative integer/);
    // In range, the product is right: [1 2; 3 4]·[1 0; 0 1] written after the operands.
    const floats = new Float32Array(heap);
    floats.set([1, 2, 3, 4, 1, 0, 0, 1]);
    kernels.addon.batchMatMul(heap, 0, 16, 32, 1, 2, 2, 2, false, false, 0, 0);
    assert.deepEqual(Array.from(floats.subarray(8, 12)), [1, 2, 3, 4]);
  });
});

describe('selecting the native kernels', () => {
  test('wasm_native reports the BLAS and its thread count; wasm puts the stock kernels back', { skip: SKIP_NATIVE }, async () => {
    const native = await selectBackend('wasm_native');
    assert.equal(native.name, 'wasm');
    assert.match(native.detail, NATIVE_DETAIL);
    assert.equal(native.nativeKernels, native.detail.replace(/^.*native kernels \((.*)\)$/, '$1'));
    assert.ok(nativeKernelsInstalled());
    const stock = await selectBackend('wasm');
    assert.match(stock.detail, WASM_DETAIL);
    assert.equal(stock.nativeKernels, undefined);
    assert.ok(!nativeKernelsInstalled(), 'the stock kernels are registered again');
  });

  test('auto prefers the native kernels when they load', { skip: SKIP_NATIVE }, async () => {
    const info = await selectBackend('auto');
    if (info.name !== 'wasm') return; // tfjs-node installed: auto picks tensorflow first
    assert.match(info.detail, NATIVE_DETAIL);
    assert.equal(info.nativeSkipped, undefined);
    assert.match(planBackend('auto').detail, /^wasm \(@tensorflow\/tfjs-backend-wasm [^)]*\) \+ native kernels \((OpenBLAS \d+\.\d+\.\d+|CBLAS), 1 thread\)$/);
    assert.match(planBackend('wasm_native', 2).detail, /\+ native kernels \((OpenBLAS \d+\.\d+\.\d+|CBLAS), 2 threads\)$/);
  });

  test('the thread count is pinned as asked and reported', { skip: SKIP_NATIVE }, async () => {
    const kernels = loaded as NativeKernels;
    if (!kernels.addon.info().threadsSettable) return;
    try {
      const two = await selectBackend('wasm_native', { threads: 2 });
      assert.match(two.detail, /native kernels \(OpenBLAS \S+, 2 threads\)$/);
      assert.equal(kernels.addon.info().threads, 2);
    } finally {
      const one = await selectBackend('wasm_native', { threads: 1 });
      assert.match(one.detail, NATIVE_DETAIL);
    }
    assert.match(pinThreads(kernels, 0) ?? '', /whole number ≥ 1/);
    assert.match(pinThreads(kernels, 100000) ?? '', /runs \d+ threads? when asked for 100000.*set device\.threads \d+/);
    assert.equal(pinThreads(kernels, 1), null);
  });

  test('MASKLAB_NATIVE=off: wasm_native is an error naming the switch, auto runs stock wasm and says why', async () => {
    await withEnv('MASKLAB_NATIVE', 'off', async () => {
      await assert.rejects(selectBackend('wasm_native'), (error: unknown) => {
        assert.ok(error instanceof BackendUnavailableError);
        assert.match(error.message, /^backend 'wasm_native': native kernels are switched off by MASKLAB_NATIVE=off; unset it/);
        assert.equal(error.message.split('\n').length, 1, 'one line');
        return true;
      });
      const info = await selectBackend('auto');
      if (info.name === 'wasm') {
        assert.match(info.detail, WASM_DETAIL);
        assert.match(info.nativeSkipped ?? '', /MASKLAB_NATIVE=off/);
        assert.ok(!usingNativeKernels());
      }
      assert.match(planBackend('wasm_native').detail, /^wasm_native unavailable: .*MASKLAB_NATIVE=off/);
    });
  });

  test('wasm_native on the CPU is refused when a GPU is required', async () => {
    await assert.rejects(selectBackend('wasm_native', { requireGpu: true }), /GPU was required/);
  });
});

describe('loading the addon: every failure is one line with the fix', () => {
  test('a missing file says it is not built and how to build it', () => {
    const result = loadNativeAddonFrom(path.join(os.tmpdir(), 'masklab-no-such-dir', 'masklab_kernels.node'));
    assert.ok('reason' in result);
    assert.match(result.reason, /native kernels are not built \(no .*masklab_kernels\.node\); apt-get install -y libopenblas-dev, then npm run build:native$/);
  });

  test('failures are classified: a built addon that does not load is broken (auto warns), a missing one absent, switched off silent', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masklab-native-'));
    const file = path.join(dir, 'masklab_kernels.node');
    fs.writeFileSync(file, 'not a shared object');
    try {
      const broken = loadNativeAddonFrom(file);
      assert.ok('reason' in broken && broken.kind === 'broken');
      const absent = loadNativeAddonFrom(path.join(dir, 'missing.node'));
      assert.ok('reason' in absent && absent.kind === 'absent');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await withEnv('MASKLAB_NATIVE', 'off', async () => {
      const info = await selectBackend('auto');
      if (info.name === 'wasm') assert.equal(info.nativeWarning, undefined, 'switched off on purpose: no warning');
    });
  });

  test('a file that is not a loadable addon says so, with the loader message and the fix', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masklab-native-'));
    const file = path.join(dir, 'masklab_kernels.node');
    fs.writeFileSync(file, 'not a shared object');
    try {
      const result = loadNativeAddonFrom(file);
      assert.ok('reason' in result);
      assert.match(result.reason, /failed to load \(.+\); apt-get install -y libopenblas-dev, then npm run build:native$/);
      assert.equal(result.reason.split('\n').length, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
