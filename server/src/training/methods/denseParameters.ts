// Trainable dense copies of pretrained parameters: what fine-tuning trains (weights, biases,
// LayerNorms, embeddings) and what other methods train beside their own tensors (the head, the
// pooler). The frozen originals stay untouched; the copies are installed through the model's
// transform and override hooks, so removing them restores the pretrained model exactly.

import * as tf from '@tensorflow/tfjs-core';
import type { Embeddings } from '../model/embeddings';
import type { LayerNorm } from '../model/layerNorm';
import type { Linear } from '../model/linear';
import { EMBEDDING_NAMES } from '../model/parameterNames';
import type { ParamGroupSpec } from '../optim/adamW';
import { transposeFlat } from './layout';
import type { ArtifactTensor } from './taskArtifact';
import { biasName, weightName } from './taskModel';
import { stateTensor, type MethodState } from './trainingMethod';
import { assignValues, readFloats, trainableVariable } from './variables';

interface DenseEntry {
  /** Checkpoint name. */
  name: string;
  variable: tf.Variable;
  /** Decayed by AdamW (matrices and tables) or not (biases, LayerNorm). */
  decay: boolean;
  /** [in, out] variables are stored transposed, as [out, in]. */
  transposed: boolean;
  uninstall(): void;
}

export class DenseParameters {
  private readonly entries: DenseEntry[] = [];

  static forLinears(linears: readonly Linear[], label: string): DenseParameters {
    const dense = new DenseParameters(label);
    for (const linear of linears) {
      dense.addWeight(linear);
      dense.addBias(linear);
    }
    return dense;
  }

  constructor(private readonly label: string) {}

  get size(): number {
    return this.entries.reduce((sum, e) => sum + e.variable.size, 0);
  }

  /** Checkpoint names of the trained tensors. */
  names(): string[] {
    return this.entries.map((e) => e.name);
  }

  has(name: string): boolean {
    return this.entries.some((e) => e.name === name);
  }

  addWeight(linear: Linear): void {
    if (this.has(weightName(linear))) return;
    const variable = trainableVariable(tf.clone(linear.weight), `${this.label}/${weightName(linear)}`);
    linear.setWeightTransform(() => variable as tf.Tensor as tf.Tensor2D);
    this.entries.push({ name: weightName(linear), variable, decay: true, transposed: true, uninstall: () => linear.setWeightTransform(null) });
  }

  addBias(linear: Linear): void {
    if (!linear.bias || this.has(biasName(linear))) return;
    const variable = trainableVariable(tf.clone(linear.bias), `${this.label}/${biasName(linear)}`);
    linear.setBiasTransform(() => variable as tf.Tensor as tf.Tensor1D);
    this.entries.push({ name: biasName(linear), variable, decay: false, transposed: false, uninstall: () => linear.setBiasTransform(null) });
  }

  addLayerNorm(norm: LayerNorm): void {
    if (this.has(`${norm.name}.weight`)) return;
    const gamma = trainableVariable(tf.clone(norm.gamma), `${this.label}/${norm.name}.weight`);
    const beta = trainableVariable(tf.clone(norm.beta), `${this.label}/${norm.name}.bias`);
    norm.setOverride({ gamma: gamma as tf.Tensor as tf.Tensor1D, beta: beta as tf.Tensor as tf.Tensor1D });
    const uninstall = () => norm.setOverride(null);
    this.entries.push({ name: `${norm.name}.weight`, variable: gamma, decay: false, transposed: false, uninstall });
    this.entries.push({ name: `${norm.name}.bias`, variable: beta, decay: false, transposed: false, uninstall });
  }

  /** Trains the named tables (word, position, token type); the others stay frozen. */
  addEmbeddingTables(embeddings: Embeddings, names: readonly string[]): void {
    const tables = embeddings.tables;
    const pick = (name: string, frozen: tf.Tensor2D): tf.Tensor2D => {
      if (!names.includes(name)) return frozen;
      const variable = trainableVariable(tf.clone(frozen), `${this.label}/${name}`);
      this.entries.push({ name, variable, decay: true, transposed: false, uninstall: () => embeddings.setOverride(null) });
      return variable as tf.Tensor as tf.Tensor2D;
    };
    embeddings.setOverride({
      word: pick(EMBEDDING_NAMES.word, tables.word),
      position: pick(EMBEDDING_NAMES.position, tables.position),
      tokenType: pick(EMBEDDING_NAMES.tokenType, tables.tokenType),
    });
  }

  /** Two AdamW groups: `<name>` (decayed) and `<name>_no_decay`. */
  groups(name: string, lr: number, weightDecay: number): ParamGroupSpec[] {
    return [
      { name, variables: this.entries.filter((e) => e.decay).map((e) => e.variable), lr, weightDecay },
      { name: `${name}_no_decay`, variables: this.entries.filter((e) => !e.decay).map((e) => e.variable), lr, weightDecay: 0 },
    ];
  }

  /** The trained values in the checkpoint's layout. */
  artifactTensors(): ArtifactTensor[] {
    return this.entries.map((entry) => {
      const values = readFloats(entry.variable);
      if (!entry.transposed) return { name: entry.name, shape: [...entry.variable.shape], values };
      const [inputs, outputs] = entry.variable.shape;
      return { name: entry.name, shape: [outputs, inputs], values: transposeFlat(values, inputs, outputs) };
    });
  }

  exportTensors(into: MethodState['tensors']): void {
    for (const entry of this.entries) into[`dense/${entry.name}`] = { shape: [...entry.variable.shape], data: readFloats(entry.variable) };
  }

  importTensors(state: MethodState): void {
    for (const entry of this.entries) assignValues(entry.variable, stateTensor(state, `dense/${entry.name}`, entry.variable.size));
  }

  dispose(): void {
    for (const entry of this.entries) {
      entry.uninstall();
      entry.variable.dispose();
    }
    this.entries.length = 0;
  }
}
