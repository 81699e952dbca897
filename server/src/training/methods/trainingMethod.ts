// The contract between the training loop and a method (finetune, mask, sparse_finetune, dsee).
// A method owns its trainable tensors and the weight transforms it installs on the model's linear
// layers; the loop owns data, the optimiser, schedules, evaluation and checkpoints.

import type { ExperimentConfig, MethodKind } from '../../../../schemas/src/experimentConfig';
import type { MaskMatrixSnapshot } from '../../../../schemas/src/trainerMessages';
import type { AdamW, ParamGroupSpec, SavedTensor } from '../optim/adamW';
import type { TaskArtifactParts } from './taskArtifact';
import type { TaskModel } from './taskModel';

export interface MethodContext {
  config: ExperimentConfig;
  model: TaskModel;
  /** train.seed. */
  seed: number;
  /** Optimiser steps per epoch and of the first (or only) stage, for schedules given as run points. */
  stepsPerEpoch: number;
  totalSteps: number;
  warn(message: string): void;
}

/** A method's part of a checkpoint: its tensors by stable key, and small JSON-able facts. */
export interface MethodState {
  tensors: Record<string, SavedTensor>;
  meta: Record<string, unknown>;
}

export interface TrainingMethod {
  readonly kind: MethodKind;
  /** What AdamW updates, grouped by learning rate and weight decay. */
  paramGroups(): ParamGroupSpec[];
  /** Entries the optimiser updates (S counts its support Ω only). */
  trainableCount(): number;
  /**
   * The lowest encoder block whose computation the method changes: −1 when the embeddings change,
   * numLayers when only the pooler and head do. Blocks below it are frozen, so their outputs can
   * be computed once per example and cached.
   */
  firstChangedBlock(): number;
  /** Before an optimiser step, outside the gradient tape: the masks this step trains through. */
  beginStep(step: number): void;
  /** Gradients of terms other than the task loss (the mask sparsity penalty), added before clipping. */
  addPenaltyGradients(optimizer: AdamW, step: number): void;
  /** After the update: projections (sign scores to [−1, 1]) and dual ascent on the penalty weight. */
  endStep(step: number): void;
  /** Method-specific train metrics (sparsity, λ, the sparsity target). */
  trainMetrics(): Record<string, number>;
  /**
   * Installs the deterministic view the model is evaluated and stored with (no sampling), after
   * `step` optimiser steps.
   */
  beginEvaluation(step: number): void;
  /** Mask images and score histograms of the current evaluation view (empty for unmasked methods). */
  snapshot(): MaskMatrixSnapshot[];
  /** The per-task parts of the current evaluation view. */
  artifact(): TaskArtifactParts;
  exportState(): MethodState;
  importState(state: MethodState): void;
  /**
   * Moves to stage `stage` (1-based; DSEE's pruning and re-tuning is stage 2). The trainable set
   * may change shape: the loop builds a new optimiser from paramGroups() afterwards. `restored`
   * carries the stage's fixed choices (pruning masks) when resuming, instead of recomputing them.
   */
  enterStage?(stage: number, restored?: MethodState): void;
  dispose(): void;
}

export function stateTensor(state: MethodState, key: string, expectedSize: number): Float32Array {
  const saved = state.tensors[key];
  if (!saved) throw new Error(`the checkpoint has no tensor '${key}'; it was saved by another method or configuration`);
  if (saved.data.length !== expectedSize) {
    throw new Error(`the checkpoint's '${key}' has ${saved.data.length} entries, the run expects ${expectedSize}; it was saved by another configuration`);
  }
  return saved.data;
}
