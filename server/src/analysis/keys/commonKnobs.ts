// The knobs every method has (learning rate, what to select, the optimiser), with defaults that
// differ by method.

import { formatValue } from '../valueFormat';
import type { ChoiceSpec, DefaultContext, KeySpec, TypedValue, ValueType } from './types';

const ALL_MATRICES = ['query', 'key', 'value', 'attention_output', 'intermediate', 'output'];

const matrixChoices: ChoiceSpec[] = [
  { name: 'query', doc: 'The attention query projection W_Q (`attention.self.query`).' },
  { name: 'key', doc: 'The attention key projection W_K (`attention.self.key`).' },
  { name: 'value', doc: 'The attention value projection W_V (`attention.self.value`).' },
  { name: 'attention_output', doc: 'The attention output projection (`attention.output.dense`).' },
  { name: 'intermediate', doc: 'The feed-forward input projection, hidden → FFN (`intermediate.dense`).' },
  { name: 'output', doc: 'The feed-forward output projection, FFN → hidden (`output.dense`).' },
];

const alsoChoices: ChoiceSpec[] = [
  { name: 'pooler', doc: 'The pooler\'s dense layer over the `[CLS]` vector (`pooler.dense`).' },
  { name: 'head', doc: 'The classifier head, created at training time from the seed when the checkpoint has none.' },
  { name: 'embeddings', doc: 'The word, position and token-type embeddings and their LayerNorm.' },
];

/**
 * sparse_finetune's optimiser defaults follow its mode (topk trains mask scores like mask does,
 * layers trains weights like finetune does); the other methods take theirs from `defaultByKind`.
 */
const byMode = (topk: TypedValue, layers: TypedValue, type: ValueType) => ({
  text: `sparse_finetune: \`${formatValue(topk, type)}\` with mode topk, \`${formatValue(layers, type)}\` with mode layers`,
  compute: (ctx: DefaultContext) => (ctx.get('method.mode') === 'layers' ? layers : topk),
});

export const commonKnobs: KeySpec[] = [
  {
    name: 'lr',
    type: { kind: 'number', min: 0, minExclusive: true },
    defaultByKind: { finetune: 2e-5, mask: 1e-3, dsee: 2e-4 },
    computedDefault: byMode(1e-3, 2e-5, { kind: 'number' }),
    doc:
      'The learning rate of what the method trains: the weights (finetune, sparse_finetune mode layers), the mask scores (mask, sparse_finetune mode topk) or the low-rank and sparse update (dsee). The reference values: 2e-5 for fine-tuning BERT, 1e-3 for mask scores (Zhao et al.), 2e-4 for DSEE on SST-2 (5e-4 on RTE).',
    paper: 'zhao2020',
    example: 'lr 1e-3',
  },
  {
    name: 'blocks',
    type: { kind: 'blocks' },
    default: 'all',
    doc:
      'The encoder blocks (0-based) the method applies to: `all`, numbers, inclusive ranges, or a list of them (`0, 4..11`). Zhao et al. mask blocks 2..11 of BERT-base, leaving the bottom two untouched; on a 2-block model mask every block. Checked against the checkpoint\'s layer count.',
    paper: 'zhao2020',
    example: 'blocks 2..11',
  },
  {
    name: 'matrices',
    type: { kind: 'enum', choices: matrixChoices },
    many: true,
    default: ALL_MATRICES,
    defaultByKind: { dsee: ['query', 'value'] },
    doc:
      'Which weight matrices of each selected block the method applies to. Together with `blocks` this selects parameters; the editor shows how many tensors and parameters the selection matched. LayerNorm parameters and biases are never masked.',
    paper: 'zhao2020',
    example: 'matrices query, key, value, attention_output, intermediate, output',
  },
  {
    name: 'also',
    type: {
      kind: 'enum',
      choices: alsoChoices,
      allowedByKind: { finetune: ['pooler', 'head', 'embeddings'], mask: ['pooler', 'head'], sparse_finetune: ['pooler'], dsee: ['pooler', 'head'] },
    },
    many: true,
    nullable: true,
    defaultByKind: { finetune: ['pooler', 'head', 'embeddings'], mask: ['pooler', 'head'], sparse_finetune: [], dsee: ['head'] },
    doc:
      'Parts outside the encoder blocks that the method also applies to; `none` for no part. finetune trains them (pooler, head, embeddings); mask masks them (pooler, head — Zhao et al. mask the randomly initialised head too); sparse_finetune sparsifies the pooler (the head follows `train_head`); dsee trains them densely beside the update (pooler, head).',
    paper: 'zhao2020',
    example: 'also pooler, head',
  },
  {
    name: 'select',
    type: { kind: 'selector' },
    many: true,
    nullable: true,
    default: [],
    doc:
      'Raw selectors over the checkpoint\'s parameter names, in addition to blocks × matrices: an anchored glob (`*` within one name part, `**` across parts, `{2..11}` a number range, `{a,b}` alternatives) or `re"…"` for a regular expression. A selector that matches nothing is an error. `none` clears inherited selectors.',
    example: 'select "encoder.layer.{2..11}.attention.self.*.weight"',
  },
  {
    name: 'weight_decay',
    type: { kind: 'number', min: 0 },
    defaultByKind: { finetune: 0.01, mask: 0, dsee: 0.01 },
    computedDefault: byMode(0, 0.01, { kind: 'number' }),
    doc: 'Decoupled (AdamW) weight decay on the trained matrices; biases and LayerNorm parameters are not decayed. Mask scores take none (Zhao et al.).',
    paper: 'loshchilov2019',
    example: 'weight_decay 0.01',
  },
  {
    name: 'warmup',
    type: { kind: 'runPoint' },
    defaultByKind: { finetune: 0.1, mask: 0, dsee: 0.1 },
    computedDefault: byMode(0, 0.1, { kind: 'runPoint' }),
    doc:
      'Linear learning-rate warm-up from 0: a percentage of the whole run (`10%`) or a duration (`500 steps`, `1 epochs`). Must fit inside the run: checked against `train.epochs` and `train.max_steps`, in steps when the dataset size is known (`task.max_examples`).',
    paper: 'devlin2019',
    example: 'warmup 10%',
  },
  {
    name: 'schedule',
    type: {
      kind: 'enum',
      choices: [
        { name: 'constant', doc: 'The learning rate stays at `lr` after warm-up.' },
        { name: 'linear', doc: 'Linear decay from `lr` to 0 at the end of the run, after warm-up.' },
        { name: 'cosine', doc: 'Cosine decay from `lr` to 0 at the end of the run, after warm-up.' },
      ],
    },
    defaultByKind: { finetune: 'linear', mask: 'constant', dsee: 'linear' },
    computedDefault: byMode('constant', 'linear', { kind: 'enum', choices: [] }),
    doc: 'The learning-rate schedule after warm-up. Fine-tuning BERT uses linear decay; Zhao et al. train mask scores at a constant rate.',
    paper: 'devlin2019',
    example: 'schedule linear',
  },
  {
    name: 'max_grad_norm',
    type: { kind: 'number', min: 0 },
    default: 1,
    doc: 'Clip gradients to this global L2 norm before each update; 0 switches clipping off.',
    example: 'max_grad_norm 1.0',
  },
  {
    name: 'adam_beta1',
    type: { kind: 'number', min: 0, max: 1, maxExclusive: true },
    default: 0.9,
    doc: 'Adam\'s decay rate of the first-moment (mean) estimate.',
    example: 'adam_beta1 0.9',
  },
  {
    name: 'adam_beta2',
    type: { kind: 'number', min: 0, max: 1, maxExclusive: true },
    default: 0.999,
    doc: 'Adam\'s decay rate of the second-moment estimate.',
    example: 'adam_beta2 0.999',
  },
  {
    name: 'adam_epsilon',
    type: { kind: 'number', min: 0, minExclusive: true },
    default: 1e-8,
    doc: 'Adam\'s term added to the denominator for numerical stability.',
    example: 'adam_epsilon 1e-8',
  },
];
