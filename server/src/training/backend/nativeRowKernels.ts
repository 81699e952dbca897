// Native kernels over rows (the last axis): embedding lookups (GatherV2 of whole rows) and their
// gradient (UnsortedSegmentSum), LayerNorm forward and backward, the softmax gradient, a linear
// layer's bias add and its gradient (a column sum). Forms they do not cover go to the stock kernel.

import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { NativeAddon } from './nativeAddon';
import { MASKLAB_BIAS_ADD, MASKLAB_COLUMN_SUM, MASKLAB_LAYER_NORM, MASKLAB_LAYER_NORM_GRAD, MASKLAB_SOFTMAX_GRAD } from './nativeKernelNames';
import { heapBuffer, heapOffset, type KernelArgs } from './wasmHeap';

interface GatherAttrs {
  axis: number;
  batchDims: number;
}

/**
 * GatherV2 of whole rows (axis 0, no batch dimensions: embedding lookups) as row copies; every
 * other form, and out-of-range indices, go to the stock kernel, which handles (or reports) them.
 * The stock kernel computes each element's source index separately, ~50 ms for a batch's 2048
 * word embeddings.
 */
export function gatherWith(addon: NativeAddon, stock: tf.KernelFunc | undefined) {
  return (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const x = args.inputs.x as tf.TensorInfo;
    const indices = args.inputs.indices as tf.TensorInfo;
    const { axis, batchDims } = args.attrs as unknown as GatherAttrs;
    const rowAxis = axis < 0 ? axis + x.shape.length : axis;
    const plain = rowAxis === 0 && (batchDims ?? 0) === 0 && x.shape.length >= 1 && (x.dtype === 'float32' || x.dtype === 'int32') && indices.dtype === 'int32';
    if (plain) {
      const rows = x.shape[0];
      const rowSize = rows === 0 ? 0 : tf.util.sizeFromShape(x.shape) / rows;
      const count = tf.util.sizeFromShape(indices.shape);
      const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
      if (count === 0 || rowSize === 0) return out;
      const bad = addon.gatherRows(heapBuffer(backend), heapOffset(backend, x), rows, rowSize, heapOffset(backend, indices), count, heapOffset(backend, out));
      if (bad < 0) return out;
      backend.disposeData(out.dataId);
    }
    if (!stock) throw new Error('GatherV2 (native): no stock wasm kernel to fall back on');
    return stock(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  };
}

/**
 * UnsortedSegmentSum (the gradient of a gather) for float32 rows in native code; int32 and other
 * forms go to the JavaScript fallback (wasmFallbackKernels.ts), which the stock backend uses.
 */
export function segmentSumWith(addon: NativeAddon, fallback: tf.KernelFunc | undefined) {
  return (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const x = args.inputs.x as tf.TensorInfo;
    const ids = args.inputs.segmentIds as tf.TensorInfo;
    const segments = Number(args.attrs?.numSegments);
    if (x.dtype === 'float32' && ids.dtype === 'int32' && ids.shape.length === 1 && ids.shape[0] === x.shape[0] && Number.isInteger(segments) && segments >= 0) {
      const rows = x.shape[0] ?? 0;
      const rowSize = rows === 0 ? tf.util.sizeFromShape(x.shape.slice(1)) : tf.util.sizeFromShape(x.shape) / rows;
      const out = backend.makeOutput([segments, ...x.shape.slice(1)], 'float32');
      if (segments * rowSize > 0) addon.segmentSum(heapBuffer(backend), heapOffset(backend, x), heapOffset(backend, ids), heapOffset(backend, out), rows, rowSize, segments);
      return out;
    }
    if (!fallback) throw new Error('UnsortedSegmentSum (native): no fallback kernel registered');
    return fallback(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  };
}

function rowsAndCols(name: string, x: tf.TensorInfo, vector?: tf.TensorInfo): [number, number] {
  const cols = x.shape[x.shape.length - 1] ?? 1;
  if (x.dtype !== 'float32' || (vector && (vector.dtype !== 'float32' || vector.shape.length !== 1 || vector.shape[0] !== cols))) {
    throw new Error(`${name}: expected float32 x [..., ${cols}] and a float32 vector [${cols}]`);
  }
  return [cols === 0 ? 0 : tf.util.sizeFromShape(x.shape) / cols, cols];
}

export function layerNormWith(addon: NativeAddon) {
  return (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const { x, gamma, beta } = args.inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
    const [rows, cols] = rowsAndCols(MASKLAB_LAYER_NORM, x, gamma);
    rowsAndCols(MASKLAB_LAYER_NORM, x, beta);
    const out = backend.makeOutput(x.shape, 'float32');
    if (rows * cols === 0) return out;
    const o = (t: tf.TensorInfo) => heapOffset(backend, t);
    addon.layerNorm(heapBuffer(backend), o(x), o(gamma), o(beta), o(out), rows, cols, Number(args.attrs?.eps));
    return out;
  };
}

export function layerNormGradWith(addon: NativeAddon) {
  return (args: KernelArgs): tf.TensorInfo[] => {
    const backend = args.backend as BackendWasm;
    const { x, gamma, dy } = args.inputs as Record<'x' | 'gamma' | 'dy', tf.TensorInfo>;
    const [rows, cols] = rowsAndCols(MASKLAB_LAYER_NORM_GRAD, x, gamma);
    const dx = backend.makeOutput(x.shape, 'float32');
    const dgamma = backend.makeOutput([cols], 'float32');
    const dbeta = backend.makeOutput([cols], 'float32');
    const o = (t: tf.TensorInfo) => heapOffset(backend, t);
    addon.layerNormGrad(heapBuffer(backend), o(x), o(gamma), o(dy), o(dx), o(dgamma), o(dbeta), rows, cols, Number(args.attrs?.eps));
    return [dx, dgamma, dbeta];
  };
}

export function softmaxGradWith(addon: NativeAddon) {
  return (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const { y, dy } = args.inputs as Record<'y' | 'dy', tf.TensorInfo>;
    const [rows, cols] = rowsAndCols(MASKLAB_SOFTMAX_GRAD, y);
    if (!tf.util.arraysEqual(y.shape, dy.shape)) throw new Error(`${MASKLAB_SOFTMAX_GRAD}: y and dy must have one shape`);
    const dx = backend.makeOutput(y.shape, 'float32');
    if (rows * cols > 0) addon.softmaxGrad(heapBuffer(backend), heapOffset(backend, y), heapOffset(backend, dy), heapOffset(backend, dx), rows, cols);
    return dx;
  };
}

export function biasAddWith(addon: NativeAddon) {
  return (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const { y, bias } = args.inputs as Record<'y' | 'bias', tf.TensorInfo>;
    const [rows, cols] = rowsAndCols(MASKLAB_BIAS_ADD, y, bias);
    const out = backend.makeOutput(y.shape, 'float32');
    if (rows * cols > 0) addon.biasAdd(heapBuffer(backend), heapOffset(backend, y), heapOffset(backend, bias), heapOffset(backend, out), rows, cols);
    return out;
  };
}

export function columnSumWith(addon: NativeAddon) {
  return (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const x = args.inputs.x as tf.TensorInfo;
    const [rows, cols] = rowsAndCols(MASKLAB_COLUMN_SUM, x);
    const out = backend.makeOutput([cols], 'float32');
    addon.columnSum(heapBuffer(backend), heapOffset(backend, x), heapOffset(backend, out), rows, cols);
    return out;
  };
}
