// The realised sparsity of a kept model, per matrix: the fraction of entries its masks drop, and
// for attention matrices of blocks that lost heads, the fraction of the heads removed.

import type { TaskArtifactParts } from '../methods/taskArtifact';
import type { TaskModel } from '../methods/taskModel';
import { blockLinearStem } from '../model/parameterNames';

export function artifactSparsity(artifact: TaskArtifactParts, model: TaskModel): Record<string, number> {
  const sparsity: Record<string, number> = {};
  for (const mask of artifact.masks) {
    let kept = 0;
    for (const bit of mask.bits) kept += bit;
    sparsity[mask.name] = 1 - kept / Math.max(1, mask.bits.length);
  }
  const heads = model.encoder.config.numHeads;
  for (const { block, heads: removed } of artifact.prunedHeads) {
    for (const role of ['query', 'key', 'value', 'attentionOutput'] as const) {
      sparsity[`${blockLinearStem(block, role)}.weight`] = removed.length / heads;
    }
  }
  return sparsity;
}
