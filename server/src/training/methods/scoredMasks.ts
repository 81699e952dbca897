// Real-valued scores over frozen matrices and the binary masks taken from them: the machinery
// `mask` and `sparse_finetune` (mode topk) share. Each target layer computes W ⊙ M, with the
// straight-through gradient into its scores. The masks are set from outside once per step (and
// once per evaluation), so a step computes each mask once, not once per use.

import * as tf from '@tensorflow/tfjs-core';
import type { MaskMatrixSnapshot } from '../../../../schemas/src/trainerMessages';
import type { Linear } from '../model/linear';
import { maskBitsTorchOrder } from './layout';
import { maskSnapshot } from './maskSnapshot';
import { maskedWeight } from './straightThrough';
import type { ArtifactMask } from './taskArtifact';
import { matrixLabel, weightName, type MatrixLabel } from './taskModel';
import { stateTensor, type MethodState } from './trainingMethod';
import { assignValues, readFloats, trainableVariable } from './variables';

export interface ScoredTarget {
  linear: Linear;
  /** Checkpoint name of the weight. */
  name: string;
  block: number | null;
  matrix: MatrixLabel;
  /** [in, out], like the weight. */
  scores: tf.Variable;
  /** The mask the layer multiplies by now (0/1, [in, out]); null until the first setMasks. */
  mask: tf.Tensor2D | null;
}

export class ScoredMasks {
  readonly targets: ScoredTarget[];

  constructor(linears: readonly Linear[], initialScores: (linear: Linear, index: number) => Float32Array) {
    this.targets = linears.map((linear, index) => {
      const values = initialScores(linear, index);
      return {
        linear,
        name: weightName(linear),
        block: linear.layerIndex ?? null,
        matrix: matrixLabel(linear.role),
        scores: trainableVariable(tf.tensor2d(values, [linear.inFeatures, linear.outFeatures], 'float32'), `scores/${linear.name}`),
        mask: null,
      };
    });
    for (const target of this.targets) {
      target.linear.setWeightTransform((frozen) => {
        if (!target.mask) throw new Error(`${target.name}: no mask was set before the forward pass`);
        return maskedWeight(target.scores as tf.Tensor as tf.Tensor2D, frozen, target.mask);
      });
    }
  }

  /** Entries under masks. */
  get size(): number {
    return this.targets.reduce((sum, t) => sum + t.scores.size, 0);
  }

  variables(): tf.Variable[] {
    return this.targets.map((t) => t.scores);
  }

  /** Replaces every target's mask (takes ownership of `masks`, disposes the old ones). */
  setMasks(masks: tf.Tensor2D[]): void {
    this.targets.forEach((target, i) => {
      target.mask?.dispose();
      target.mask = masks[i];
    });
  }

  /** Masks from scores on the device: `keep(scores)` must return a 0/1 float tensor. */
  setMasksFrom(keep: (scores: tf.Tensor2D, target: ScoredTarget, index: number) => tf.Tensor2D): void {
    this.setMasks(this.targets.map((target, i) => tf.tidy(() => keep(target.scores as tf.Tensor as tf.Tensor2D, target, i))));
  }

  /** Kept entries per target (one sync for all). */
  keptCounts(): number[] {
    const sums = tf.tidy(() => tf.stack(this.targets.map((t) => (t.mask ? tf.sum(t.mask) : tf.scalar(t.scores.size)))));
    const values = Array.from(sums.dataSync());
    sums.dispose();
    return values;
  }

  /** Fraction of masked (dropped) entries over all targets. */
  sparsity(): number {
    const kept = this.keptCounts().reduce((a, b) => a + b, 0);
    return 1 - kept / this.size;
  }

  scoresData(): Float32Array[] {
    return this.targets.map((t) => readFloats(t.scores));
  }

  maskData(): Float32Array[] {
    return this.targets.map((t) => (t.mask ? readFloats(t.mask) : new Float32Array(t.scores.size).fill(1)));
  }

  snapshots(withScores: boolean): MaskMatrixSnapshot[] {
    const masks = this.maskData();
    const scores = withScores ? this.scoresData() : [];
    return this.targets.map((target, i) =>
      maskSnapshot({
        name: target.name,
        block: target.block,
        matrix: target.matrix,
        mask: masks[i],
        inFeatures: target.linear.inFeatures,
        outFeatures: target.linear.outFeatures,
        scores: withScores ? scores[i] : undefined,
      }),
    );
  }

  artifactMasks(): ArtifactMask[] {
    const masks = this.maskData();
    return this.targets.map((target, i) => ({
      name: target.name,
      shape: [target.linear.outFeatures, target.linear.inFeatures],
      bits: maskBitsTorchOrder(masks[i], target.linear.inFeatures, target.linear.outFeatures),
      role: 'mask',
    }));
  }

  exportTensors(into: MethodState['tensors']): void {
    for (const target of this.targets) into[`scores/${target.name}`] = { shape: [...target.scores.shape], data: readFloats(target.scores) };
  }

  importTensors(state: MethodState): void {
    for (const target of this.targets) {
      const data = stateTensor(state, `scores/${target.name}`, target.scores.size);
      assignValues(target.scores, data);
    }
  }

  dispose(): void {
    for (const target of this.targets) {
      target.linear.setWeightTransform(null);
      target.mask?.dispose();
      target.scores.dispose();
    }
  }
}
