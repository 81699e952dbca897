// Fused ops on the native kernels (nativeKernels.ts): GELU, LayerNorm, softmax and a
// linear layer's bias, each one kernel forward and one backward, where the tfjs compositions
// launch a chain of element-wise kernels (GELU alone: Erf, Exp and six multiplies and adds per
// pass; a bias gradient: a transpose and a slow reduction); and the AdamW update, the gradient
// norm and a threshold mask in one pass each. Used only while the native kernels are installed on
// the current (wasm) backend; every other backend keeps the compositions (activations.ts,
// layerNorm.ts, selfAttention.ts, linear.ts, optim/adamW.ts, methods/maskMethod.ts), so stock
// numbers do not move.
//
// Each gradient is the closed form of the composition's derivative; test/unit/training/
// fusedOps.test.ts checks value and gradient against the composition and finite differences.

import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
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
  usingNativeKernels,
} from './nativeKernels';

type Input = tf.Tensor | tf.GradSaveFunc;

function run(kernel: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}): tf.Tensor | tf.Tensor[] {
  return tf.engine().runKernel(kernel, inputs, attrs) as tf.Tensor | tf.Tensor[];
}

/** True when the fused native ops can run now (wasm with the native kernels installed). */
export function nativeOpsAvailable(): boolean {
  return usingNativeKernels();
}

const geluOp = tf.customGrad((...inputs: Input[]) => {
  const x = inputs[0] as tf.Tensor;
  const save = inputs[1] as tf.GradSaveFunc;
  save([x]);
  return {
    value: run(MASKLAB_GELU, { x }) as tf.Tensor,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => run(MASKLAB_GELU_GRAD, { x: saved[0], dy }) as tf.Tensor,
  };
});

/** x·Φ(x) (exact erf GELU) in one native kernel; gradient dy·(Φ(x) + x·φ(x)) in one more. */
export function nativeGelu<T extends tf.Tensor>(x: T): T {
  return geluOp(x) as T;
}

const layerNormOps = new Map<number, (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor>();

/** LayerNorm over the last axis, (x − μ)/√(σ² + eps)·γ + β, forward and backward one kernel each. */
export function nativeLayerNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): T {
  let op = layerNormOps.get(eps);
  if (!op) {
    op = tf.customGrad((...inputs: Input[]) => {
      const [input, g, b] = inputs as tf.Tensor[];
      const save = inputs[3] as tf.GradSaveFunc;
      save([input, g]);
      return {
        value: run(MASKLAB_LAYER_NORM, { x: input, gamma: g, beta: b }, { eps }) as tf.Tensor,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => run(MASKLAB_LAYER_NORM_GRAD, { x: saved[0], gamma: saved[1], dy }, { eps }) as tf.Tensor[],
      };
    }) as (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor;
    layerNormOps.set(eps, op);
  }
  return op(x, gamma, beta) as T;
}

const softmaxOp = tf.customGrad((...inputs: Input[]) => {
  const logits = inputs[0] as tf.Tensor;
  const save = inputs[1] as tf.GradSaveFunc;
  const y = tf.softmax(logits, -1);
  save([y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => run(MASKLAB_SOFTMAX_GRAD, { y: saved[0], dy }) as tf.Tensor,
  };
});

/** Softmax over the last axis (the stock wasm kernel), with the gradient y·(dy − Σ dy·y) in one kernel. */
export function nativeSoftmax<T extends tf.Tensor>(logits: T): T {
  return softmaxOp(logits) as T;
}

const biasAddOp = tf.customGrad((...inputs: Input[]) => {
  const [y, bias] = inputs as tf.Tensor[];
  return {
    value: run(MASKLAB_BIAS_ADD, { y, bias }) as tf.Tensor,
    gradFunc: (dy: tf.Tensor) => [dy, run(MASKLAB_COLUMN_SUM, { x: dy }) as tf.Tensor],
  };
});

/** y [rows, out] + bias [out]; the bias gradient is the column sum of dy in one kernel. */
export function nativeBiasAdd(y: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  return biasAddOp(y, bias) as tf.Tensor2D;
}

/** Σ x² as a float32 scalar (no gradient: used for the gradient norm). */
export function nativeSumSquares(x: tf.Tensor): tf.Scalar {
  return run(MASKLAB_SUM_SQUARES, { x }) as tf.Scalar;
}

/** A mask from scores: 1 where x > tau, else 0 (float32, no gradient). */
export function nativeThreshold<T extends tf.Tensor>(x: T, tau: number): T {
  return run(MASKLAB_THRESHOLD, { x }, { tau }) as T;
}

export interface AdamWStep {
  beta1: number;
  beta2: number;
  /** ε·√(1 − β₂ᵗ). */
  epsilonHat: number;
  /** 1 − lr·wd (1: no decay). */
  decay: number;
  /** lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ). */
  stepSize: number;
}

/** One AdamW update of one tensor in one pass: [parameter, m, v] after the step. */
export function nativeAdamW(param: tf.Tensor, grad: tf.Tensor, m: tf.Tensor, v: tf.Tensor, clip: tf.Scalar | null, step: AdamWStep): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const inputs: tf.NamedTensorMap = clip ? { param, grad, m, v, clip } : { param, grad, m, v };
  return run(MASKLAB_ADAM_W, inputs, { ...step }) as [tf.Tensor, tf.Tensor, tf.Tensor];
}

interface AleaState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}
type Alea = (seed: string, options: { state: true }) => { state(): AleaState };

let alea: Alea | null | undefined;

/**
 * seedrandom's Alea generator, the one tfjs-core draws its random numbers with, resolved from
 * tfjs-core's own folder; null when it cannot be loaded (dropout then stays tfjs's).
 */
function aleaGenerator(): Alea | null {
  if (alea !== undefined) return alea;
  try {
    const core = path.dirname(require.resolve('@tensorflow/tfjs-core/package.json'));
    // A computed path: bundles leave it to Node, like tfjs-core itself.
    const file = require.resolve('seedrandom/lib/alea', { paths: [core] });
    alea = require(file) as Alea;
  } catch {
    alea = null;
  }
  return alea;
}

/**
 * tfjs's dropout, x·floor(u + keep)/keep with u ~ U[0, 1) drawn from `seed` exactly as
 * tf.dropout(x, rate, undefined, seed) draws it (same generator, same seeding, same float32
 * operations): the same masks and values in one native kernel, instead of a JavaScript loop over
 * the draws and four kernels. The gradient is dy times the saved multiplier, as tfjs's. Returns
 * null when it cannot reproduce tfjs (no seed, or the generator not found): the caller then
 * uses tf.dropout.
 */
export function nativeDropout<T extends tf.Tensor>(x: T, rate: number, seed: number | undefined): T | null {
  const generator = aleaGenerator();
  if (seed === undefined || generator === null || rate <= 0 || rate >= 1 || x.dtype !== 'float32') return null;
  const state = generator(seed.toString(), { state: true }).state();
  const op = tf.customGrad((...inputs: Input[]) => {
    const input = inputs[0] as tf.Tensor;
    const save = inputs[1] as tf.GradSaveFunc;
    const [out, multiplier] = run(MASKLAB_DROPOUT, { x: input }, { keepProb: 1 - rate, ...state }) as tf.Tensor[];
    save([multiplier]);
    return { value: out, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]) };
  });
  return op(x) as T;
}
