// `method mask` (Zhao et al., EMNLP 2020): learn a binary mask over frozen pretrained weights.
//
// - Scores S per selected matrix; M = 1[S > τ] (variant threshold), M = 1[S > 0] i.e.
//   (sign(S) + 1)/2 with S clipped to [−1, 1] after every update (variant sign), or
//   M ~ Bernoulli(σ(S)) drawn afresh at every step (variant stochastic). All pass the gradient
//   straight through: ∂L/∂S = ∂L/∂(W ⊙ M) ⊙ W.
// - Initialisation sets the initial sparsity p₀ exactly: S ~ U(−a, c) with c = (a + τ)/p₀ − a, so
//   P(S ≤ τ) = p₀ (τ = 0 for sign). For stochastic, S = logit(1 − p₀) everywhere, so each entry is
//   dropped with probability p₀.
// - The classifier head is created from the seed and, with `also head`, masked like any matrix.
// - Evaluation and the stored mask are deterministic: threshold and sign use their rule; stochastic
//   uses one fixed draw (the same uniform noise at every evaluation, from the seed), so the
//   evaluated model is exactly the stored one.
// - Optional sparsity control: a cubic schedule from p₀ to `target_sparsity` (reached at
//   `sparsity_schedule_end`) and the penalty λ(s* − s)², s the masked fraction over all targets
//   (straight-through: ∂s/∂S = −1/n per entry), λ raised by gradient ascent, λ += penalty_lr·(s* − s)².

import * as tf from '@tensorflow/tfjs-core';
import { nativeOpsAvailable, nativeThreshold } from '../backend/nativeOps';
import type { MaskConfig } from '../../../../schemas/src/experimentConfig';
import type { MaskMatrixSnapshot } from '../../../../schemas/src/trainerMessages';
import type { AdamW, ParamGroupSpec } from '../optim/adamW';
import { scheduledSparsity } from '../optim/lrSchedule';
import { pointToSteps } from '../optim/runPoints';
import { ScoredMasks } from './scoredMasks';
import { derivedRandom, uniformArray } from './seeds';
import { emptyArtifact, type TaskArtifactParts } from './taskArtifact';
import { firstBlockOf, selectTargets } from './targets';
import type { MethodContext, MethodState, TrainingMethod } from './trainingMethod';

const SCORES_GROUP = 'scores';

export class MaskMethod implements TrainingMethod {
  readonly kind = 'mask' as const;
  private readonly scored: ScoredMasks;
  private readonly targetEnd: number;
  private lambda = 0;
  /** s* − s at the last step (for the ascent on λ), and the values behind it for the metrics. */
  private lastGap = 0;
  private lastTarget: number | null = null;

  constructor(
    private readonly context: MethodContext,
    private readonly method: MaskConfig,
  ) {
    const selection = selectTargets(context.model, method, { pooler: method.also.includes('pooler'), head: method.also.includes('head') });
    selection.warnings.forEach((w) => context.warn(w));
    if (selection.biases.length + selection.layerNorms.length + selection.embeddingTables.length > 0) {
      context.warn('method.select names biases, LayerNorms or embeddings; mask only masks weight matrices, so those are left pretrained');
    }
    if (selection.linears.length === 0) throw new Error('method mask selects no weight matrix: check method.blocks, method.matrices, method.also and method.select');
    const p0 = method.initial_sparsity;
    this.scored = new ScoredMasks(selection.linears, (linear, index) => {
      const n = linear.inFeatures * linear.outFeatures;
      const random = derivedRandom(context.seed, 'mask-scores', linear.name, index);
      if (method.variant === 'stochastic') return new Float32Array(n).fill(Math.log((1 - p0) / p0));
      const tau = method.variant === 'sign' ? 0 : method.threshold;
      const a = method.init_low;
      const c = (a + tau) / p0 - a;
      const scores = uniformArray(random, n, -a, c);
      if (method.variant === 'sign') for (let i = 0; i < n; i++) scores[i] = Math.max(-1, Math.min(1, scores[i]));
      return scores;
    });
    this.targetEnd = pointToSteps(method.sparsity_schedule_end, { stepsPerEpoch: context.stepsPerEpoch, totalSteps: context.totalSteps });
  }

  paramGroups(): ParamGroupSpec[] {
    // weight_decay defaults to 0 for mask (Zhao et al. decay no scores); a set value is honoured.
    return [{ name: SCORES_GROUP, variables: this.scored.variables(), lr: this.method.lr, weightDecay: this.method.weight_decay }];
  }

  trainableCount(): number {
    return this.scored.size;
  }

  firstChangedBlock(): number {
    return firstBlockOf(
      this.scored.targets.map((t) => t.linear),
      this.context.model.encoder.blocks.length,
    );
  }

  beginStep(step: number): void {
    if (this.method.variant === 'stochastic') {
      this.scored.setMasksFrom((scores, target, i) => {
        const noise = uniformArray(derivedRandom(this.context.seed, 'mask-sample', step, i), scores.size, 0, 1);
        return tf.cast(tf.less(tf.tensor(noise, scores.shape), tf.sigmoid(scores)), 'float32') as tf.Tensor2D;
      });
    } else {
      this.setDeterministicMasks();
    }
  }

  private setDeterministicMasks(): void {
    const tau = this.method.variant === 'threshold' ? this.method.threshold : 0;
    // One native kernel per mask when available (Greater + Cast otherwise): the same 0/1 values.
    const native = nativeOpsAvailable();
    this.scored.setMasksFrom((scores) => (native ? nativeThreshold(scores, tau) : (tf.cast(tf.greater(scores, tau), 'float32') as tf.Tensor2D)));
  }

  /** The sparsity the schedule asks for at `step`, or null without sparsity control. */
  targetSparsity(step: number): number | null {
    const target = this.method.target_sparsity;
    if (target === null) return null;
    return scheduledSparsity(step, 'cubic', target, 0, this.targetEnd, this.method.initial_sparsity);
  }

  addPenaltyGradients(optimizer: AdamW, step: number): void {
    const target = this.targetSparsity(step);
    this.lastTarget = target;
    if (target === null) return;
    const current = this.scored.sparsity();
    this.lastGap = target - current;
    optimizer.addToGradient(SCORES_GROUP, (2 * this.lambda * this.lastGap) / this.scored.size);
  }

  endStep(): void {
    if (this.method.variant === 'sign') {
      for (const target of this.scored.targets) tf.tidy(() => target.scores.assign(tf.clipByValue(target.scores, -1, 1)));
    }
    if (this.method.target_sparsity !== null) this.lambda += this.method.penalty_lr * this.lastGap * this.lastGap;
  }

  trainMetrics(): Record<string, number> {
    const values: Record<string, number> = { sparsity: this.scored.sparsity() };
    if (this.lastTarget !== null) {
      values.target_sparsity = this.lastTarget;
      values.lambda = this.lambda;
    }
    return values;
  }

  beginEvaluation(): void {
    if (this.method.variant !== 'stochastic') {
      this.setDeterministicMasks();
      return;
    }
    // One fixed draw, the same at every evaluation: the evaluated mask changes only with the scores.
    this.scored.setMasksFrom((scores, target, i) => {
      const noise = uniformArray(derivedRandom(this.context.seed, 'mask-evaluation-sample', i), scores.size, 0, 1);
      return tf.cast(tf.less(tf.tensor(noise, scores.shape), tf.sigmoid(scores)), 'float32') as tf.Tensor2D;
    });
  }

  snapshot(): MaskMatrixSnapshot[] {
    return this.scored.snapshots(true);
  }

  artifact(): TaskArtifactParts {
    const { model } = this.context;
    const head = model.headOrigin.kind === 'seed' ? { kind: 'seed' as const, seed: model.headOrigin.seed } : { kind: 'checkpoint' as const };
    const parts = emptyArtifact('mask', model.numLabels, head);
    parts.masks = this.scored.artifactMasks();
    return parts;
  }

  exportState(): MethodState {
    const state: MethodState = { tensors: {}, meta: { lambda: this.lambda } };
    this.scored.exportTensors(state.tensors);
    return state;
  }

  importState(state: MethodState): void {
    this.scored.importTensors(state);
    this.lambda = typeof state.meta.lambda === 'number' ? state.meta.lambda : 0;
  }

  dispose(): void {
    this.scored.dispose();
  }
}
