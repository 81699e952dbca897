// What must be stored per task to rebuild the trained model from the base checkpoint: the parts a
// method changed, nothing else. The run store encodes these parts (bit-packing, entropy coding)
// and decodes them back; `evaluateArtifact` rebuilds the model from them and reproduces the run's
// evaluation exactly. Every matrix is in the checkpoint's PyTorch layout, [out, in], row-major.

import type { MethodKind } from '../../../../schemas/src/experimentConfig';

export const TASK_ARTIFACT_VERSION = 1;

/** A binary mask over one stored matrix. */
export interface ArtifactMask {
  /** Checkpoint parameter name, prefix stripped: `encoder.layer.0.attention.self.query.weight`, `classifier.weight`. */
  name: string;
  /** [out, in]. */
  shape: [number, number];
  /** One byte per entry, 0 (dropped) or 1 (kept), row-major over [out, in]. */
  bits: Uint8Array;
  /**
   * `mask`: the weight becomes W ⊙ M (mask, sparse_finetune topk).
   * `prune`: the final weight, after any update, is multiplied by M (DSEE stage 2).
   */
  role: 'mask' | 'prune';
}

/** Values that replace a stored tensor (fine-tuned weights, a trained head), in the checkpoint's layout. */
export interface ArtifactTensor {
  /** Checkpoint parameter name, prefix stripped; for a created head the name the head gets (`classifier.weight`). */
  name: string;
  shape: number[];
  values: Float32Array;
}

/** DSEE's update of one matrix: ΔW = scale · (B A + S), S nonzero only on Ω. */
export interface ArtifactDelta {
  /** The updated weight, e.g. `encoder.layer.3.attention.self.query.weight`. */
  name: string;
  /** [out, in] of the weight as it is when the update applies (after any head pruning). */
  shape: [number, number];
  rank: number;
  /** α / r. */
  scale: number;
  /** A: [rank, in], row-major. */
  a: Float32Array;
  /** B: [out, rank], row-major. */
  b: Float32Array;
  /** Ω: flat row-major indices into [out, in], ascending. */
  indices: Uint32Array;
  /** S on Ω, in the order of `indices`. */
  values: Float32Array;
}

export type ArtifactHead =
  /** A fresh head from createClassifierHead(config, numLabels, seed); `tensors` or `masks` may then change it. */
  | { kind: 'seed'; seed: number }
  /** The base checkpoint's own classification head. */
  | { kind: 'checkpoint' };

export interface TaskArtifactParts {
  version: typeof TASK_ARTIFACT_VERSION;
  method: MethodKind;
  numLabels: number;
  head: ArtifactHead;
  masks: ArtifactMask[];
  tensors: ArtifactTensor[];
  deltas: ArtifactDelta[];
  /** Attention heads removed per block (DSEE heads pruning), as indices of the original heads. Applied first. */
  prunedHeads: Array<{ block: number; heads: number[] }>;
}

export function emptyArtifact(method: MethodKind, numLabels: number, head: ArtifactHead): TaskArtifactParts {
  return { version: TASK_ARTIFACT_VERSION, method, numLabels, head, masks: [], tensors: [], deltas: [], prunedHeads: [] };
}
