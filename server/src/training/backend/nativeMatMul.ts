// BatchMatMul on the wasm heap through the addon's cblas_sgemm: every transpose combination and
// tfjs's batch broadcasting (one matrix against a batch in one call; the general [2,1]×[1,3] form
// one product per output matrix). tfjs writes both gradients of a product as products with
// transpose flags, so this one kernel covers forward and backward.

import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { NativeAddon } from './nativeAddon';
import { heapBuffer, heapOffset, type KernelArgs } from './wasmHeap';

interface BatchMatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** Row-major strides (in matrices) of a batch shape, with 0 where a dimension of 1 is broadcast. */
function broadcastStrides(batchShape: readonly number[], outBatch: readonly number[]): number[] {
  const padded = [...new Array<number>(outBatch.length - batchShape.length).fill(1), ...batchShape];
  const strides = new Array<number>(padded.length).fill(0);
  let stride = 1;
  for (let d = padded.length - 1; d >= 0; d--) {
    strides[d] = padded[d] === 1 && outBatch[d] !== 1 ? 0 : stride;
    stride *= padded[d];
  }
  return strides;
}

export function batchMatMulWith(addon: NativeAddon) {
  return (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const a = args.inputs.a as tf.TensorInfo;
    const b = args.inputs.b as tf.TensorInfo;
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') {
      throw new Error(`BatchMatMul (native): only float32 operands are supported, got ${a.dtype} and ${b.dtype}`);
    }
    if (a.shape.length < 2 || b.shape.length < 2) {
      throw new Error(`BatchMatMul (native): operands must have rank ≥ 2, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
    }
    const ar = a.shape.length;
    const br = b.shape.length;
    const m = transposeA ? a.shape[ar - 1] : a.shape[ar - 2];
    const k = transposeA ? a.shape[ar - 2] : a.shape[ar - 1];
    const kB = transposeB ? b.shape[br - 1] : b.shape[br - 2];
    const n = transposeB ? b.shape[br - 2] : b.shape[br - 1];
    if (k !== kB) {
      throw new Error(
        `Error in matMul: inner shapes (${k}) and (${kB}) of Tensors with shapes ${a.shape} and ${b.shape} and ` +
          `transposeA=${transposeA} and transposeB=${transposeB} must match.`,
      );
    }
    const aBatch = a.shape.slice(0, -2);
    const bBatch = b.shape.slice(0, -2);
    const outBatch = tf.broadcast_util.assertAndGetBroadcastShape(aBatch, bBatch);
    const out = backend.makeOutput([...outBatch, m, n], 'float32');
    const batch = tf.util.sizeFromShape(outBatch);
    if (batch === 0 || m === 0 || n === 0) return out;
    // After makeOutput: the allocation may have grown (and replaced) the heap.
    const heap = heapBuffer(backend);
    const aOffset = heapOffset(backend, a);
    const bOffset = heapOffset(backend, b);
    const outOffset = heapOffset(backend, out);
    const aSize = tf.util.sizeFromShape(aBatch);
    const bSize = tf.util.sizeFromShape(bBatch);
    if ((aSize === batch || aSize === 1) && (bSize === batch || bSize === 1)) {
      // One call: each side either has every matrix of the batch in order or one broadcast matrix.
      addon.batchMatMul(heap, aOffset, bOffset, outOffset, batch, m, n, k, transposeA, transposeB, aSize === 1 ? 0 : m * k, bSize === 1 ? 0 : k * n);
      return out;
    }
    // General broadcasting ([2, 1] against [1, 3]): one product per output matrix.
    const aStrides = broadcastStrides(aBatch, outBatch);
    const bStrides = broadcastStrides(bBatch, outBatch);
    const outStrides = tf.util.computeStrides(outBatch);
    for (let i = 0; i < batch; i++) {
      let rest = i;
      let ai = 0;
      let bi = 0;
      for (let d = 0; d < outBatch.length; d++) {
        const index = d < outStrides.length ? Math.floor(rest / outStrides[d]) : rest;
        if (d < outStrides.length) rest -= index * outStrides[d];
        ai += index * aStrides[d];
        bi += index * bStrides[d];
      }
      addon.batchMatMul(heap, aOffset + 4 * ai * m * k, bOffset + 4 * bi * k * n, outOffset + 4 * i * m * n, 1, m, n, k, transposeA, transposeB, 0, 0);
    }
    return out;
  };
}
