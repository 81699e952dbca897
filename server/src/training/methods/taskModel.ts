// The model a run trains: the pretrained encoder plus a classification head, and the names the
// methods use to speak about its matrices. Names are the checkpoint's canonical parameter names
// (`encoder.layer.0.attention.self.query.weight`), so selectors, snapshots and artifacts agree.

import type { Encoder } from '../model/encoder';
import type { ClassifierHead } from '../model/classifierHead';
import type { Linear, LinearRole } from '../model/linear';

/** Where the head's starting weights come from; the artifact records it so evaluation can rebuild them. */
export type HeadOrigin = { kind: 'seed'; seed: number } | { kind: 'checkpoint' };

export interface TaskModel {
  encoder: Encoder;
  head: ClassifierHead;
  headOrigin: HeadOrigin;
  numLabels: number;
}

/** The matrix names of the language (`matrices`, `also`) and snapshots. */
export type MatrixLabel = 'query' | 'key' | 'value' | 'attention_output' | 'intermediate' | 'output' | 'pooler' | 'head';

const ROLE_LABELS: Record<LinearRole, MatrixLabel> = {
  query: 'query',
  key: 'key',
  value: 'value',
  attentionOutput: 'attention_output',
  intermediate: 'intermediate',
  output: 'output',
  pooler: 'pooler',
  classifier: 'head',
  classifierDense: 'head',
};

export function matrixLabel(role: LinearRole): MatrixLabel {
  return ROLE_LABELS[role];
}

/** Checkpoint name of a linear layer's weight. */
export function weightName(linear: Linear): string {
  return `${linear.name}.weight`;
}

export function biasName(linear: Linear): string {
  return `${linear.name}.bias`;
}

/** Every linear layer in model order: blocks (Q, K, V, AO, I, O), pooler, head. */
export function allLinears(model: TaskModel): Linear[] {
  return [...model.encoder.linears(), ...model.head.linears()];
}

/** The live linear layer named `stem` (layers are replaced when heads are pruned, so look them up late). */
export function findLinear(model: TaskModel, stem: string): Linear {
  const found = allLinears(model).find((linear) => linear.name === stem);
  if (!found) throw new Error(`the model has no linear layer '${stem}'`);
  return found;
}

/** Parameters of the model as trained (encoder, pooler and head). */
export function countModelParameters(model: TaskModel): number {
  const { encoder } = model;
  const tables = encoder.embeddings.tables;
  let total = tables.word.size + tables.position.size + tables.tokenType.size + tables.layerNorm.gamma.size + tables.layerNorm.beta.size;
  for (const block of encoder.blocks) {
    total += block.attention.weights.layerNorm.gamma.size * 2 + block.feedForward.layerNorm.gamma.size * 2;
  }
  for (const linear of allLinears(model)) total += linear.weight.size + (linear.bias?.size ?? 0);
  return total;
}
