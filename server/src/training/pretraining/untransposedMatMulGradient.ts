// The gradient of a 2-D matrix product written with explicit transposes instead of matMul's
// transpose flags. tfjs expresses both gradients of x·W as products with a transposed operand
// (dy·Wᵀ and xᵀ·dy); the wasm backend hands such products to its scalar fallback loop instead of
// XNNPACK (design/engine.md), and in pretraining, where every weight trains, those products are
// most of a step. Transposing first costs one cheap copy and lets every 2-D product reach
// XNNPACK: a pretraining step of the example model is about a quarter faster on wasm.
// Batched (attention) products keep tfjs's own formulation: the wasm backend has no fast path
// for them either way.
//
// tfjs keeps one gradient per kernel for the whole process, so the replacement is installed for
// the duration of a pretraining run and the previous gradient restored afterwards.

import * as tf from '@tensorflow/tfjs-core';

interface MatMulAttributes {
  transposeA: boolean;
  transposeB: boolean;
}

function oriented(x: tf.Tensor, transposed: boolean): tf.Tensor {
  return transposed ? tf.transpose(x) : x;
}

/** x·y with the flags applied: explicitly for 2-D operands, by matMul itself otherwise. */
function product(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  if (a.rank === 2 && b.rank === 2) return tf.matMul(oriented(a, transposeA) as tf.Tensor2D, oriented(b, transposeB) as tf.Tensor2D);
  return tf.matMul(a, b, transposeA, transposeB);
}

const untransposedGradient: tf.GradConfig = {
  kernelName: 'BatchMatMul',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs?: tf.NamedAttrMap) => {
    const upstream = dy as tf.Tensor;
    const [a, b] = saved;
    const { transposeA, transposeB } = attrs as unknown as MatMulAttributes;
    // The same four cases as tfjs's BatchMatMul gradient; only how each product is evaluated differs.
    if (!transposeA && !transposeB) return { a: () => product(upstream, b, false, true), b: () => product(a, upstream, true, false) };
    if (!transposeA && transposeB) return { a: () => product(upstream, b, false, false), b: () => product(upstream, a, true, false) };
    if (transposeA && !transposeB) return { a: () => product(b, upstream, false, true), b: () => product(a, upstream, false, false) };
    return { a: () => product(b, upstream, true, true), b: () => product(upstream, a, true, true) };
  },
};

/** Installs the gradient above; the returned function puts back the one it replaced. */
export function useUntransposedMatMulGradient(): () => void {
  const previous = tf.getGradient('BatchMatMul');
  tf.registerGradient(untransposedGradient);
  return () => {
    if (previous) tf.registerGradient(previous);
    else tf.unregisterGradient('BatchMatMul');
  };
}
