import { glueTasks, isGlueTaskName } from '../glueTasks';
import type { BlockSpec, DefaultContext, TypedValue } from './types';

export const trainBlock: BlockSpec = {
  name: 'train',
  doc: 'How long and in what batches to train, and the seed every random choice derives from.',
  keyWord: 'key',
  keys: [
    {
      name: 'epochs',
      type: { kind: 'number', min: 0, minExclusive: true },
      default: 3,
      computedDefault: {
        text: '3 (10 with method mask, as in Zhao et al.)',
        compute: (ctx: DefaultContext) => (ctx.get('method') === 'mask' ? 10 : 3),
      },
      doc: 'Passes over the training data; fractions are allowed (`0.5`). The run ends at `epochs` or `max_steps`, whichever comes first.',
      paper: 'zhao2020',
      example: 'epochs 10',
    },
    {
      name: 'batch',
      type: { kind: 'number', integer: true, min: 1, max: 4096 },
      default: 32,
      doc: 'Examples per forward pass. One optimiser step sees batch × grad_accumulation examples.',
      paper: 'zhao2020',
      example: 'batch 32',
    },
    {
      name: 'seed',
      type: { kind: 'number', integer: true },
      default: 42,
      doc: 'Seeds the data order, dropout, the head\'s initialisation, mask scores and any random support, so a run can be repeated exactly on the same backend.',
      example: 'seed 42',
    },
    {
      name: 'max_steps',
      type: { kind: 'number', integer: true, min: 1 },
      nullable: true,
      default: null,
      doc: 'Stop after this many optimiser steps even if `epochs` are not done; `none` for no cap.',
      example: 'max_steps 1000',
    },
    {
      name: 'grad_accumulation',
      type: { kind: 'number', integer: true, min: 1 },
      default: 1,
      doc: 'Accumulate gradients over this many batches before each optimiser step (a larger effective batch in the same memory).',
      example: 'grad_accumulation 1',
    },
    {
      name: 'checkpoint_every',
      type: { kind: 'duration' },
      default: { amount: 200, unit: 'steps' },
      doc: 'How often the run saves a checkpoint it can resume from after a crash or SIGTERM.',
      example: 'checkpoint_every 200 steps',
    },
    {
      name: 'dropout',
      type: { kind: 'fraction', min: 0, max: 1, maxExclusive: true },
      default: 0.1,
      doc: 'Dropout probability on hidden states and attention weights during training (BERT\'s 0.1).',
      paper: 'devlin2019',
      example: 'dropout 0.1',
    },
  ],
  blocks: [],
  example: 'train { epochs 10  batch 32  seed 42 }',
};

/** Metrics by task: GLUE's conventions, accuracy for your own classification data. */
function defaultMetrics(ctx: DefaultContext): TypedValue {
  const task = ctx.get('task');
  const name = typeof task === 'string' && task.startsWith('glue.') ? task.slice('glue.'.length) : undefined;
  return name && isGlueTaskName(name) ? [...glueTasks[name].metrics] : ['accuracy'];
}

export const evaluateBlock: BlockSpec = {
  name: 'evaluate',
  doc: 'When and how the run is evaluated on the dev split, and which checkpoint it keeps.',
  keyWord: 'key',
  keys: [
    {
      name: 'every',
      type: { kind: 'duration' },
      default: { amount: 1, unit: 'epochs' },
      doc: 'How often to evaluate; the run is also evaluated at its end. Zhao et al. evaluate every 60 steps.',
      paper: 'zhao2020',
      example: 'every 60 steps',
    },
    {
      name: 'metrics',
      type: {
        kind: 'enum',
        choices: [
          { name: 'accuracy', doc: 'Fraction of correct predictions.' },
          { name: 'f1', doc: 'F1 of the positive class (two-class tasks).' },
          { name: 'mcc', doc: 'Matthews correlation coefficient (CoLA\'s metric).' },
          { name: 'pearson', doc: 'Pearson correlation (regression: STS-B).' },
          { name: 'spearman', doc: 'Spearman rank correlation (regression: STS-B).' },
        ],
      },
      many: true,
      computedDefault: {
        text: 'by task: cola → mcc; mrpc and qqp → f1, accuracy; stsb → pearson, spearman; otherwise accuracy',
        compute: defaultMetrics,
      },
      doc: 'The metrics computed at each evaluation; the first one decides the best checkpoint. Classification metrics need a classification task, correlations a regression task.',
      paper: 'wang2019',
      example: 'metrics accuracy, f1',
    },
    {
      name: 'keep',
      type: {
        kind: 'enum',
        choices: [
          { name: 'best', doc: 'Keep the checkpoint with the best first metric (what Zhao et al. report).' },
          { name: 'last', doc: 'Keep the final checkpoint.' },
        ],
      },
      default: 'best',
      doc: 'Which checkpoint the run keeps and reports as its result.',
      paper: 'zhao2020',
      example: 'keep best',
    },
    {
      name: 'split',
      type: {
        kind: 'enum',
        choices: [
          { name: 'dev', doc: 'The dev file (the evaluation set of GLUE).' },
          { name: 'train', doc: 'The training data itself (for debugging over-fitting).' },
        ],
      },
      default: 'dev',
      doc: 'The split evaluated at each evaluation and used to pick the kept checkpoint. Evaluating the training data shows over-fitting, not generalisation.',
      example: 'split dev',
    },
  ],
  blocks: [],
  example: 'evaluate { every 60 steps  metrics accuracy, f1  keep best }',
};

export const deviceBlock: BlockSpec = {
  name: 'device',
  doc: 'Where the run computes. The names are TensorFlow.js\'s and the same as the CLI\'s `--backend`.',
  keyWord: 'key',
  keys: [
    {
      name: 'backend',
      type: {
        kind: 'enum',
        choices: [
          { name: 'auto', doc: 'The fastest available: tensorflow (native, GPU when present), else wasm with Masklab\'s native kernels when they are built, else wasm, else cpu.' },
          { name: 'tensorflow', doc: 'Native TensorFlow through @tensorflow/tfjs-node(-gpu), an optional install.' },
          { name: 'wasm', doc: 'TensorFlow.js\'s WebAssembly backend (SIMD), its stock kernels only.' },
          {
            name: 'wasm_native',
            doc: 'The WebAssembly backend with Masklab\'s native kernels (matrix products in the system BLAS, e.g. OpenBLAS; built by `npm ci` when a compiler and libopenblas-dev are present): an error when they are not built.',
          },
          { name: 'cpu', doc: 'TensorFlow.js\'s pure-JavaScript backend: always available, slowest.' },
        ],
      },
      default: 'auto',
      doc: 'The TensorFlow.js backend. The backend actually used is recorded with the run and shown, never silently downgraded.',
      example: 'backend wasm',
    },
    {
      name: 'require_gpu',
      type: { kind: 'boolean' },
      default: false,
      doc: 'Make a missing GPU an error instead of training on the CPU.',
      example: 'require_gpu true',
    },
    {
      name: 'threads',
      type: { kind: 'number', integer: true, min: 1 },
      default: 1,
      doc: 'Threads for the numeric library (the BLAS of `wasm_native`). On small machines one thread is often fastest; pinning it keeps results reproducible.',
      example: 'threads 1',
    },
  ],
  blocks: [],
  example: 'device { backend auto  require_gpu false }',
};
