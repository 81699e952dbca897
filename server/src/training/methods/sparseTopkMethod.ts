// `method sparse_finetune { mode topk }` (Radiya-Dixit & Wang, AISTATS 2020, "sparsification as
// fine-tuning"): learn which pretrained entries of the selected matrices to set to zero, at a
// scheduled target sparsity, through scores and a straight-through gradient.
//
// - Sparsity per step: `sparsity_schedule` (constant, or linear / cubic from 0 at
//   `schedule_start` to `sparsity` at `schedule_end`).
// - Selection: `topk` keeps exactly the highest-scoring (1 − s) of each matrix; `threshold` uses
//   one threshold over all selected matrices, set so that (1 − s) of all their entries are kept
//   (the target holds on average, matrices differ); `stochastic` samples the kept set afresh each
//   step — Gumbel-top-k on S/σ_S, i.e. k entries drawn without replacement with probabilities
//   ∝ exp(S/σ_S) — and evaluates with plain top-k (the mode of that distribution).
// - Scores start at |W| (`magnitude`: the first mask is magnitude pruning) or uniform on
//   [0, 2·mean|W|) from the seed (`uniform`: the same scale, so `lr` means the same for both).
// - The head (`train_head`) is trained densely at `head_lr`; otherwise it keeps its initialisation.
//   Masks are chosen outside the gradient (tfjs has no top-k gradient); the scores learn through
//   the straight-through estimator as in `mask`.

import * as tf from '@tensorflow/tfjs-core';
import type { SparseFinetuneConfig } from '../../../../schemas/src/experimentConfig';
import type { MaskMatrixSnapshot } from '../../../../schemas/src/trainerMessages';
import type { ParamGroupSpec } from '../optim/adamW';
import { scheduledSparsity } from '../optim/lrSchedule';
import { pointToSteps } from '../optim/runPoints';
import { DenseParameters } from './denseParameters';
import { ScoredMasks } from './scoredMasks';
import { derivedRandom } from './seeds';
import { emptyArtifact, type TaskArtifactParts } from './taskArtifact';
import { firstBlockOf, selectTargets } from './targets';
import { keptCount, topkMasks } from './topk';
import type { MethodContext, MethodState, TrainingMethod } from './trainingMethod';
import { readFloats } from './variables';

export class SparseTopkMethod implements TrainingMethod {
  readonly kind = 'sparse_finetune' as const;
  private readonly scored: ScoredMasks;
  private readonly head: DenseParameters | null;
  private readonly start: number;
  private readonly end: number;
  private currentSparsity = 0;

  constructor(
    private readonly context: MethodContext,
    private readonly method: SparseFinetuneConfig,
  ) {
    const selection = selectTargets(context.model, method, { pooler: method.also.includes('pooler'), head: false });
    selection.warnings.forEach((w) => context.warn(w));
    if (selection.biases.length + selection.layerNorms.length + selection.embeddingTables.length > 0) {
      context.warn('method.select names biases, LayerNorms or embeddings; sparse_finetune topk only sparsifies weight matrices, so those are left pretrained');
    }
    if (selection.linears.length === 0) throw new Error('method sparse_finetune selects no weight matrix: check method.blocks, method.matrices and method.select');
    this.scored = new ScoredMasks(selection.linears, (linear, index) => {
      const weights = readFloats(linear.weight);
      const magnitudes = weights.map(Math.abs);
      if (method.score_init === 'magnitude') return magnitudes;
      const mean = magnitudes.reduce((a, b) => a + b, 0) / magnitudes.length;
      const random = derivedRandom(context.seed, 'sparse-scores', linear.name, index);
      return magnitudes.map(() => 2 * mean * random());
    });
    this.head = method.train_head ? DenseParameters.forLinears(context.model.head.linears(), 'head') : null;
    const geometry = { stepsPerEpoch: context.stepsPerEpoch, totalSteps: context.totalSteps };
    this.start = pointToSteps(method.schedule_start, geometry);
    this.end = pointToSteps(method.schedule_end, geometry);
  }

  paramGroups(): ParamGroupSpec[] {
    // weight_decay defaults to 0 in mode topk (scores are not weights); a set value is honoured.
    const groups: ParamGroupSpec[] = [{ name: 'scores', variables: this.scored.variables(), lr: this.method.lr, weightDecay: this.method.weight_decay }];
    if (this.head) groups.push(...this.head.groups('head', this.method.head_lr, this.method.weight_decay));
    return groups;
  }

  trainableCount(): number {
    return this.scored.size + (this.head?.size ?? 0);
  }

  firstChangedBlock(): number {
    return firstBlockOf(
      this.scored.targets.map((t) => t.linear),
      this.context.model.encoder.blocks.length,
    );
  }

  sparsityAt(step: number): number {
    return scheduledSparsity(step, this.method.sparsity_schedule, this.method.sparsity, this.start, this.end);
  }

  beginStep(step: number): void {
    this.currentSparsity = this.sparsityAt(step);
    this.setMasks(this.method.selection, step);
  }

  private setMasks(selection: SparseFinetuneConfig['selection'], step: number): void {
    const scores = this.scored.scoresData();
    const sparsity = this.currentSparsity;
    let masks: Float32Array[];
    if (selection === 'threshold') {
      masks = topkMasks(scores, keptCount(this.scored.size, sparsity));
    } else if (selection === 'stochastic') {
      masks = scores.map((s, i) => topkMasks([gumbelKeys(s, derivedRandom(this.context.seed, 'sparse-sample', step, i))], keptCount(s.length, sparsity))[0]);
    } else {
      masks = scores.map((s) => topkMasks([s], keptCount(s.length, sparsity))[0]);
    }
    this.scored.setMasks(
      masks.map((mask, i) => {
        const { linear } = this.scored.targets[i];
        return tf.tensor2d(mask, [linear.inFeatures, linear.outFeatures], 'float32');
      }),
    );
  }

  addPenaltyGradients(): void {}

  endStep(): void {}

  trainMetrics(): Record<string, number> {
    return { sparsity: this.scored.sparsity(), target_sparsity: this.currentSparsity };
  }

  beginEvaluation(step: number): void {
    // The scheduled sparsity of the next step, and the deterministic choice: sampling gives way
    // to its mode, top-k.
    this.currentSparsity = this.sparsityAt(step);
    this.setMasks(this.method.selection === 'stochastic' ? 'topk' : this.method.selection, -1);
  }

  snapshot(): MaskMatrixSnapshot[] {
    return this.scored.snapshots(true);
  }

  artifact(): TaskArtifactParts {
    const { model } = this.context;
    const head = model.headOrigin.kind === 'seed' ? { kind: 'seed' as const, seed: model.headOrigin.seed } : { kind: 'checkpoint' as const };
    const parts = emptyArtifact('sparse_finetune', model.numLabels, head);
    parts.masks = this.scored.artifactMasks();
    if (this.head) parts.tensors = this.head.artifactTensors();
    return parts;
  }

  exportState(): MethodState {
    const state: MethodState = { tensors: {}, meta: {} };
    this.scored.exportTensors(state.tensors);
    this.head?.exportTensors(state.tensors);
    return state;
  }

  importState(state: MethodState): void {
    this.scored.importTensors(state);
    this.head?.importTensors(state);
  }

  dispose(): void {
    this.scored.dispose();
    this.head?.dispose();
  }
}

/** S/σ_S + Gumbel noise: top-k of these keys samples k entries without replacement ∝ exp(S/σ_S). */
function gumbelKeys(scores: Float32Array, random: () => number): Float32Array {
  let mean = 0;
  for (const s of scores) mean += s;
  mean /= scores.length;
  let variance = 0;
  for (const s of scores) variance += (s - mean) * (s - mean);
  const std = Math.sqrt(variance / scores.length) || 1;
  const keys = new Float32Array(scores.length);
  for (let i = 0; i < scores.length; i++) keys[i] = scores[i] / std - Math.log(-Math.log(1e-12 + random() * (1 - 2e-12)));
  return keys;
}
