// What each tensor of a BERT / RoBERTa checkpoint is, from its name alone. Names come in several
// layouts that all describe the same backbone:
//   BertModel / RobertaModel saved alone        embeddings.…, encoder.layer.N.…, pooler.…
//   BertFor* / RobertaFor* (backbone prefixed)  bert.embeddings.… / roberta.encoder.…
//   heads                                        classifier.weight (BERT), classifier.{dense,out_proj}.* (RoBERTa),
//                                                cls.predictions.* / cls.seq_relationship.* (BERT pretraining),
//                                                lm_head.* (RoBERTa masked LM)
// The canonical name strips the backbone prefix, so selectors and method targets read the same
// for every layout.
//
// Convention: a linear layer's `weight` is stored PyTorch-style as [out, in] (y = x Wᵀ + b), e.g.
// intermediate.dense.weight is [intermediate_size, hidden_size]. The trainer transposes to the
// [in, out] layout tfjs's matMul wants; masks and scores follow the stored [out, in] layout.

import type { SafetensorsDtype } from './safetensors';
import type { ModelFamily } from './modelConfig';

/** The maskable matrices of one encoder block, in the order methods.md lists them. */
export const BLOCK_MATRICES = ['query', 'key', 'value', 'attention_output', 'intermediate', 'output'] as const;
export type BlockMatrix = (typeof BLOCK_MATRICES)[number];

/** Matrices outside the blocks that a method's `also` may add. */
export const EXTRA_MATRICES = ['pooler', 'head'] as const;
export type ExtraMatrix = (typeof EXTRA_MATRICES)[number];

export type MatrixKind = BlockMatrix | ExtraMatrix;

export type ParameterRole = 'weight' | 'bias' | 'layernorm' | 'embedding' | 'other';

/** Which part of the model a parameter belongs to. */
export type ParameterComponent = 'embeddings' | 'encoder' | 'pooler' | 'classifier' | 'pretraining_head' | 'other';

export interface ParameterInfo {
  /** As in the file, e.g. 'bert.encoder.layer.0.attention.self.query.weight'. */
  name: string;
  /** Backbone prefix stripped (and TF-era LayerNorm gamma/beta renamed weight/bias, as Hugging Face does). */
  canonical: string;
  /** As stored; linear weights are [out, in]. */
  shape: number[];
  /** Number of elements. */
  count: number;
  dtype: SafetensorsDtype;
  /** Encoder block index, for parameters inside `encoder.layer.N`. */
  block?: number;
  /** The linear layer this weight or bias belongs to. */
  matrix?: MatrixKind;
  role: ParameterRole;
  component: ParameterComponent;
}

export const FAMILY_PREFIX: Readonly<Record<ModelFamily, string>> = { bert: 'bert.', roberta: 'roberta.' };

/**
 * The backbone prefix used by these names: 'bert.' or 'roberta.' when any backbone tensor carries
 * it, '' for a bare BertModel / RobertaModel. Returns the prefix actually found, which may belong to
 * the other family (the caller reports the disagreement with config.json).
 */
export function detectPrefix(names: Iterable<string>): string {
  for (const name of names) {
    for (const prefix of Object.values(FAMILY_PREFIX)) {
      if (name.startsWith(prefix) && /^(embeddings|encoder|pooler)\./.test(name.slice(prefix.length))) return prefix;
    }
  }
  return '';
}

export function canonicalName(name: string, prefix: string): string {
  const stripped = prefix !== '' && name.startsWith(prefix) ? name.slice(prefix.length) : name;
  return stripped.replace(/\.LayerNorm\.gamma$/, '.LayerNorm.weight').replace(/\.LayerNorm\.beta$/, '.LayerNorm.bias');
}

const LINEAR_IN_BLOCK: ReadonlyArray<[RegExp, BlockMatrix]> = [
  [/^attention\.self\.(query|key|value)\.(weight|bias)$/, 'query'], // matrix taken from the group below
  [/^attention\.output\.dense\.(weight|bias)$/, 'attention_output'],
  [/^intermediate\.dense\.(weight|bias)$/, 'intermediate'],
  [/^output\.dense\.(weight|bias)$/, 'output'],
];

/** Classifies one tensor. `prefix` is the checkpoint's backbone prefix (see detectPrefix). */
export function classifyParameter(name: string, shape: readonly number[], dtype: SafetensorsDtype, prefix: string): ParameterInfo {
  const canonical = canonicalName(name, prefix);
  const base = { name, canonical, shape: [...shape], count: shape.reduce((a, b) => a * b, 1), dtype };
  const suffixRole: ParameterRole = /(^|\.)(LayerNorm|layer_norm)\.(weight|bias)$/.test(canonical)
    ? 'layernorm'
    : /(^|\.)bias$/.test(canonical)
      ? 'bias'
      : /(^|\.)weight$/.test(canonical)
        ? 'weight'
        : 'other';

  const inBlock = /^encoder\.layer\.(\d+)\.(.+)$/.exec(canonical);
  if (inBlock) {
    const block = Number(inBlock[1]);
    const rest = inBlock[2];
    for (const [pattern, kind] of LINEAR_IN_BLOCK) {
      const match = pattern.exec(rest);
      if (match) {
        const matrix = kind === 'query' ? (match[1] as BlockMatrix) : kind;
        return { ...base, block, matrix, role: match[match.length - 1] === 'weight' ? 'weight' : 'bias', component: 'encoder' };
      }
    }
    return { ...base, block, role: suffixRole, component: 'encoder' };
  }
  if (/^embeddings\.(word|position|token_type)_embeddings\.weight$/.test(canonical)) {
    return { ...base, role: 'embedding', component: 'embeddings' };
  }
  if (canonical.startsWith('embeddings.')) {
    // e.g. embeddings.position_ids, a buffer some older checkpoints store.
    return { ...base, role: suffixRole === 'layernorm' ? 'layernorm' : 'other', component: 'embeddings' };
  }
  const pooler = /^pooler\.dense\.(weight|bias)$/.exec(canonical);
  if (pooler) return { ...base, matrix: 'pooler', role: pooler[1] as 'weight' | 'bias', component: 'pooler' };
  const classifier = /^classifier\.(?:(?:dense|out_proj)\.)?(weight|bias)$/.exec(canonical);
  if (classifier) return { ...base, matrix: 'head', role: classifier[1] as 'weight' | 'bias', component: 'classifier' };
  if (/^(cls|lm_head)\./.test(canonical)) return { ...base, role: suffixRole, component: 'pretraining_head' };
  return { ...base, role: suffixRole, component: 'other' };
}

/** Classifies every tensor and sorts them into model order (see compareParameters). */
export function classifyParameters(
  tensors: Iterable<{ name: string; shape: readonly number[]; dtype: SafetensorsDtype }>,
  prefix: string,
): ParameterInfo[] {
  return [...tensors].map((t) => classifyParameter(t.name, t.shape, t.dtype, prefix)).sort(compareParameters);
}

const COMPONENT_ORDER: Readonly<Record<ParameterComponent, number>> = {
  embeddings: 0,
  encoder: 1,
  pooler: 2,
  classifier: 3,
  pretraining_head: 4,
  other: 5,
};

/**
 * Model order: embeddings, blocks by number (2 before 10, unlike a string sort), inside a block
 * the order of BLOCK_MATRICES, then pooler, classifier, pretraining heads, anything else; names
 * break ties so the order is total.
 */
export function compareParameters(a: ParameterInfo, b: ParameterInfo): number {
  return (
    COMPONENT_ORDER[a.component] - COMPONENT_ORDER[b.component] ||
    (a.block ?? -1) - (b.block ?? -1) ||
    rankWithin(a) - rankWithin(b) ||
    (a.canonical < b.canonical ? -1 : a.canonical > b.canonical ? 1 : 0)
  );
}

const EMBEDDING_ORDER = ['word_embeddings', 'position_embeddings', 'token_type_embeddings', 'LayerNorm'];

/** Order inside a component: each linear's weight then bias, a sub-layer's LayerNorm after its output matrix. */
function rankWithin(p: ParameterInfo): number {
  if (p.component === 'embeddings') {
    const index = EMBEDDING_ORDER.findIndex((part) => p.canonical.startsWith(`embeddings.${part}.`));
    return index < 0 ? EMBEDDING_ORDER.length : index;
  }
  const index = p.matrix ? (BLOCK_MATRICES as readonly string[]).indexOf(p.matrix) : -1;
  if (index >= 0) return index * 3 + (p.role === 'bias' ? 1 : 0);
  if (p.component === 'encoder' && p.role === 'layernorm') return (p.canonical.includes('.attention.') ? 3 : 5) * 3 + 2;
  return p.role === 'weight' ? 100 : p.role === 'bias' ? 101 : 102;
}
