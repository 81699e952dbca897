// Registers the native kernels (nativeAddon.ts) as the wasm backend's implementations, computing
// on the wasm heap in place, and takes them out again (the stock kernels come back).
//
// BatchMatMul: every matrix product of a step, forward and backward, because tfjs writes the
// gradients of a product as products with transpose flags. The stock wasm kernel sends only
// untransposed, unbatched products to XNNPACK and runs everything else in a scalar loop; sgemm
// takes the flags and the batch directly (nativeMatMul.ts). GatherV2: embedding lookups as row
// copies, and UnsortedSegmentSum, their gradient (nativeRowKernels.ts). And the kernels of
// Masklab's fused ops (nativeOps.ts): GELU, LayerNorm, softmax, bias, AdamW, each one pass over
// memory instead of a chain of element-wise kernels.
//
// Kernel registrations are process-wide: while installed, every wasm computation in the process
// uses them. selectBackend installs or removes them to match what a run asked for.

import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { NativeAddon, NativeKernels } from './nativeAddon';
import {
  MASKLAB_ADAM_W,
  MASKLAB_BIAS_ADD,
  MASKLAB_COLUMN_SUM,
  MASKLAB_DROPOUT,
  MASKLAB_GELU,
  MASKLAB_GELU_GRAD,
  MASKLAB_LAYER_NORM,
  MASKLAB_LAYER_NORM_GRAD,
  MASKLAB_SOFTMAX_GRAD,
  MASKLAB_SUM_SQUARES,
  MASKLAB_THRESHOLD,
} from './nativeKernelNames';
import { batchMatMulWith } from './nativeMatMul';
import { biasAddWith, columnSumWith, gatherWith, layerNormGradWith, layerNormWith, segmentSumWith, softmaxGradWith } from './nativeRowKernels';
import { heapBuffer, heapOffset, type KernelArgs } from './wasmHeap';

export * from './nativeKernelNames';

/** An element-wise kernel over float32 inputs of one shape: out = f(inputs). */
function elementwise(name: string, inputNames: readonly string[], run: (heap: ArrayBuffer, offsets: number[], out: number, n: number, attrs?: tf.NamedAttrMap) => void) {
  return (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const inputs = inputNames.map((input) => args.inputs[input] as tf.TensorInfo);
    const shape = inputs[0].shape;
    for (const t of inputs) {
      if (t.dtype !== 'float32' || !tf.util.arraysEqual(t.shape, shape)) {
        throw new Error(`${name}: inputs must be float32 of one shape, got ${inputs.map((i) => `${i.dtype}[${i.shape.join(', ')}]`).join(' and ')}`);
      }
    }
    const out = backend.makeOutput(shape, 'float32');
    const n = tf.util.sizeFromShape(shape);
    if (n > 0) run(heapBuffer(backend), inputs.map((t) => heapOffset(backend, t)), heapOffset(backend, out), n, args.attrs);
    return out;
  };
}

function sumSquaresWith(addon: NativeAddon) {
  return (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype !== 'float32') throw new Error(`${MASKLAB_SUM_SQUARES}: x must be float32, got ${x.dtype}`);
    const out = backend.makeOutput([], 'float32');
    addon.sumSquares(heapBuffer(backend), heapOffset(backend, x), heapOffset(backend, out), tf.util.sizeFromShape(x.shape));
    return out;
  };
}

interface AdamWAttrs {
  beta1: number;
  beta2: number;
  epsilonHat: number;
  decay: number;
  stepSize: number;
}

function adamWWith(addon: NativeAddon) {
  return (args: KernelArgs): tf.TensorInfo[] => {
    const backend = args.backend as BackendWasm;
    const { param, grad, m, v, clip } = args.inputs as Record<'param' | 'grad' | 'm' | 'v', tf.TensorInfo> & { clip?: tf.TensorInfo };
    const shape = param.shape;
    for (const t of [grad, m, v]) {
      if (t.dtype !== 'float32' || !tf.util.arraysEqual(t.shape, shape)) throw new Error(`${MASKLAB_ADAM_W}: parameter, gradient and moments must be float32 of one shape`);
    }
    const a = args.attrs as unknown as AdamWAttrs;
    const outs = [backend.makeOutput(shape, 'float32'), backend.makeOutput(shape, 'float32'), backend.makeOutput(shape, 'float32')];
    const o = (t: tf.TensorInfo) => heapOffset(backend, t);
    addon.adamW(
      heapBuffer(backend),
      o(param),
      o(grad),
      o(m),
      o(v),
      o(outs[0]),
      o(outs[1]),
      o(outs[2]),
      tf.util.sizeFromShape(shape),
      clip ? o(clip) : -1,
      a.beta1,
      1 - a.beta1,
      a.beta2,
      1 - a.beta2,
      a.epsilonHat,
      a.decay,
      a.stepSize,
    );
    return outs;
  };
}

interface DropoutAttrs {
  keepProb: number;
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

function dropoutWith(addon: NativeAddon) {
  return (args: KernelArgs): tf.TensorInfo[] => {
    const backend = args.backend as BackendWasm;
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype !== 'float32') throw new Error(`${MASKLAB_DROPOUT}: x must be float32, got ${x.dtype}`);
    const a = args.attrs as unknown as DropoutAttrs;
    const out = backend.makeOutput(x.shape, 'float32');
    const multiplier = backend.makeOutput(x.shape, 'float32');
    const n = tf.util.sizeFromShape(x.shape);
    const o = (t: tf.TensorInfo) => heapOffset(backend, t);
    if (n > 0) addon.dropout(heapBuffer(backend), o(x), o(out), o(multiplier), n, a.keepProb, a.c, a.s0, a.s1, a.s2);
    return [out, multiplier];
  };
}

/** Stock wasm kernels the native ones replace (restored by removeNativeKernels). */
const REPLACED_KERNELS = ['BatchMatMul', 'GatherV2', 'UnsortedSegmentSum'] as const;
const OWN_KERNELS = [
  MASKLAB_GELU,
  MASKLAB_GELU_GRAD,
  MASKLAB_LAYER_NORM,
  MASKLAB_LAYER_NORM_GRAD,
  MASKLAB_SOFTMAX_GRAD,
  MASKLAB_BIAS_ADD,
  MASKLAB_COLUMN_SUM,
  MASKLAB_SUM_SQUARES,
  MASKLAB_ADAM_W,
  MASKLAB_THRESHOLD,
  MASKLAB_DROPOUT,
] as const;

let installed: NativeKernels | null = null;
const stockKernels = new Map<string, tf.KernelConfig | undefined>();

type AnyKernel = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

/** Makes the native kernels the wasm backend's (idempotent). */
export function installNativeKernels(kernels: NativeKernels): void {
  if (installed === kernels) return;
  removeNativeKernels();
  const addon = kernels.addon;
  for (const name of REPLACED_KERNELS) stockKernels.set(name, tf.getKernel(name, 'wasm'));
  const functions: Record<(typeof REPLACED_KERNELS)[number] | (typeof OWN_KERNELS)[number], AnyKernel> = {
    BatchMatMul: batchMatMulWith(addon),
    GatherV2: gatherWith(addon, stockKernels.get('GatherV2')?.kernelFunc),
    UnsortedSegmentSum: segmentSumWith(addon, stockKernels.get('UnsortedSegmentSum')?.kernelFunc),
    [MASKLAB_GELU]: elementwise(MASKLAB_GELU, ['x'], (heap, [x], out, n) => addon.gelu(heap, x, out, n)),
    [MASKLAB_GELU_GRAD]: elementwise(MASKLAB_GELU_GRAD, ['x', 'dy'], (heap, [x, dy], out, n) => addon.geluGrad(heap, x, dy, out, n)),
    [MASKLAB_LAYER_NORM]: layerNormWith(addon),
    [MASKLAB_LAYER_NORM_GRAD]: layerNormGradWith(addon),
    [MASKLAB_SOFTMAX_GRAD]: softmaxGradWith(addon),
    [MASKLAB_BIAS_ADD]: biasAddWith(addon),
    [MASKLAB_COLUMN_SUM]: columnSumWith(addon),
    [MASKLAB_SUM_SQUARES]: sumSquaresWith(addon),
    [MASKLAB_ADAM_W]: adamWWith(addon),
    [MASKLAB_DROPOUT]: dropoutWith(addon),
    [MASKLAB_THRESHOLD]: elementwise(MASKLAB_THRESHOLD, ['x'], (heap, [x], out, n, attrs) => addon.threshold(heap, x, out, n, Number(attrs?.tau))),
  };
  for (const name of [...REPLACED_KERNELS, ...OWN_KERNELS]) {
    if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: functions[name] as unknown as tf.KernelFunc });
  }
  installed = kernels;
}

/** Puts the stock wasm kernels back (a no-op when the native ones are not installed). */
export function removeNativeKernels(): void {
  if (!installed) return;
  for (const name of REPLACED_KERNELS) {
    tf.unregisterKernel(name, 'wasm');
    const stock = stockKernels.get(name);
    if (stock) tf.registerKernel(stock);
  }
  for (const name of OWN_KERNELS) tf.unregisterKernel(name, 'wasm');
  stockKernels.clear();
  installed = null;
}

/** True while the native kernels are the wasm backend's (whatever backend is current). */
export function nativeKernelsInstalled(): boolean {
  return installed !== null;
}

/** True when the current backend computes with the native kernels. */
export function usingNativeKernels(): boolean {
  return installed !== null && tf.getBackend() === 'wasm';
}
