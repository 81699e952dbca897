// The knobs that belong to one method (or two): finetune, mask, sparse_finetune and dsee, with
// DSEE's nested prune block.

import type { BlockSpec, KeySpec } from './types';

export const finetuneKnobs: KeySpec[] = [
  {
    name: 'train_head',
    type: { kind: 'boolean' },
    only: ['finetune', 'sparse_finetune'],
    default: true,
    doc:
      'Train the classifier head. With false the head keeps its random initialisation from the seed. In finetune it agrees with `head` in `also`: writing one decides the other, writing both differently is an error.',
    paper: 'radiya2020',
    example: 'train_head true',
  },
];

export const maskKnobs: KeySpec[] = [
  {
    name: 'threshold',
    type: { kind: 'number' },
    only: ['mask'],
    default: 0.01,
    doc: 'τ in M = 1[S > τ]: a weight is kept while its score exceeds τ. Only variant threshold uses it. Must exceed −init_low so that the initial sparsity can be set.',
    paper: 'zhao2020',
    example: 'threshold 0.01',
  },
  {
    name: 'init_low',
    type: { kind: 'number', min: 0 },
    only: ['mask'],
    default: 0.02,
    doc: 'a in the score initialisation S ~ U(−a, c); the upper end c = (a + τ)/p₀ − a follows from `initial_sparsity` p₀, so that exactly p₀ of the weights start masked.',
    paper: 'zhao2020',
    example: 'init_low 0.02',
  },
  {
    name: 'initial_sparsity',
    type: { kind: 'fraction', min: 0, max: 1, minExclusive: true, maxExclusive: true },
    only: ['mask'],
    default: 0.05,
    doc: 'p₀, the fraction of weights masked at the start (set exactly by the score initialisation). The reference 5% starts close to the pretrained model.',
    paper: 'zhao2020',
    example: 'initial_sparsity 5%',
  },
  {
    name: 'variant',
    type: {
      kind: 'enum',
      choices: [
        { name: 'threshold', doc: 'M = 1[S > τ] with a straight-through gradient (the reference).' },
        { name: 'sign', doc: 'M = (sign(S) + 1)/2 with S clipped to [−1, 1] (sign-STE).' },
        { name: 'stochastic', doc: 'M ~ Bernoulli(σ(S)), sampled at every step.' },
      ],
    },
    only: ['mask'],
    default: 'threshold',
    doc: 'How scores become a binary mask. All variants pass the gradient straight through the binarisation.',
    paper: 'zhao2020',
    example: 'variant threshold',
  },
  {
    name: 'target_sparsity',
    type: { kind: 'fraction', min: 0, max: 1, maxExclusive: true },
    only: ['mask'],
    nullable: true,
    default: null,
    doc:
      'Optional sparsity control: raise the mask\'s sparsity from `initial_sparsity` to this target along a cubic schedule and add the penalty λ(s_target − s)², λ learned by gradient ascent. Off (`none`) in the reference run.',
    paper: 'zhao2020',
    example: 'target_sparsity 50%',
  },
  {
    name: 'sparsity_schedule_end',
    type: { kind: 'runPoint' },
    only: ['mask'],
    default: 0.5,
    doc: 'When the cubic sparsity schedule reaches `target_sparsity`: a percentage of the run or a duration. Has an effect only with `target_sparsity`.',
    paper: 'zhu2017',
    example: 'sparsity_schedule_end 2 epochs',
  },
  {
    name: 'penalty_lr',
    type: { kind: 'number', min: 0, minExclusive: true },
    only: ['mask'],
    default: 0.01,
    doc: 'The learning rate of the penalty weight λ (gradient ascent). Has an effect only with `target_sparsity`.',
    paper: 'zhao2020',
    example: 'penalty_lr 0.01',
  },
];

const SF = ['sparse_finetune'];
export const sparseFinetuneKnobs: KeySpec[] = [
  {
    name: 'mode',
    type: {
      kind: 'enum',
      choices: [
        { name: 'topk', doc: 'Learn a binary mask over the selected matrices at a fixed target sparsity (top-k by score).' },
        { name: 'layers', doc: 'Fine-tune only the selected blocks and matrices; keep everything else exactly pretrained (L0-close fine-tuning).' },
      ],
    },
    only: SF,
    default: 'topk',
    doc: 'Sparsification as fine-tuning (topk: set chosen pretrained entries to zero) or L0-close fine-tuning (layers: update only the chosen layers).',
    paper: 'radiya2020',
    example: 'mode topk',
  },
  {
    name: 'sparsity',
    type: { kind: 'fraction', min: 0, max: 1, maxExclusive: true },
    only: SF,
    modes: ['topk'],
    default: 0.1,
    doc: 'The target fraction of each selected matrix set to zero.',
    paper: 'radiya2020',
    example: 'sparsity 10%',
  },
  {
    name: 'sparsity_schedule',
    type: {
      kind: 'enum',
      choices: [
        { name: 'constant', doc: 'The target sparsity from the first step.' },
        { name: 'linear', doc: 'Sparsity rises linearly from 0 at `schedule_start` to the target at `schedule_end`.' },
        { name: 'cubic', doc: 'Sparsity rises fast then slowly, s_t = s(1 − (1 − t)³), between `schedule_start` and `schedule_end`.' },
      ],
    },
    only: SF,
    modes: ['topk'],
    default: 'constant',
    doc: 'How the sparsity reaches its target.',
    paper: 'zhu2017',
    example: 'sparsity_schedule cubic',
  },
  {
    name: 'schedule_start',
    type: { kind: 'runPoint' },
    only: SF,
    modes: ['topk'],
    default: 0,
    doc: 'Where the sparsity schedule starts: a percentage of the run or a duration. Must precede `schedule_end`.',
    paper: 'zhu2017',
    example: 'schedule_start 0 steps',
  },
  {
    name: 'schedule_end',
    type: { kind: 'runPoint' },
    only: SF,
    modes: ['topk'],
    default: 0.5,
    doc: 'Where the sparsity schedule reaches the target: a percentage of the run or a duration inside the run.',
    paper: 'zhu2017',
    example: 'schedule_end 2 epochs',
  },
  {
    name: 'selection',
    type: {
      kind: 'enum',
      choices: [
        { name: 'topk', doc: 'Keep exactly the highest-scoring (1 − sparsity) of each matrix (deterministic).' },
        { name: 'threshold', doc: 'Keep entries whose score exceeds a threshold set to hit the target on average.' },
        { name: 'stochastic', doc: 'Sample the mask from the scores at every step.' },
      ],
    },
    only: SF,
    modes: ['topk'],
    default: 'topk',
    doc: 'How the binary mask is taken from the scores; the gradient passes straight through.',
    paper: 'radiya2020',
    example: 'selection topk',
  },
  {
    name: 'score_init',
    type: {
      kind: 'enum',
      choices: [
        { name: 'magnitude', doc: 'Scores start at |W|, so the first mask is magnitude pruning.' },
        { name: 'uniform', doc: 'Scores start uniform at random (from the seed).' },
      ],
    },
    only: SF,
    modes: ['topk'],
    default: 'magnitude',
    doc: 'How the mask scores are initialised.',
    paper: 'radiya2020',
    example: 'score_init magnitude',
  },
  {
    name: 'head_lr',
    type: { kind: 'number', min: 0, minExclusive: true },
    only: SF,
    default: 2e-5,
    doc: 'The learning rate of the classifier head when `train_head` is true (the head is trained densely, not masked).',
    paper: 'radiya2020',
    example: 'head_lr 2e-5',
  },
];

const DSEE = ['dsee'];
export const dseeKnobs: KeySpec[] = [
  {
    name: 'rank',
    type: { kind: 'number', integer: true, min: 1 },
    only: DSEE,
    default: 16,
    doc: 'r, the rank of the low-rank update B·A (A ~ N(0, 0.02²), B = 0 at the start). At most the smaller side of the selected matrices.',
    paper: 'chen2023',
    example: 'rank 16',
  },
  {
    name: 'alpha',
    type: { kind: 'number', min: 0, minExclusive: true },
    only: DSEE,
    default: 32,
    doc: 'α in ΔW = (α/r)(B·A + S): scales the update independently of the rank.',
    paper: 'chen2023',
    example: 'alpha 32',
  },
  {
    name: 'sparse_entries',
    type: { kind: 'number', integer: true, min: 0 },
    only: DSEE,
    default: 64,
    doc: 'N, the number of entries per matrix in the support Ω of the sparse update S (16–128 typical; 0 leaves only the low-rank part).',
    paper: 'chen2023',
    example: 'sparse_entries 64',
  },
  {
    name: 'support',
    type: {
      kind: 'enum',
      choices: [
        { name: 'grebsmo', doc: 'The N largest |S₀| of a GreBsmo decomposition W ≈ U·V + S₀ of the pretrained weight.' },
        { name: 'magnitude', doc: 'The N largest |W| (cheaper).' },
        { name: 'random', doc: 'N entries at random (from the seed).' },
      ],
    },
    only: DSEE,
    default: 'grebsmo',
    doc: 'How the fixed support Ω of the sparse update is chosen.',
    paper: 'chen2023',
    example: 'support grebsmo',
  },
];

const PRUNE_RETUNE: KeySpec = {
  name: 'retune',
  type: { kind: 'duration' },
  default: { amount: 3, unit: 'epochs' },
  doc: 'How long to re-tune A, B, S and the head after pruning, with the pruning masks fixed.',
  paper: 'chen2023',
  example: 'retune 3 epochs',
};

export const pruneBlock: BlockSpec = {
  name: 'prune',
  doc: 'DSEE\'s second stage: sparsity in the final weights, then re-tuning with the pruning masks fixed. Optional; without it no pruning happens.',
  paper: 'chen2023',
  kinds: [
    {
      name: 'unstructured',
      family: 'unstructured',
      doc: 'Global magnitude pruning: K, attention output, FFN and pooler ranked by |W_pre|, Q and V by |ΔW|.',
      paper: 'chen2023',
    },
    {
      name: 'heads',
      family: 'heads',
      doc: 'Per block, remove the attention heads with the smallest Σ|ΔW_Q| + |ΔW_V|; the model gets physically smaller.',
      paper: 'chen2023',
    },
  ],
  kindWord: 'pruning',
  keyWord: 'key',
  only: DSEE,
  keys: [
    {
      name: 'sparsity',
      type: { kind: 'fraction', min: 0, max: 1, maxExclusive: true },
      only: ['unstructured'],
      default: 0.2,
      doc: 'The fraction of the final weights pruned (reference 20%, up to 50%).',
      paper: 'chen2023',
      example: 'sparsity 20%',
    },
    {
      name: 'heads',
      type: { kind: 'number', integer: true, min: 1 },
      only: ['heads'],
      default: 1,
      doc: 'Attention heads removed per block; at least 1 and fewer than the checkpoint\'s `num_attention_heads` (the reference removed 3 of BERT-base\'s 12).',
      paper: 'chen2023',
      example: 'heads 3',
    },
    PRUNE_RETUNE,
  ],
  blocks: [],
  example: 'prune unstructured { sparsity 20%  retune 3 epochs }',
};
