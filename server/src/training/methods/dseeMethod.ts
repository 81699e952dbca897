// `method dsee` (Chen et al., ACL 2023): dually sparsity-embedded efficient tuning.
//
// Stage 1: on each selected matrix (default Q and V of every block), ΔW = (α/r)(B A + S) with
// A ~ N(0, 0.02²), B = 0, S = 0 on a fixed support Ω of N entries: the N largest |S₀| of a GreBsmo
// decomposition W ≈ U V + S₀ (`support grebsmo`), the N largest |W| (`magnitude`) or N entries
// drawn from the seed (`random`). A, B, S on Ω, and with `also` the head and pooler (densely)
// train with AdamW; everything else is frozen.
//
// Stage 2 (with `prune`), after stage 1 and for `retune` more steps, with the pruning fixed:
// - unstructured: global magnitude pruning at `sparsity`, in two pools ranked separately because
//   their scales differ: matrices with an update (Q, V) by |ΔW| (task-specific), all other block
//   matrices and the pooler (K, AO, I, O, pooler) by |W_pre| (task-independent). The final
//   weight is (W + ΔW) ⊙ M.
// - heads: per block, the `heads` attention heads with the smallest Σ|ΔW_Q| + |ΔW_V| over the
//   head's rows are removed physically (smaller Q, K, V, attention output; fewer heads), and the
//   update's A, B, S are cut to match. The optimiser restarts for the re-tuning stage.

import * as tf from '@tensorflow/tfjs-core';
import type { DseeConfig } from '../../../../schemas/src/experimentConfig';
import type { MaskMatrixSnapshot } from '../../../../schemas/src/trainerMessages';
import type { Linear } from '../model/linear';
import type { ParamGroupSpec } from '../optim/adamW';
import { DenseParameters } from './denseParameters';
import { deltaWeight, installPruneMask, sliceSupport, updatedWeight } from './dseeDelta';
import { chooseSupport } from './dseeSupport';
import { maskBitsTorchOrder, transposeFlat } from './layout';
import { maskSnapshot } from './maskSnapshot';
import { derivedRandom, normalArray } from './seeds';
import { createSparseSupport, disposeSparseSupport, type SparseSupport } from './straightThrough';
import { emptyArtifact, type ArtifactDelta, type TaskArtifactParts } from './taskArtifact';
import { findLinear, matrixLabel, weightName } from './taskModel';
import { firstBlockOf, selectTargets } from './targets';
import { keptCount, topkMasks } from './topk';
import { stateTensor, type MethodContext, type MethodState, type TrainingMethod } from './trainingMethod';
import { assignValues, readFloats, trainableVariable } from './variables';

/** Standard deviation of A's initialisation (methods.md: A ~ N(0, 0.02²)). */
export const DSEE_A_STD = 0.02;

interface DeltaTarget {
  /** Stem of the layer; the live Linear is looked up by it (head pruning replaces layers). */
  stem: string;
  rank: number;
  down: tf.Variable;
  up: tf.Variable;
  values: tf.Variable | null;
  /** Ω as flat row-major indices into [in, out], ascending. */
  indices: Int32Array;
  support: SparseSupport | null;
}

interface PruneMask {
  stem: string;
  /** 0/1 in [in, out]. */
  mask: Float32Array;
  tensor: tf.Tensor2D;
  uninstall: () => void;
}

export class DseeMethod implements TrainingMethod {
  readonly kind = 'dsee' as const;
  private readonly deltas: DeltaTarget[] = [];
  private readonly dense: DenseParameters;
  private readonly scale: number;
  private prunes: PruneMask[] = [];
  private prunedHeads: Array<{ block: number; heads: number[] }> = [];
  private stage = 1;

  constructor(
    private readonly context: MethodContext,
    private readonly method: DseeConfig,
  ) {
    const { model } = context;
    const selection = selectTargets(model, method, { pooler: false, head: false });
    selection.warnings.forEach((w) => context.warn(w));
    if (selection.biases.length + selection.layerNorms.length + selection.embeddingTables.length > 0) {
      context.warn('method.select names biases, LayerNorms or embeddings; DSEE updates weight matrices only, so those are left pretrained');
    }
    if (selection.linears.length === 0) throw new Error('method dsee selects no weight matrix: check method.blocks, method.matrices and method.select');
    this.scale = method.alpha / method.rank;
    selection.linears.forEach((linear, index) => this.deltas.push(this.createDelta(linear, index)));
    const denseLinears: Linear[] = [];
    if (method.also.includes('pooler') && model.encoder.pooler) denseLinears.push(model.encoder.pooler);
    if (method.also.includes('head')) denseLinears.push(...model.head.linears());
    this.dense = DenseParameters.forLinears(denseLinears, 'dsee');
  }

  private createDelta(linear: Linear, index: number): DeltaTarget {
    const { inFeatures, outFeatures } = linear;
    const rank = Math.min(this.method.rank, inFeatures, outFeatures);
    if (rank < this.method.rank) this.context.warn(`${weightName(linear)} is [${outFeatures}, ${inFeatures}]: DSEE rank ${this.method.rank} is cut to ${rank}`);
    const entries = Math.min(this.method.sparse_entries, inFeatures * outFeatures);
    const weights = readFloats(linear.weight);
    const indices = chooseSupport(this.method.support, weights, inFeatures, outFeatures, entries, this.method.rank, derivedRandom(this.context.seed, 'dsee-support', linear.name, index));
    const a = normalArray(derivedRandom(this.context.seed, 'dsee-a', linear.name, index), inFeatures * rank, 0, DSEE_A_STD);
    const delta: DeltaTarget = {
      stem: linear.name,
      rank,
      // A [r, in] drawn row-major, kept as Aᵀ [in, r].
      down: trainableVariable(tf.tensor2d(transposeFlat(a, rank, inFeatures), [inFeatures, rank]), `dsee/${linear.name}/A`),
      up: trainableVariable(tf.zeros([rank, outFeatures]), `dsee/${linear.name}/B`),
      values: indices.length > 0 ? trainableVariable(tf.zeros([indices.length]), `dsee/${linear.name}/S`) : null,
      indices,
      support: indices.length > 0 ? createSparseSupport(indices, [inFeatures, outFeatures]) : null,
    };
    this.install(delta);
    return delta;
  }

  private install(delta: DeltaTarget): void {
    const tensors = () => ({
      down: delta.down as tf.Tensor as tf.Tensor2D,
      up: delta.up as tf.Tensor as tf.Tensor2D,
      values: delta.values as tf.Tensor as tf.Tensor1D | null,
      support: delta.support,
    });
    findLinear(this.context.model, delta.stem).setWeightTransform((frozen) => updatedWeight(frozen, tensors(), this.scale));
  }

  paramGroups(): ParamGroupSpec[] {
    const { lr, weight_decay: decay } = this.method;
    const groups: ParamGroupSpec[] = [
      { name: 'lowrank', variables: this.deltas.flatMap((d) => [d.down, d.up]), lr, weightDecay: decay },
      { name: 'sparse', variables: this.deltas.flatMap((d) => (d.values ? [d.values] : [])), lr, weightDecay: decay },
    ];
    groups.push(...this.dense.groups('dense', lr, decay));
    return groups;
  }

  trainableCount(): number {
    return this.deltas.reduce((sum, d) => sum + d.down.size + d.up.size + (d.values?.size ?? 0), 0) + this.dense.size;
  }

  firstChangedBlock(): number {
    const numLayers = this.context.model.encoder.blocks.length;
    const linears = [...this.deltas.map((d) => findLinear(this.context.model, d.stem)), ...this.prunes.map((p) => findLinear(this.context.model, p.stem))];
    return firstBlockOf(linears, numLayers);
  }

  beginStep(): void {}

  addPenaltyGradients(): void {}

  endStep(): void {}

  trainMetrics(): Record<string, number> {
    if (this.prunes.length === 0) return {};
    let kept = 0;
    let total = 0;
    for (const prune of this.prunes) {
      for (const v of prune.mask) kept += v;
      total += prune.mask.length;
    }
    return { sparsity: 1 - kept / total };
  }

  beginEvaluation(): void {}

  snapshot(): MaskMatrixSnapshot[] {
    return this.prunes.map((prune) => {
      const linear = findLinear(this.context.model, prune.stem);
      return maskSnapshot({
        name: weightName(linear),
        block: linear.layerIndex ?? null,
        matrix: matrixLabel(linear.role),
        mask: prune.mask,
        inFeatures: linear.inFeatures,
        outFeatures: linear.outFeatures,
      });
    });
  }

  enterStage(stage: number, restored?: MethodState): void {
    if (stage !== 2 || this.stage === 2) return;
    const prune = this.method.prune;
    if (!prune) throw new Error('dsee: a second stage needs method.prune');
    this.stage = 2;
    if (prune.kind === 'heads') {
      const chosen = restored ? restoredHeads(restored) : this.chooseHeads(prune.heads);
      for (const { block, heads } of chosen) this.removeHeads(block, heads);
      this.prunedHeads = chosen;
    } else {
      const masks = restored ? this.restoredMasks(restored) : this.chooseUnstructured(prune.sparsity);
      for (const [stem, mask] of masks) {
        const linear = findLinear(this.context.model, stem);
        const tensor = tf.tensor2d(mask, [linear.inFeatures, linear.outFeatures], 'float32');
        this.prunes.push({ stem, mask, tensor, uninstall: installPruneMask(linear, tensor) });
      }
    }
  }

  /** Pools ranked by |ΔW| (updated matrices) and |W_pre| (the rest), each pruned to `sparsity`. */
  private chooseUnstructured(sparsity: number): Map<string, Float32Array> {
    const { model } = this.context;
    const candidates = model.encoder.linears();
    const pools: Array<{ stems: string[]; scores: Float32Array[] }> = [
      { stems: [], scores: [] },
      { stems: [], scores: [] },
    ];
    for (const linear of candidates) {
      const delta = this.deltas.find((d) => d.stem === linear.name);
      if (delta) {
        const change = deltaWeight(this.deltaTensors(delta), this.scale);
        pools[0].stems.push(linear.name);
        pools[0].scores.push(readFloats(change).map(Math.abs));
        change.dispose();
      } else {
        pools[1].stems.push(linear.name);
        pools[1].scores.push(readFloats(linear.weight).map(Math.abs));
      }
    }
    const masks = new Map<string, Float32Array>();
    for (const pool of pools) {
      if (pool.stems.length === 0) continue;
      const size = pool.scores.reduce((sum, s) => sum + s.length, 0);
      topkMasks(pool.scores, keptCount(size, sparsity)).forEach((mask, i) => masks.set(pool.stems[i], mask));
    }
    return masks;
  }

  private restoredMasks(restored: MethodState): Map<string, Float32Array> {
    const masks = new Map<string, Float32Array>();
    for (const key of Object.keys(restored.tensors)) {
      if (key.startsWith('prune/')) masks.set(key.slice('prune/'.length), restored.tensors[key].data);
    }
    return masks;
  }

  /** Per block with an update, the `count` heads with the smallest Σ|ΔW| over their rows. */
  private chooseHeads(count: number): Array<{ block: number; heads: number[] }> {
    const chosen: Array<{ block: number; heads: number[] }> = [];
    for (const block of this.context.model.encoder.blocks) {
      const attention = block.attention;
      const heads = attention.numHeads;
      const size = attention.headSize;
      const scores = new Float64Array(heads);
      let scored = false;
      for (const delta of this.deltas) {
        const linear = findLinear(this.context.model, delta.stem);
        if (linear.layerIndex !== block.index) continue;
        // A head's rows of W_Q and W_V in [out, in] are its output columns here.
        if (linear.role !== 'query' && linear.role !== 'value') continue;
        scored = true;
        const change = deltaWeight(this.deltaTensors(delta), this.scale);
        const values = readFloats(change);
        change.dispose();
        const cols = linear.outFeatures;
        for (let i = 0; i < linear.inFeatures; i++) {
          for (let o = 0; o < cols; o++) scores[Math.floor(o / size)] += Math.abs(values[i * cols + o]);
        }
      }
      if (!scored) continue;
      if (count >= heads) throw new Error(`dsee prune heads: removing ${count} of ${heads} heads would leave block ${block.index} without attention; use fewer`);
      const order = Array.from({ length: heads }, (_, h) => h).sort((a, b) => scores[a] - scores[b] || a - b);
      chosen.push({ block: block.index, heads: order.slice(0, count).sort((a, b) => a - b) });
    }
    if (chosen.length === 0) this.context.warn('dsee prune heads: no block has an update on its query or value matrix, so no head was ranked or removed');
    return chosen;
  }

  private removeHeads(blockIndex: number, removed: readonly number[]): void {
    const attention = this.context.model.encoder.blocks[blockIndex].attention;
    const heads = attention.numHeads;
    const size = attention.headSize;
    const keep = Array.from({ length: heads }, (_, h) => h).filter((h) => !removed.includes(h));
    const columns = keep.flatMap((h) => Array.from({ length: size }, (_, k) => h * size + k));
    attention.pruneHeads(keep);
    for (const delta of this.deltas) {
      const linear = findLinear(this.context.model, delta.stem);
      if (linear.layerIndex !== blockIndex || !['query', 'key', 'value', 'attentionOutput'].includes(linear.role)) continue;
      const axis = linear.role === 'attentionOutput' ? 0 : 1;
      const oldShape: [number, number] = axis === 0 ? [heads * size, linear.outFeatures] : [linear.inFeatures, heads * size];
      const sliced = sliceSupport(delta.indices, oldShape, columns, axis);
      const index = tf.tensor1d(columns, 'int32');
      const down = axis === 0 ? tf.gather(delta.down, index, 0) : tf.clone(delta.down);
      const up = axis === 1 ? tf.gather(delta.up, index, 1) : tf.clone(delta.up);
      const oldValues = delta.values;
      const values = sliced.indices.length > 0 && oldValues ? tf.tidy(() => tf.gather(oldValues, tf.tensor1d(sliced.positions, 'int32'))) : null;
      index.dispose();
      delta.down.dispose();
      delta.up.dispose();
      delta.values?.dispose();
      if (delta.support) disposeSparseSupport(delta.support);
      delta.down = trainableVariable(down, `dsee/${delta.stem}/A`);
      delta.up = trainableVariable(up, `dsee/${delta.stem}/B`);
      delta.values = values ? trainableVariable(values, `dsee/${delta.stem}/S`) : null;
      delta.indices = sliced.indices;
      delta.support = sliced.indices.length > 0 ? createSparseSupport(sliced.indices, sliced.shape) : null;
      this.install(delta);
    }
  }

  private deltaTensors(delta: DeltaTarget) {
    return {
      down: delta.down as tf.Tensor as tf.Tensor2D,
      up: delta.up as tf.Tensor as tf.Tensor2D,
      values: delta.values as tf.Tensor as tf.Tensor1D | null,
      support: delta.support,
    };
  }

  artifact(): TaskArtifactParts {
    const { model } = this.context;
    const head = model.headOrigin.kind === 'seed' ? { kind: 'seed' as const, seed: model.headOrigin.seed } : { kind: 'checkpoint' as const };
    const parts = emptyArtifact('dsee', model.numLabels, head);
    parts.deltas = this.deltas.map((delta): ArtifactDelta => {
      const linear = findLinear(model, delta.stem);
      const { inFeatures: inputs, outFeatures: outputs } = linear;
      const torchIndex = Array.from(delta.indices, (flat) => (flat % outputs) * inputs + Math.floor(flat / outputs));
      const order = torchIndex.map((_, i) => i).sort((x, y) => torchIndex[x] - torchIndex[y]);
      const values = delta.values ? readFloats(delta.values) : new Float32Array(0);
      return {
        name: weightName(linear),
        shape: [outputs, inputs],
        rank: delta.rank,
        scale: this.scale,
        // Aᵀ [in, r] → A [r, in]; Bᵀ [r, out] → B [out, r].
        a: transposeFlat(readFloats(delta.down), inputs, delta.rank),
        b: transposeFlat(readFloats(delta.up), delta.rank, outputs),
        indices: Uint32Array.from(order.map((i) => torchIndex[i])),
        values: Float32Array.from(order.map((i) => values[i])),
      };
    });
    parts.masks = this.prunes.map((prune) => {
      const linear = findLinear(model, prune.stem);
      return {
        name: weightName(linear),
        shape: [linear.outFeatures, linear.inFeatures],
        bits: maskBitsTorchOrder(prune.mask, linear.inFeatures, linear.outFeatures),
        role: 'prune' as const,
      };
    });
    parts.tensors = this.dense.artifactTensors();
    parts.prunedHeads = this.prunedHeads.map((p) => ({ block: p.block, heads: [...p.heads] }));
    return parts;
  }

  exportState(): MethodState {
    const state: MethodState = { tensors: {}, meta: { stage: this.stage, prunedHeads: this.prunedHeads } };
    for (const delta of this.deltas) {
      state.tensors[`dsee/${delta.stem}/A`] = { shape: [...delta.down.shape], data: readFloats(delta.down) };
      state.tensors[`dsee/${delta.stem}/B`] = { shape: [...delta.up.shape], data: readFloats(delta.up) };
      if (delta.values) state.tensors[`dsee/${delta.stem}/S`] = { shape: [...delta.values.shape], data: readFloats(delta.values) };
    }
    for (const prune of this.prunes) state.tensors[`prune/${prune.stem}`] = { shape: [prune.mask.length], data: prune.mask };
    this.dense.exportTensors(state.tensors);
    return state;
  }

  importState(state: MethodState): void {
    for (const delta of this.deltas) {
      assignValues(delta.down, stateTensor(state, `dsee/${delta.stem}/A`, delta.down.size));
      assignValues(delta.up, stateTensor(state, `dsee/${delta.stem}/B`, delta.up.size));
      if (delta.values) assignValues(delta.values, stateTensor(state, `dsee/${delta.stem}/S`, delta.values.size));
    }
    this.dense.importTensors(state);
  }

  dispose(): void {
    for (const prune of this.prunes) {
      prune.uninstall();
      prune.tensor.dispose();
    }
    this.prunes = [];
    for (const delta of this.deltas) {
      findLinear(this.context.model, delta.stem).setWeightTransform(null);
      delta.down.dispose();
      delta.up.dispose();
      delta.values?.dispose();
      if (delta.support) disposeSparseSupport(delta.support);
    }
    this.deltas.length = 0;
    this.dense.dispose();
  }
}

function restoredHeads(restored: MethodState): Array<{ block: number; heads: number[] }> {
  const saved = restored.meta.prunedHeads;
  if (!Array.isArray(saved)) throw new Error('the checkpoint of a DSEE re-tuning stage does not say which heads were pruned');
  return saved.map((entry) => {
    const { block, heads } = entry as { block: unknown; heads: unknown };
    if (typeof block !== 'number' || !Array.isArray(heads)) throw new Error('the checkpoint lists pruned heads in an unknown format');
    return { block, heads: heads.map(Number) };
  });
}
