// Activations of the BERT family.

import * as tf from '@tensorflow/tfjs-core';
import type { HiddenActivation } from './encoderConfig';
import { nativeDropout, nativeGelu, nativeOpsAvailable } from '../backend/nativeOps';

/**
 * GELU in its exact erf form, x·Φ(x) = ½x(1 + erf(x/√2)), which is what BERT and RoBERTa
 * checkpoints were trained with (config `hidden_act: "gelu"`). The tanh approximation differs by
 * up to ~1e-3 and would break agreement with the reference; erf also avoids `pow`, whose
 * gradient (Pow + Log) is slow on the wasm backend. With the native kernels, one fused kernel
 * each way (nativeOps.ts).
 */
export function gelu<T extends tf.Tensor>(x: T): T {
  if (nativeOpsAvailable()) return nativeGelu(x);
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)) as T);
}

/**
 * Dropout only while training; at evaluation the input is returned as is. With the native kernels
 * one kernel draws tfjs's own random numbers (nativeOps.ts): the same masks either way.
 */
export function dropout<T extends tf.Tensor>(x: T, rate: number, training: boolean, seed?: number): T {
  if (!training || rate <= 0) return x;
  return (nativeOpsAvailable() ? nativeDropout(x, rate, seed) : null) ?? (tf.dropout(x, rate, undefined, seed) as T);
}

/**
 * GELU's tanh approximation (`gelu_new`), ½x(1 + tanh(√(2/π)(x + 0.044715x³))), with x³ as
 * x·x·x: `pow` costs a Pow and a Log kernel in the gradient.
 */
export function geluTanh<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => {
    const cube = tf.mul(tf.mul(x, x), x);
    const inner = tf.mul(tf.add(x, tf.mul(cube, 0.044715)), Math.sqrt(2 / Math.PI));
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1)) as T;
  });
}

export function activation(name: HiddenActivation | undefined): <T extends tf.Tensor>(x: T) => T {
  switch (name ?? 'gelu') {
    case 'gelu':
      return gelu;
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
      return geluTanh;
    case 'relu':
      return <T extends tf.Tensor>(x: T) => tf.relu(x) as T;
  }
}
