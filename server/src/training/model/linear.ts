// A linear layer whose frozen pretrained weight can be seen through a replaceable transform.
// The training methods all act here: a mask computes W ⊙ M, DSEE computes W + ΔW, fine-tuning
// swaps in a trainable copy. They install one `WeightTransform`; the forward pass only ever asks
// for `effectiveWeight()`, so model code never needs to know which method is running.

import * as tf from '@tensorflow/tfjs-core';
import { linearProduct } from './linearProduct';
import { nativeBiasAdd, nativeOpsAvailable } from '../backend/nativeOps';

/** Which matrix of the model a linear layer is; the methods' selectors speak in these terms. */
export type LinearRole = 'query' | 'key' | 'value' | 'attentionOutput' | 'intermediate' | 'output' | 'pooler' | 'classifier' | 'classifierDense';

/**
 * Maps the frozen weight (layout [in, out]) to the weight the forward pass uses. Called inside
 * the caller's tf.tidy, so intermediates it creates are freed; it must not dispose `frozen`.
 */
export type WeightTransform = (frozen: tf.Tensor2D, layer: Linear) => tf.Tensor2D;

/** Maps the frozen bias to the bias the forward pass adds (fine-tuning swaps in a trainable copy). */
export type BiasTransform = (frozen: tf.Tensor1D, layer: Linear) => tf.Tensor1D;

export interface LinearSpec {
  /** Canonical parameter stem, as in the checkpoint without its family prefix: `encoder.layer.0.attention.self.query`. */
  name: string;
  role: LinearRole;
  /** Encoder block index, or undefined for the pooler and heads. */
  layerIndex?: number;
}

export class Linear {
  readonly name: string;
  readonly role: LinearRole;
  readonly layerIndex: number | undefined;
  /**
   * Frozen weight in layout [in, out], i.e. the transpose of PyTorch's [out, in], so that the
   * forward product x·W has no transposed operand (the wasm backend only sends such 2-D
   * products to XNNPACK). Masks and deltas live in the same layout while training; artifacts
   * stored in the checkpoint's [out, in] layout (see checkpoint/parameterNames.ts) are transposed
   * once when loaded or saved, never per step.
   */
  readonly weight: tf.Tensor2D;
  readonly bias: tf.Tensor1D | null;
  private transform: WeightTransform | null = null;
  private biasTransform: BiasTransform | null = null;

  constructor(spec: LinearSpec, weight: tf.Tensor2D, bias: tf.Tensor1D | null) {
    if (bias && bias.shape[0] !== weight.shape[1]) {
      throw new Error(`${spec.name}: bias has ${bias.shape[0]} entries but the weight has ${weight.shape[1]} outputs`);
    }
    this.name = spec.name;
    this.role = spec.role;
    this.layerIndex = spec.layerIndex;
    this.weight = weight;
    this.bias = bias;
  }

  get inFeatures(): number {
    return this.weight.shape[0];
  }

  get outFeatures(): number {
    return this.weight.shape[1];
  }

  get weightTransform(): WeightTransform | null {
    return this.transform;
  }

  /** Installs (or with null removes) the method's view of this weight. */
  setWeightTransform(transform: WeightTransform | null): void {
    this.transform = transform;
  }

  /** Installs (or with null removes) the method's view of this bias; ignored when the layer has none. */
  setBiasTransform(transform: BiasTransform | null): void {
    this.biasTransform = transform;
  }

  /** The bias the forward pass adds: the frozen one unless a method replaced it. */
  effectiveBias(): tf.Tensor1D | null {
    if (!this.bias || !this.biasTransform) return this.bias;
    return this.biasTransform(this.bias, this);
  }

  /** The weight the forward pass multiplies by: the frozen one unless a method replaced it. */
  effectiveWeight(): tf.Tensor2D {
    if (!this.transform) return this.weight;
    const effective = this.transform(this.weight, this);
    if (effective.shape[0] !== this.inFeatures || effective.shape[1] !== this.outFeatures) {
      throw new Error(
        `${this.name}: the weight transform returned shape [${effective.shape.join(', ')}], expected [${this.inFeatures}, ${this.outFeatures}] ([in, out])`,
      );
    }
    return effective;
  }

  /** x [..., in] → [..., out]. */
  apply<T extends tf.Tensor>(x: T): T {
    return tf.tidy(() => {
      const lead = x.shape.slice(0, -1);
      const flat = tf.reshape(x, [-1, this.inFeatures]) as tf.Tensor2D;
      let y: tf.Tensor2D = linearProduct(flat, this.effectiveWeight());
      const bias = this.effectiveBias();
      // The fused bias add pays when the bias trains (its gradient is one column sum instead of
      // a transpose and a reduction); a frozen bias gets no gradient either way.
      if (bias) y = bias instanceof tf.Variable && nativeOpsAvailable() ? nativeBiasAdd(y, bias) : tf.add(y, bias);
      return tf.reshape(y, [...lead, this.outFeatures]) as T;
    });
  }

  dispose(): void {
    this.weight.dispose();
    this.bias?.dispose();
  }
}
