// Dense training of chosen parameters with AdamW, everything else exactly pretrained:
// - `method finetune`: the selected blocks × matrices (weights and biases), the LayerNorm that
//   follows a trained sub-layer (attention's when any of Q, K, V, AO trains, the FFN's when I or
//   O does), and with `also` the pooler, the head and the embeddings (tables and their
//   LayerNorm). `blocks all` with every matrix and `also pooler, head, embeddings` is full fine-tuning.
// - `method sparse_finetune { mode layers }` (L0-close fine-tuning, Radiya-Dixit & Wang): only the
//   selected matrices' weights and biases, the head (if `train_head`) at `head_lr`.
// `select` adds any parameter it names (a bias, a LayerNorm, an embedding table) to the trained set.

import type { FinetuneConfig, SparseFinetuneConfig } from '../../../../schemas/src/experimentConfig';
import { EMBEDDING_NAMES } from '../model/parameterNames';
import type { ParamGroupSpec } from '../optim/adamW';
import { DenseParameters } from './denseParameters';
import { emptyArtifact, type TaskArtifactParts } from './taskArtifact';
import { allLayerNorms, selectTargets } from './targets';
import { weightName } from './taskModel';
import type { MethodContext, MethodState, TrainingMethod } from './trainingMethod';

export class FinetuneMethod implements TrainingMethod {
  readonly kind: 'finetune' | 'sparse_finetune';
  private readonly body: DenseParameters;
  private readonly head: DenseParameters | null;
  private readonly firstBlock: number;

  constructor(
    private readonly context: MethodContext,
    private readonly method: FinetuneConfig | SparseFinetuneConfig,
  ) {
    this.kind = method.kind;
    const { model } = context;
    const full = method.kind === 'finetune';
    const selection = selectTargets(model, method, { pooler: method.also.includes('pooler'), head: false });
    selection.warnings.forEach((w) => context.warn(w));
    this.body = new DenseParameters('finetune');
    const blocks = model.encoder.blocks;
    let first = blocks.length;
    const touch = (block: number | undefined) => {
      if (block !== undefined) first = Math.min(first, block);
    };
    for (const linear of selection.linears) {
      this.body.addWeight(linear);
      this.body.addBias(linear);
      touch(linear.layerIndex);
    }
    for (const linear of selection.biases) {
      this.body.addBias(linear);
      touch(linear.layerIndex);
    }
    const norms = new Set(selection.layerNorms);
    if (full) {
      for (const block of blocks) {
        const trained = (roles: string[]) => selection.linears.some((l) => l.layerIndex === block.index && roles.includes(l.role));
        if (trained(['query', 'key', 'value', 'attentionOutput'])) norms.add(block.attention.weights.layerNorm);
        if (trained(['intermediate', 'output'])) norms.add(block.feedForward.layerNorm);
      }
    }
    const tables = new Set(selection.embeddingTables);
    if (full && method.also.includes('embeddings')) {
      for (const name of [EMBEDDING_NAMES.word, EMBEDDING_NAMES.position, EMBEDDING_NAMES.tokenType]) tables.add(name);
      norms.add(model.encoder.embeddings.tables.layerNorm);
    }
    for (const norm of allLayerNorms(model)) {
      if (!norms.has(norm)) continue;
      this.body.addLayerNorm(norm);
      const block = blocks.find((b) => b.attention.weights.layerNorm === norm || b.feedForward.layerNorm === norm);
      if (block) touch(block.index);
      else first = -1; // the embeddings' LayerNorm
    }
    if (tables.size > 0) {
      this.body.addEmbeddingTables(model.encoder.embeddings, [...tables]);
      first = -1;
    }
    this.firstBlock = first;
    const trainHead = method.kind === 'finetune' ? method.train_head || method.also.includes('head') : method.train_head;
    // A selector may already have put a head matrix in the body; it is trained there, once.
    const headLinears = model.head.linears().filter((linear) => !this.body.has(weightName(linear)));
    this.head = trainHead && headLinears.length > 0 ? DenseParameters.forLinears(headLinears, 'head') : null;
    if (this.body.size === 0 && !this.head) throw new Error(`method ${method.kind} trains nothing: check method.blocks, method.matrices, method.also and method.select`);
  }

  paramGroups(): ParamGroupSpec[] {
    const headLr = this.method.kind === 'sparse_finetune' ? this.method.head_lr : this.method.lr;
    const groups = this.body.groups('weights', this.method.lr, this.method.weight_decay);
    if (this.head) groups.push(...this.head.groups('head', headLr, this.method.weight_decay));
    return groups;
  }

  trainableCount(): number {
    return this.body.size + (this.head?.size ?? 0);
  }

  firstChangedBlock(): number {
    return this.firstBlock;
  }

  beginStep(): void {}

  addPenaltyGradients(): void {}

  endStep(): void {}

  trainMetrics(): Record<string, number> {
    return {};
  }

  beginEvaluation(): void {}

  snapshot() {
    return [];
  }

  artifact(): TaskArtifactParts {
    const { model } = this.context;
    const head = model.headOrigin.kind === 'seed' ? { kind: 'seed' as const, seed: model.headOrigin.seed } : { kind: 'checkpoint' as const };
    const parts = emptyArtifact(this.kind, model.numLabels, head);
    parts.tensors = [...this.body.artifactTensors(), ...(this.head?.artifactTensors() ?? [])];
    return parts;
  }

  exportState(): MethodState {
    const state: MethodState = { tensors: {}, meta: {} };
    this.body.exportTensors(state.tensors);
    this.head?.exportTensors(state.tensors);
    return state;
  }

  importState(state: MethodState): void {
    this.body.importTensors(state);
    this.head?.importTensors(state);
  }

  dispose(): void {
    this.body.dispose();
    this.head?.dispose();
  }
}
