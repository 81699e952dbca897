// Which parts of the model a method acts on, from its `blocks`, `matrices`, `also` and `select`
// keys. The analyser has already checked the keys against the checkpoint (unknown blocks,
// selectors that match nothing); this is the trainer's reading of the same keys on the live model.

import type { MatrixName, MethodConfig, Selector } from '../../../../schemas/src/experimentConfig';
import { compileSelector } from '../../checkpoint/selector';
import type { LayerNorm } from '../model/layerNorm';
import type { Linear, LinearRole } from '../model/linear';
import { EMBEDDING_NAMES } from '../model/parameterNames';
import { allLinears, biasName, weightName, type TaskModel } from './taskModel';

const MATRIX_ROLES: Record<MatrixName, LinearRole> = {
  query: 'query',
  key: 'key',
  value: 'value',
  attention_output: 'attentionOutput',
  intermediate: 'intermediate',
  output: 'output',
};

export interface TargetSelection {
  /** Linear layers whose weight the method acts on, in model order. */
  linears: Linear[];
  /** Linear layers whose bias a selector named (fine-tuning trains them; other methods never touch biases). */
  biases: Linear[];
  /** LayerNorms a selector named. */
  layerNorms: LayerNorm[];
  /** Embedding tables a selector named (`embeddings.word_embeddings.weight`, …). */
  embeddingTables: string[];
  warnings: string[];
}

export interface TargetOptions {
  /** `also pooler` adds the pooler's weight. */
  pooler: boolean;
  /** Add the head's weights (mask masks the head; other methods train it separately). */
  head: boolean;
}

/** Every LayerNorm of the encoder, in model order. */
export function allLayerNorms(model: TaskModel): LayerNorm[] {
  const { encoder } = model;
  return [encoder.embeddings.tables.layerNorm, ...encoder.blocks.flatMap((b) => [b.attention.weights.layerNorm, b.feedForward.layerNorm])];
}

export function selectTargets(model: TaskModel, method: MethodConfig, options: TargetOptions): TargetSelection {
  const warnings: string[] = [];
  const chosen = new Set<Linear>();
  const blocks = model.encoder.blocks;
  for (const index of method.blocks) {
    const block = blocks[index];
    if (!block) {
      warnings.push(`method.blocks lists block ${index}, but the model has ${blocks.length} (0–${blocks.length - 1}); it is skipped`);
      continue;
    }
    for (const matrix of method.matrices) {
      const role = MATRIX_ROLES[matrix];
      const linear = block.linears().find((l) => l.role === role);
      if (linear) chosen.add(linear);
    }
  }
  if (options.pooler) {
    if (model.encoder.pooler) chosen.add(model.encoder.pooler);
    else warnings.push('method.also lists pooler, but the checkpoint has no pooler (pooler.dense.*); it is skipped');
  }
  if (options.head) for (const linear of model.head.linears()) chosen.add(linear);

  const biases = new Set<Linear>();
  const layerNorms = new Set<LayerNorm>();
  const embeddingTables = new Set<string>();
  for (const selector of method.select) {
    const compiled = compile(selector);
    if (!compiled) {
      warnings.push(`method.select: ${describe(selector)} is not a valid selector; it is skipped`);
      continue;
    }
    let matched = 0;
    for (const linear of allLinears(model)) {
      if (compiled(weightName(linear))) {
        chosen.add(linear);
        matched++;
      }
      if (linear.bias && compiled(biasName(linear))) {
        biases.add(linear);
        matched++;
      }
    }
    for (const norm of allLayerNorms(model)) {
      if (compiled(`${norm.name}.weight`) || compiled(`${norm.name}.bias`)) {
        layerNorms.add(norm);
        matched++;
      }
    }
    for (const table of [EMBEDDING_NAMES.word, EMBEDDING_NAMES.position, EMBEDDING_NAMES.tokenType]) {
      if (compiled(table)) {
        embeddingTables.add(table);
        matched++;
      }
    }
    if (matched === 0) warnings.push(`method.select: ${describe(selector)} matches no parameter of this model`);
  }
  const linears = allLinears(model).filter((linear) => chosen.has(linear));
  return { linears, biases: [...biases], layerNorms: [...layerNorms], embeddingTables: [...embeddingTables], warnings };
}

function compile(selector: Selector): ((name: string) => boolean) | null {
  const compiled = 'glob' in selector ? compileSelector(selector.glob, 'glob') : compileSelector(selector.regex, 'regex');
  return compiled.ok ? (name) => compiled.test(name) : null;
}

function describe(selector: Selector): string {
  return 'glob' in selector ? `"${selector.glob}"` : `re"${selector.regex}"`;
}

/** Lowest encoder block a set of linear layers belongs to; the pooler and head count as numLayers. */
export function firstBlockOf(linears: readonly Linear[], numLayers: number): number {
  let first = numLayers;
  for (const linear of linears) if (linear.layerIndex !== undefined) first = Math.min(first, linear.layerIndex);
  return first;
}
