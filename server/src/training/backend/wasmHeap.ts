// Where a tensor lives on the wasm backend's heap, for kernels that compute on it in place.

import type * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** What tfjs passes a kernel function. */
export type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/** Byte offset of the tensor's data in the wasm heap. */
export function heapOffset(backend: BackendWasm, tensor: tf.TensorInfo): number {
  return (backend.dataIdMap.get(tensor.dataId) as unknown as { memoryOffset: number }).memoryOffset;
}

/** The wasm Memory's buffer. Read it after allocating outputs: growing the heap replaces it. */
export function heapBuffer(backend: BackendWasm): ArrayBuffer {
  return (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer as ArrayBuffer;
}
