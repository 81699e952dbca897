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

import * as tf from '@tensorflow/tfjs-core';

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
  m: tf.Tensor1D;
  v: tf.Tensor1D;
  /** Summed gradients since the last update, flat; null before the first accumulate. */
  grad: tf.Tensor1D | null;
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
        const total = sizes.reduce((a, b) => a + b, 0);
        return { spec, sizes, total, m: tf.zeros([total]) as tf.Tensor1D, v: tf.zeros([total]) as tf.Tensor1D, grad: null };
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
   * sums. A variable the loss did not reach contributes zeros. Does not dispose `grads`.
   */
  accumulate(grads: tf.NamedTensorMap, scale = 1): void {
    for (const group of this.groups) {
      const flat = tf.tidy(() => {
        const parts = group.spec.variables.map((variable, i) => {
          const grad = grads[variable.name];
          return grad ? tf.reshape(grad, [-1]) : tf.zeros([group.sizes[i]]);
        });
        const joined = (parts.length === 1 ? parts[0] : tf.concat(parts)) as tf.Tensor1D;
        const scaled = scale === 1 ? joined : tf.mul(joined, scale);
        return group.grad ? tf.add(group.grad, scaled) : scaled;
      }) as tf.Tensor1D;
      group.grad?.dispose();
      group.grad = flat;
    }
  }

  /**
   * Adds a constant to every gradient entry of a group (the gradient of a penalty that is the
   * same for each entry, such as the mask sparsity penalty's 2λ(s* − s)/n).
   */
  addToGradient(groupName: string, offset: number): void {
    const group = this.groups.find((g) => g.spec.name === groupName);
    if (!group || offset === 0) return;
    const grad = group.grad;
    group.grad = tf.tidy(() => (grad ? tf.add(grad, offset) : tf.fill([group.total], offset))) as tf.Tensor1D;
    grad?.dispose();
  }

  /** L2 norm over every accumulated gradient (before clipping); the caller disposes it. */
  gradientNorm(): tf.Scalar {
    return tf.tidy(() => {
      const squares = this.groups.filter((g) => g.grad).map((g) => tf.sum(tf.square(g.grad as tf.Tensor1D)));
      return tf.sqrt(squares.length === 0 ? tf.scalar(0) : tf.addN(squares)) as tf.Scalar;
    });
  }

  /** Drops accumulated gradients without updating (a step that failed its finiteness check). */
  discardGradients(): void {
    for (const group of this.groups) {
      group.grad?.dispose();
      group.grad = null;
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
      for (const group of this.groups) {
        const { spec } = group;
        if (!group.grad) continue;
        const lr = spec.lr * lrMultiplier;
        const g = clip ? tf.mul(group.grad, clip) : group.grad;
        const m = tf.add(tf.mul(group.m, beta1), tf.mul(g, 1 - beta1)) as tf.Tensor1D;
        const v = tf.add(tf.mul(group.v, beta2), tf.mul(tf.square(g), 1 - beta2)) as tf.Tensor1D;
        const denom = tf.add(tf.sqrt(v), epsilon * Math.sqrt(c2));
        const params = spec.variables.length === 1 ? tf.reshape(spec.variables[0], [-1]) : tf.concat(spec.variables.map((p) => tf.reshape(p, [-1])));
        const decayed = spec.weightDecay > 0 ? tf.mul(params, 1 - lr * spec.weightDecay) : params;
        const updated = tf.sub(decayed, tf.mul(tf.div(m, denom), (lr * Math.sqrt(c2)) / c1));
        const pieces = spec.variables.length === 1 ? [updated] : tf.split(updated, group.sizes);
        spec.variables.forEach((variable, i) => variable.assign(tf.reshape(pieces[i], variable.shape)));
        group.m.dispose();
        group.v.dispose();
        group.m = tf.keep(m);
        group.v = tf.keep(v);
      }
    });
    this.discardGradients();
  }

  /** Moments by `adam/<group>/m|v`, plus the update count (bias corrections depend on it). */
  exportState(): { tensors: Record<string, SavedTensor>; updates: number } {
    const tensors: Record<string, SavedTensor> = {};
    for (const group of this.groups) {
      tensors[`adam/${group.spec.name}/m`] = { shape: [group.total], data: new Float32Array(group.m.dataSync()) };
      tensors[`adam/${group.spec.name}/v`] = { shape: [group.total], data: new Float32Array(group.v.dataSync()) };
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
        group[moment].dispose();
        group[moment] = tf.tensor1d(saved.data, 'float32');
      }
    }
    this.updates = updates;
  }

  dispose(): void {
    this.discardGradients();
    for (const group of this.groups) {
      group.m.dispose();
      group.v.dispose();
    }
  }
}
