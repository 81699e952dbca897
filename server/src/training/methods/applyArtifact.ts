// Rebuilding a trained model from the base checkpoint and a task's artifact: the inverse of each
// method's artifact(). It installs the same transforms the methods use (W ⊙ M, W + ΔW, trained
// copies, pruning masks, removed heads) with the stored values, so evaluation computes exactly
// what the run evaluated.

import * as tf from '@tensorflow/tfjs-core';
import type { LayerNorm } from '../model/layerNorm';
import { EMBEDDING_NAMES } from '../model/parameterNames';
import { installPruneMask, updatedWeight } from './dseeDelta';
import { maskFromTorchBits, transposeFlat } from './layout';
import { createSparseSupport, disposeSparseSupport, type SparseSupport } from './straightThrough';
import { allLayerNorms } from './targets';
import type { TaskArtifactParts } from './taskArtifact';
import { allLinears, type TaskModel } from './taskModel';

export interface AppliedArtifact {
  /** As TrainingMethod.firstChangedBlock: −1 embeddings, numLayers pooler/head only. */
  firstChangedBlock: number;
  dispose(): void;
}

export function applyArtifact(model: TaskModel, parts: TaskArtifactParts): AppliedArtifact {
  if (parts.numLabels !== model.numLabels) throw new Error(`the artifact's head has ${parts.numLabels} labels, the task ${model.numLabels}`);
  const numLayers = model.encoder.blocks.length;
  const owned: tf.Tensor[] = [];
  const supports: SparseSupport[] = [];
  const undo: Array<() => void> = [];
  let first = numLayers;
  const touch = (block: number | undefined) => {
    if (block !== undefined) first = Math.min(first, block);
  };
  const keep = <T extends tf.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  const linearOf = (name: string, suffix: '.weight' | '.bias') => {
    const stem = name.slice(0, -suffix.length);
    return name.endsWith(suffix) ? allLinears(model).find((l) => l.name === stem) : undefined;
  };
  try {
    for (const { block, heads } of parts.prunedHeads) {
      const attention = model.encoder.blocks[block]?.attention;
      if (!attention) throw new Error(`the artifact prunes heads of block ${block}, but the model has ${numLayers} blocks`);
      attention.pruneHeads(Array.from({ length: attention.numHeads }, (_, h) => h).filter((h) => !heads.includes(h)));
      touch(block);
    }

    const norms = new Map<LayerNorm, { gamma?: tf.Tensor1D; beta?: tf.Tensor1D }>();
    const tables: Record<string, tf.Tensor2D> = {};
    for (const tensor of parts.tensors) {
      const weightOf = linearOf(tensor.name, '.weight');
      const biasOf = linearOf(tensor.name, '.bias');
      const norm = allLayerNorms(model).find((n) => tensor.name === `${n.name}.weight` || tensor.name === `${n.name}.bias`);
      if (weightOf) {
        const [outputs, inputs] = tensor.shape;
        const value = keep(tf.tensor2d(transposeFlat(tensor.values, outputs, inputs), [inputs, outputs], 'float32'));
        weightOf.setWeightTransform(() => value);
        undo.push(() => weightOf.setWeightTransform(null));
        touch(weightOf.layerIndex);
      } else if (biasOf) {
        const value = keep(tf.tensor1d(tensor.values, 'float32'));
        biasOf.setBiasTransform(() => value);
        undo.push(() => biasOf.setBiasTransform(null));
        touch(biasOf.layerIndex);
      } else if (norm) {
        const entry = norms.get(norm) ?? {};
        entry[tensor.name.endsWith('.weight') ? 'gamma' : 'beta'] = keep(tf.tensor1d(tensor.values, 'float32'));
        norms.set(norm, entry);
      } else if (([EMBEDDING_NAMES.word, EMBEDDING_NAMES.position, EMBEDDING_NAMES.tokenType] as string[]).includes(tensor.name)) {
        tables[tensor.name] = keep(tf.tensor2d(tensor.values, tensor.shape as [number, number], 'float32'));
        first = -1;
      } else {
        throw new Error(`the artifact stores '${tensor.name}', which this model does not have`);
      }
    }
    for (const [norm, { gamma, beta }] of norms) {
      norm.setOverride({ gamma: gamma ?? norm.gamma, beta: beta ?? norm.beta });
      undo.push(() => norm.setOverride(null));
      const block = model.encoder.blocks.find((b) => b.attention.weights.layerNorm === norm || b.feedForward.layerNorm === norm);
      if (block) touch(block.index);
      else first = -1;
    }
    if (Object.keys(tables).length > 0) {
      const frozen = model.encoder.embeddings.tables;
      model.encoder.embeddings.setOverride({
        word: tables[EMBEDDING_NAMES.word] ?? frozen.word,
        position: tables[EMBEDDING_NAMES.position] ?? frozen.position,
        tokenType: tables[EMBEDDING_NAMES.tokenType] ?? frozen.tokenType,
      });
      undo.push(() => model.encoder.embeddings.setOverride(null));
    }

    for (const delta of parts.deltas) {
      const linear = linearOf(delta.name, '.weight');
      if (!linear) throw new Error(`the artifact updates '${delta.name}', which this model does not have`);
      const [outputs, inputs] = delta.shape;
      if (linear.inFeatures !== inputs || linear.outFeatures !== outputs) {
        throw new Error(`the artifact's update of '${delta.name}' is [${outputs}, ${inputs}], the layer [${linear.outFeatures}, ${linear.inFeatures}]`);
      }
      const down = keep(tf.tensor2d(transposeFlat(delta.a, delta.rank, inputs), [inputs, delta.rank], 'float32'));
      const up = keep(tf.tensor2d(transposeFlat(delta.b, outputs, delta.rank), [delta.rank, outputs], 'float32'));
      // Ω back in the trainer's [in, out] order, ascending, with its values alongside.
      const local = Array.from(delta.indices, (flat) => (flat % inputs) * outputs + Math.floor(flat / inputs));
      const order = local.map((_, i) => i).sort((x, y) => local[x] - local[y]);
      let values: tf.Tensor1D | null = null;
      let support: SparseSupport | null = null;
      if (order.length > 0) {
        values = keep(tf.tensor1d(Float32Array.from(order.map((i) => delta.values[i])), 'float32'));
        support = createSparseSupport(Int32Array.from(order.map((i) => local[i])), [inputs, outputs]);
        supports.push(support);
      }
      const tensors = { down, up, values, support };
      linear.setWeightTransform((frozen) => updatedWeight(frozen, tensors, delta.scale));
      undo.push(() => linear.setWeightTransform(null));
      touch(linear.layerIndex);
    }

    for (const mask of parts.masks) {
      const linear = linearOf(mask.name, '.weight');
      if (!linear) throw new Error(`the artifact masks '${mask.name}', which this model does not have`);
      const [outputs, inputs] = mask.shape;
      if (linear.inFeatures !== inputs || linear.outFeatures !== outputs) {
        throw new Error(`the artifact's mask of '${mask.name}' is [${outputs}, ${inputs}], the layer [${linear.outFeatures}, ${linear.inFeatures}]`);
      }
      const tensor = keep(tf.tensor2d(maskFromTorchBits(mask.bits, outputs, inputs), [inputs, outputs], 'float32'));
      if (mask.role === 'prune') {
        undo.push(installPruneMask(linear, tensor));
      } else {
        // The same product the straight-through layer computes forward: frozen ⊙ mask.
        linear.setWeightTransform((frozen) => tf.mul(frozen, tensor));
        undo.push(() => linear.setWeightTransform(null));
      }
      touch(linear.layerIndex);
    }
  } catch (error) {
    for (const u of undo.reverse()) u();
    for (const t of owned) t.dispose();
    supports.forEach(disposeSparseSupport);
    throw error;
  }
  return {
    firstChangedBlock: first,
    dispose() {
      for (const u of undo.reverse()) u();
      for (const t of owned) t.dispose();
      supports.forEach(disposeSparseSupport);
    },
  };
}
