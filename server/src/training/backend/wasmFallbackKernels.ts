// Kernels the tfjs wasm backend (4.22) lacks but training needs, written in JavaScript over
// the wasm heap. Today that is UnsortedSegmentSum, which tfjs uses for the gradient of
// `gather`: without it, any gradient that reaches an embedding table fails on wasm.
//
// And one replacement: wasm's Identity copies its input, and tfjs clones (Identity) every tensor
// a gradient needs while recording a training step — activations, weights, even a frozen
// 30522×128 embedding table read by `gather` — so a step spent a large share of its time
// copying. Tensors are immutable, so the clone can share the data and count a reference, as the
// cpu backend's Identity does (wasm's Reshape shares data the same way). The same for a Transpose
// whose permutation changes nothing: the gradient of an embedding lookup ends in one, and wasm's
// copied the whole 30522×128 gradient (~25 ms a step) to return the same values.

import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

interface UnsortedSegmentSumInputs extends tf.NamedTensorInfoMap {
  x: tf.TensorInfo;
  segmentIds: tf.TensorInfo;
}

/**
 * out[s, ...] = Σ over rows i with segmentIds[i] == s of x[i, ...]; ids outside
 * [0, numSegments) are dropped, as TensorFlow does.
 */
function unsortedSegmentSum(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, segmentIds } = args.inputs as UnsortedSegmentSumInputs;
  const numSegments = Number(args.attrs?.numSegments);
  if (segmentIds.shape.length !== 1 || segmentIds.shape[0] !== x.shape[0]) {
    throw new Error(
      `UnsortedSegmentSum (wasm fallback): segmentIds must be 1-D with one id per row of x ` +
        `(x ${JSON.stringify(x.shape)}, segmentIds ${JSON.stringify(segmentIds.shape)})`,
    );
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum (wasm fallback): x must be float32 or int32, got ${x.dtype}`);
  }
  const rows = x.shape[0] ?? 0;
  const rowSize = rows === 0 ? 0 : tf.util.sizeFromShape(x.shape) / rows;
  const out = backend.makeOutput([numSegments, ...x.shape.slice(1)], x.dtype);
  // Heap views only after the allocation above: growing the heap detaches earlier views.
  const outValues = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  const xValues = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const ids = backend.typedArrayFromHeap(segmentIds) as Int32Array;
  // malloc'd memory is not zeroed.
  outValues.fill(0);
  for (let row = 0; row < rows; row++) {
    const segment = ids[row];
    if (segment < 0 || segment >= numSegments) continue;
    const from = row * rowSize;
    const to = segment * rowSize;
    for (let k = 0; k < rowSize; k++) outValues[to + k] += xValues[from + k];
  }
  return out;
}

function sharedIdentity(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const x = args.inputs.x as tf.TensorInfo;
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

let identityShared = false;
let stockTranspose: tf.KernelFunc | undefined;

function transposeSharingNoOps(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const perm = (args.attrs?.perm ?? []) as number[];
  if (perm.every((axis, i) => axis === i)) return sharedIdentity(args);
  if (!stockTranspose) throw new Error('Transpose (wasm): the stock kernel is missing');
  return stockTranspose(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}

/** Registers the fallbacks once; a later tfjs release that ships its own kernel wins. */
export function registerWasmFallbackKernels(): void {
  if (!tf.getKernel('UnsortedSegmentSum', 'wasm')) {
    tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: unsortedSegmentSum });
  }
  if (!identityShared) {
    identityShared = true;
    if (tf.getKernel('Identity', 'wasm')) tf.unregisterKernel('Identity', 'wasm');
    tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc: sharedIdentity as unknown as tf.KernelFunc });
    const transpose = tf.getKernel('Transpose', 'wasm');
    if (transpose) {
      stockTranspose = transpose.kernelFunc;
      tf.unregisterKernel('Transpose', 'wasm');
      // The stock set-up (binding its wasm function) still has to run when the backend starts.
      tf.registerKernel({ kernelName: 'Transpose', backendName: 'wasm', kernelFunc: transposeSharingNoOps as unknown as tf.KernelFunc, setupFunc: transpose.setupFunc });
    }
  }
}
