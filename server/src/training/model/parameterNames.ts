// Canonical parameter names of BERT-family checkpoints (Hugging Face layout, family prefix such as
// `bert.` / `roberta.` stripped). One table, so loading and the methods' selectors agree.

import type { LinearRole } from './linear';

export const EMBEDDING_NAMES = {
  word: 'embeddings.word_embeddings.weight',
  position: 'embeddings.position_embeddings.weight',
  tokenType: 'embeddings.token_type_embeddings.weight',
  layerNorm: 'embeddings.LayerNorm',
} as const;

export const POOLER_STEM = 'pooler.dense';

/** Linear layers of one block, by role, in the order Q, K, V, AO, I, O. */
export const BLOCK_LINEAR_SUFFIXES: ReadonlyArray<[LinearRole, string]> = [
  ['query', 'attention.self.query'],
  ['key', 'attention.self.key'],
  ['value', 'attention.self.value'],
  ['attentionOutput', 'attention.output.dense'],
  ['intermediate', 'intermediate.dense'],
  ['output', 'output.dense'],
];

export function blockStem(layer: number): string {
  return `encoder.layer.${layer}`;
}

export function blockLinearStem(layer: number, role: LinearRole): string {
  const suffix = BLOCK_LINEAR_SUFFIXES.find(([r]) => r === role)?.[1];
  if (!suffix) throw new Error(`'${role}' is not a linear layer of an encoder block`);
  return `${blockStem(layer)}.${suffix}`;
}

export function attentionLayerNormStem(layer: number): string {
  return `${blockStem(layer)}.attention.output.LayerNorm`;
}

export function outputLayerNormStem(layer: number): string {
  return `${blockStem(layer)}.output.LayerNorm`;
}

/**
 * Names to try for a LayerNorm's scale and shift: `weight`/`bias`, or `gamma`/`beta` in
 * checkpoints converted from the original TensorFlow BERT.
 */
export function layerNormParameterNames(stem: string): { scale: string[]; shift: string[] } {
  return { scale: [`${stem}.weight`, `${stem}.gamma`], shift: [`${stem}.bias`, `${stem}.beta`] };
}

/** Sequence-classification heads as Hugging Face stores them. */
export const CLASSIFIER_NAMES = {
  /** BertForSequenceClassification: pooled → dropout → classifier. */
  bert: { out: 'classifier' },
  /** RobertaForSequenceClassification: h_<s> → dropout → dense → tanh → dropout → out_proj. */
  roberta: { dense: 'classifier.dense', out: 'classifier.out_proj' },
} as const;
