// The method block: its kinds and all knobs, assembled from commonKnobs.ts and methodKnobs.ts.

import { commonKnobs } from './commonKnobs';
import { dseeKnobs, finetuneKnobs, maskKnobs, pruneBlock, sparseFinetuneKnobs } from './methodKnobs';
import type { BlockSpec, KindSpec } from './types';

const kinds: KindSpec[] = [
  {
    name: 'finetune',
    family: 'finetune',
    doc: 'Full fine-tuning (or of the selected blocks and matrices only) with AdamW, warm-up and linear decay: the baseline every other method is compared against.',
    paper: 'devlin2019',
  },
  {
    name: 'mask',
    family: 'mask',
    doc: 'Learn a binary mask over the frozen pretrained weights with real-valued scores and a straight-through estimator; store one bit per masked weight per task.',
    paper: 'zhao2020',
  },
  {
    name: 'sparse_finetune',
    family: 'sparse_finetune',
    doc: 'Sparse fine-tuning: learn a top-k mask at a target sparsity (mode topk), or fine-tune only chosen layers and keep the rest exactly pretrained (mode layers).',
    paper: 'radiya2020',
  },
  {
    name: 'dsee',
    family: 'dsee',
    doc: 'Dually sparsity-embedded efficient tuning: a low-rank plus sparse update ΔW = (α/r)(B·A + S) on chosen matrices, optionally followed by pruning the final weights.',
    paper: 'chen2023',
  },
];

export const methodBlock: BlockSpec = {
  name: 'method',
  doc: 'How the model is adapted, and the method\'s knobs. A knob that belongs to another method is an error. `method mask` without braces takes every default. Required.',
  kinds,
  kindWord: 'method',
  keyWord: 'knob',
  keys: [...commonKnobs, ...finetuneKnobs, ...maskKnobs, ...sparseFinetuneKnobs, ...dseeKnobs],
  blocks: [pruneBlock],
  required: true,
  example: 'method mask { blocks all  initial_sparsity 5%  lr 1e-3 }',
};
