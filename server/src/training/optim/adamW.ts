// AdamW (Loshchilov & Hutter): Adam with bias correction and weight decay decoupled from the
// gradient, as PyTorch's torch.optim.AdamW computes it:
//   m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²
//   p ← p·(1 − lr·wd) − lr·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
// The last line is evaluated as p·(1 − lr·wd) − (lr·√c₂/c₁)·m / (√v + ε·√c₂) with c = 1 − βᵗ,
// which is the same number with the bias corrections folded into two scalars.
//
// Why flat buffers: the trainable tensors of one group (all mask scores, say) are updated as a
// single concatenated vector, so an update costs about a dozen kernels per group instead of per
// tensor; small tensors (biases, DSEE's sparse values) would otherwise spend their time in kernel
// launches. Gradients are accumulated into the same flat layout (grad accumulation), the global
// norm for clipping is two kernels per group, and the new values are split back in one kernel.
// With the native kernels (backend/nativeOps.ts) each tensor's update is one kernel that computes
// the same float32 operations in the same order, and its share of the norm one more.

import * as tf from '@tensorflow/tfjs-core';
import { nativeAdamW, nativeOpsAvailable, nativeSumSquares } from '../backend/nativeOps';

export interface ParamGroupSpec {
  /** Stable name (saved moments are keyed by it): `scores`, `weights`, `no_decay`, `head`, … */
  name: string;
  variables: tf.Variable[];
  /** Peak learning rate of the group; the schedule multiplies it. */
  lr: number;
  /** Decoupled weight decay (0: none, as for biases, LayerNorm and mask scores). */
  weightDecay: number;
}

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Clip the global gradient norm to this value before the update; 0 switches clipping off. */
  maxGradNorm: number;
}

export interface SavedTensor {
  shape: number[];
  data: Float32Array;
}

interface Group {
  spec: ParamGroupSpec;
  sizes: number[];
  total: number;
  /** Moments and summed gradients per variable, in the variables' shapes. */
  m: tf.Tensor[];
  v: tf.Tensor[];
  /** Summed gradients since the last update; null before the first accumulate. */
  grad: Array<tf.Tensor | null>;
}

export class AdamW {
  private readonly groups: Group[];
  /** Updates applied so far (t in the bias corrections). */
  private updates = 0;

  constructor(
    groups: readonly ParamGroupSpec[],
    readonly options: AdamWOptions,
  ) {
    const names = new Set<string>();
    this.groups = groups
      .filter((spec) => spec.variables.length > 0)
      .map((spec) => {
        if (names.has(spec.name)) throw new Error(`AdamW: two parameter groups are named '${spec.name}'`);
        names.add(spec.name);
        const sizes = spec.variables.map((v) => v.size);
        return {
          spec,
          sizes,
          total: sizes.reduce((a, b) => a + b, 0),
          m: spec.variables.map((v) => tf.zerosLike(v)),
          v: spec.variables.map((v) => tf.zerosLike(v)),
          grad: spec.variables.map(() => null),
        };
      });
  }

  /** Updates applied so far. */
  get stepCount(): number {
    return this.updates;
  }

  /** Entries the optimiser updates. */
  get parameterCount(): number {
    return this.groups.reduce((sum, g) => sum + g.total, 0);
  }

  groupNames(): string[] {
    return this.groups.map((g) => g.spec.name);
  }

  /**
   * Adds `scale`·grads (keyed by variable name, as tf.variableGrads returns them) to the running
   * sums. A variable the loss did not reach contributes nothing. Does not dispose `grads`.
   */
  accumulate(grads: tf.NamedTensorMap, scale = 1): void {
    for (const group of this.groups) {
      group.spec.variables.forEach((variable, i) => {
        const grad = grads[variable.name];
        const held = group.grad[i];
        if (!grad) {
          group.grad[i] = held ?? tf.zerosLike(variable);
          return;
        }
        group.grad[i] = tf.tidy(() => {
          const scaled = scale === 1 ? tf.clone(grad) : tf.mul(grad, scale);
          return held ? tf.add(held, scaled) : scaled;
        });
        held?.dispose();
      });
    }
  }

  /**
   * Adds a constant to every gradient entry of a group (the gradient of a penalty that is the
   * same for each entry, such as the mask sparsity penalty's 2λ(s* − s)/n).
   */
  addToGradient(groupName: string, offset: number): void {
    const group = this.groups.find((g) => g.spec.name === groupName);
    if (!group || offset === 0) return;
    group.spec.variables.forEach((variable, i) => {
      const held = group.grad[i];
      group.grad[i] = tf.tidy(() => (held ? tf.add(held, offset) : tf.fill(variable.shape, offset)));
      held?.dispose();
    });
  }

  /** L2 norm over every accumulated gradient (before clipping); the caller disposes it. */
  gradientNorm(): tf.Scalar {
    return tf.tidy(() => {
      const native = nativeOpsAvailable();
      const squares = this.groups.flatMap((g) => g.grad.filter((x): x is tf.Tensor => x !== null).map((x) => (native ? nativeSumSquares(x) : tf.sum(tf.square(x)))));
      return tf.sqrt(squares.length === 0 ? tf.scalar(0) : tf.addN(squares)) as tf.Scalar;
    });
  }

  /** Drops accumulated gradients without updating (a step that failed its finiteness check). */
  discardGradients(): void {
    for (const group of this.groups) {
      group.grad.forEach((x) => x?.dispose());
      group.grad = group.grad.map(() => null);
    }
  }

  /**
   * One update from the accumulated gradients, at `lrMultiplier` × each group's lr, then clears
   * the sums. `norm` is gradientNorm()'s value, reused for clipping (PyTorch's clip_grad_norm_:
   * scale by max_norm / (norm + 1e-6) when that is below 1).
   */
  apply(lrMultiplier: number, norm?: tf.Scalar): void {
    this.updates += 1;
    const t = this.updates;
    const { beta1, beta2, epsilon, maxGradNorm } = this.options;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    tf.tidy(() => {
      let clip: tf.Scalar | null = null;
      if (maxGradNorm > 0) {
        const total = norm ?? this.gradientNorm();
        clip = tf.minimum(1, tf.div(maxGradNorm, tf.add(total, 1e-6))) as tf.Scalar;
      }
      const native = nativeOpsAvailable();
      for (const group of this.groups) {
        const { spec } = group;
        const lr = spec.lr * lrMultiplier;
        spec.variables.forEach((variable, i) => {
          const grad = group.grad[i];
          if (!grad) return;
          if (native) {
            const step = { beta1, beta2, epsilonHat: epsilon * Math.sqrt(c2), decay: spec.weightDecay > 0 ? 1 - lr * spec.weightDecay : 1, stepSize: (lr * Math.sqrt(c2)) / c1 };
            const [p, m, v] = nativeAdamW(variable, grad, group.m[i], group.v[i], clip, step);
            variable.assign(p);
            group.m[i].dispose();
            group.v[i].dispose();
            group.m[i] = tf.keep(m);
            group.v[i] = tf.keep(v);
            return;
          }
          const g = clip ? tf.mul(grad, clip) : grad;
          const m = tf.add(tf.mul(group.m[i], beta1), tf.mul(g, 1 - beta1));
          const v = tf.add(tf.mul(group.v[i], beta2), tf.mul(tf.square(g), 1 - beta2));
          const denom = tf.add(tf.sqrt(v), epsilon * Math.sqrt(c2));
          const decayed = spec.weightDecay > 0 ? tf.mul(variable, 1 - lr * spec.weightDecay) : variable;
          variable.assign(tf.sub(decayed, tf.mul(tf.div(m, denom), (lr * Math.sqrt(c2)) / c1)));
          group.m[i].dispose();
          group.v[i].dispose();
          group.m[i] = tf.keep(m);
          group.v[i] = tf.keep(v);
        });
      }
    });
    this.discardGradients();
  }

  /** Moments by `adam/<group>/m|v`, plus the update count (bias corrections depend on it). */
  exportState(): { tensors: Record<string, SavedTensor>; updates: number } {
    const tensors: Record<string, SavedTensor> = {};
    for (const group of this.groups) {
      for (const moment of ['m', 'v'] as const) {
        const data = new Float32Array(group.total);
        let offset = 0;
        for (const tensor of group[moment]) {
          data.set(tensor.dataSync() as Float32Array, offset);
          offset += tensor.size;
        }
        tensors[`adam/${group.spec.name}/${moment}`] = { shape: [group.total], data };
      }
    }
    return { tensors, updates: this.updates };
  }

  /** Restores exportState()'s output; sizes must match the current groups exactly. */
  importState(tensors: Record<string, SavedTensor>, updates: number): void {
    for (const group of this.groups) {
      for (const moment of ['m', 'v'] as const) {
        const key = `adam/${group.spec.name}/${moment}`;
        const saved = tensors[key];
        if (!saved) throw new Error(`the saved optimiser state has no '${key}'; was it saved by another method or version?`);
        if (saved.data.length !== group.total) {
          throw new Error(`the saved optimiser state '${key}' has ${saved.data.length} entries, the run has ${group.total}; the checkpoint belongs to a different configuration`);
        }
        let offset = 0;
        group[moment] = group[moment].map((old, i) => {
          const restored = tf.tensor(saved.data.subarray(offset, offset + group.sizes[i]), old.shape, 'float32');
          offset += group.sizes[i];
          old.dispose();
          return restored;
        });
      }
    }
    this.updates = updates;
  }

  dispose(): void {
    this.discardGradients();
    for (const group of this.groups) tf.dispose([...group.m, ...group.v]);
  }
}
