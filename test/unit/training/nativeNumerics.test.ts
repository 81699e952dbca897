// Same numbers with the native kernels: the encoder still matches the independent float64
// reference within 1e-4 (as `masklab encode` runs it), a training step's gradients agree with the
// stock wasm backend's, and the same seed and thread count give the same run twice.
// Skips with the reason when the addon is not built (or MASKLAB_NATIVE=off).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MethodConfig, MethodKind } from '../../../schemas/src/experimentConfig';
import { openCheckpoint } from '../../../server/src/checkpoint';
import { loadNativeKernels } from '../../../server/src/training/backend/nativeAddon';
import { usingNativeKernels } from '../../../server/src/training/backend/nativeKernels';
import { selectBackend } from '../../../server/src/training/backend/selectBackend';
import { encodeTexts } from '../../../server/src/training/encodeTexts';
import { runTraining } from '../../../server/src/training/loop';
import { methodHarness } from './methods/harness';
import { defaultMethod, RecordingSink, tinyRunConfig, writeTinyTask } from './loop/tinyRun';
import { SKIP_SHARED, sharedModelDir } from './sharedPaths';

const loaded = loadNativeKernels();
const SKIP_NATIVE = 'reason' in loaded && `native kernels unavailable: ${loaded.reason}`;

/**
 * Tolerance on a step's gradients, relative to their whole norm ‖g‖ (all trainable entries):
 * ‖g_native − g_stock‖ ≤ 1e-4·‖g_stock‖ overall, and per tensor ‖Δg_t‖ ≤ 1e-4·‖g_t‖ + 1e-6·‖g‖ (some
 * gradients are zero in exact arithmetic, e.g. a key bias under softmax, or DSEE's A while B = 0,
 * and are float32 noise on both sides). sgemm sums in another order than the wasm kernels (blocked,
 * FMA), so rounding differs by ~1e-7 per product, grown by the depth of the backward pass
 * (measured: ~1.3e-6 for all three methods); a wrong transpose or batch stride gives errors of order 1.
 */
const GRADIENT_TOLERANCE = 1e-4;
const NOISE_FLOOR = 1e-6;

interface ReferenceExample {
  text?: string;
  pair?: [string, string];
  ids: number[];
  cls: number[];
}

function norm(values: Float32Array): number {
  let sum = 0;
  for (const v of values) sum += v * v;
  return Math.sqrt(sum);
}

function differenceNorm(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum);
}

describe('numbers with the native kernels', { skip: SKIP_NATIVE }, () => {
  test('masklab encode on the shared checkpoint matches the float64 reference within 1e-4', { skip: SKIP_SHARED }, async () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/reference/bert-tiny-glue-mlm.json'), 'utf8')) as { examples: ReferenceExample[] };
    let detail = '';
    const inputs = fixture.examples.map((e) => (e.pair ? { text: e.pair[0], pair: e.pair[1] } : { text: e.text as string }));
    const encoded = await encodeTexts(openCheckpoint(sharedModelDir), inputs, { backend: 'wasm_native', onBackend: (d) => (detail = d) });
    assert.match(detail, /\+ native kernels \(/);
    encoded.forEach((result, i) => {
      const expected = fixture.examples[i];
      assert.deepEqual(result.ids, expected.ids);
      const worst = Math.max(...result.cls.map((v, k) => Math.abs(v - expected.cls[k])));
      assert.ok(worst < 1e-4, `[CLS] of ${JSON.stringify(expected.text ?? expected.pair)} differs by ${worst}`);
    });
  });

  for (const kind of ['mask', 'finetune', 'dsee'] as MethodKind[]) {
    test(`${kind}: one step's gradients agree with stock wasm within ${GRADIENT_TOLERANCE} (relative)`, async () => {
      await selectBackend('wasm');
      const harness = methodHarness(kind, kind === 'mask' ? { initial_sparsity: 0.3 } : {});
      try {
        harness.method.beginStep(0);
        const stock = harness.gradients();
        // The same tensors, now multiplied by the native kernels (the backend stays wasm).
        await selectBackend('wasm_native');
        assert.ok(usingNativeKernels());
        const native = harness.gradients();
        const names = Object.keys(stock);
        assert.ok(names.length > 0);
        assert.deepEqual(Object.keys(native).sort(), [...names].sort());
        const whole = Math.sqrt(names.reduce((sum, name) => sum + norm(stock[name]) ** 2, 0));
        const wholeDifference = Math.sqrt(names.reduce((sum, name) => sum + differenceNorm(native[name], stock[name]) ** 2, 0));
        assert.ok(whole > 1e-3, `a real gradient (‖g‖ = ${whole})`);
        assert.ok(wholeDifference <= GRADIENT_TOLERANCE * whole, `whole step: ‖Δg‖/‖g‖ = ${(wholeDifference / whole).toExponential(2)}`);
        for (const name of names) {
          const difference = differenceNorm(native[name], stock[name]);
          const allowed = GRADIENT_TOLERANCE * norm(stock[name]) + NOISE_FLOOR * whole;
          assert.ok(difference <= allowed, `${name}: ‖Δg‖ = ${difference.toExponential(2)}, allowed ${allowed.toExponential(2)}`);
        }
      } finally {
        harness.dispose();
      }
    });
  }

  test('the same seed and thread count give the same run twice (mask, dropout on)', async () => {
    const task = writeTinyTask({ train: 32, dev: 16 });
    try {
      const config = tinyRunConfig(task, { ...defaultMethod('mask'), initial_sparsity: 0.2 } as MethodConfig, { epochs: 1, dropout: 0.1 });
      config.device = { ...config.device, backend: 'wasm_native', threads: 1 };
      const once = async () => {
        const sink = new RecordingSink();
        const result = await runTraining(config, sink, { runId: 'twice' });
        assert.equal(result.outcome, 'completed');
        assert.match(sink.ofType('started')[0].backend.detail, /\+ native kernels \(.*1 thread\)$/);
        return { result, state: sink.saved[sink.saved.length - 1] };
      };
      const first = await once();
      const second = await once();
      assert.deepEqual(second.result.final, first.result.final);
      assert.deepEqual(Object.keys(second.state.tensors), Object.keys(first.state.tensors));
      for (const key of Object.keys(first.state.tensors)) assert.deepEqual(second.state.tensors[key].data, first.state.tensors[key].data, key);
    } finally {
      task.remove();
    }
  });
});
