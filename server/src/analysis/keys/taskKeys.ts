import { glueTasks, glueTaskNames } from '../glueTasks';
import type { BlockSpec, KeySpec, KindSpec } from './types';

const FILE_FORMATS = ['csv', 'tsv', 'jsonl'] as const;

const glueKinds: KindSpec[] = glueTaskNames.map((name) => ({
  name: `glue.${name}`,
  family: 'glue',
  doc: `GLUE ${glueTasks[name].title}. Default metrics: ${glueTasks[name].metrics.join(', ')}.`,
  paper: 'wang2019',
}));

const fileKinds: KindSpec[] = [
  { name: 'csv', family: 'csv', doc: 'Your own data as comma-separated files with a header row.' },
  { name: 'tsv', family: 'tsv', doc: 'Your own data as tab-separated files with a header row.' },
  { name: 'jsonl', family: 'jsonl', doc: 'Your own data as JSON Lines: one object per line, columns are its fields.' },
];

const keys: KeySpec[] = [
  {
    name: 'data',
    type: { kind: 'string', role: 'folder' },
    doc:
      'The folder holding the task\'s files, relative to the experiment file. Required for a GLUE task: the official task folder (train.tsv, dev.tsv; QNLI may hold train_subset9k.json, MNLI dev_matched.tsv). For csv, tsv and jsonl it holds train.<ext> and dev.<ext>, an alternative to naming `train` and `dev` one by one.',
    example: 'data "data/SST-2"',
  },
  {
    name: 'train',
    type: { kind: 'string', role: 'file' },
    only: FILE_FORMATS,
    doc: 'The training file, relative to the experiment file. Takes precedence over `data`.',
    example: 'train "reviews/train.csv"',
  },
  {
    name: 'dev',
    type: { kind: 'string', role: 'file' },
    only: FILE_FORMATS,
    doc: 'The evaluation (dev) file, relative to the experiment file. Takes precedence over `data`.',
    example: 'dev "reviews/dev.csv"',
  },
  {
    name: 'text',
    type: { kind: 'string', role: 'column' },
    only: FILE_FORMATS,
    default: 'text',
    doc: 'The column (or JSON field) holding the input text.',
    example: 'text "review"',
  },
  {
    name: 'text_pair',
    type: { kind: 'string', role: 'column' },
    only: FILE_FORMATS,
    nullable: true,
    default: null,
    doc: 'The column holding the second text of a sentence-pair task; `none` for single-text tasks. The pair is encoded as `[CLS] text [SEP] text_pair [SEP]`.',
    example: 'text_pair "hypothesis"',
  },
  {
    name: 'label',
    type: { kind: 'string', role: 'column' },
    only: FILE_FORMATS,
    default: 'label',
    doc: 'The column holding the class label.',
    example: 'label "stars"',
  },
  {
    name: 'labels',
    type: { kind: 'label' },
    many: true,
    nullable: true,
    only: FILE_FORMATS,
    default: [],
    doc: 'The label values in class-index order. When absent the trainer uses the sorted distinct values of the training file\'s label column; write them to fix the order or to fail on unexpected values.',
    example: 'labels negative, positive',
  },
  {
    name: 'max_length',
    type: { kind: 'number', integer: true, min: 1, max: 512 },
    default: 128,
    doc: 'The longest input in tokens, `[CLS]` and `[SEP]` included; longer inputs are truncated (the longer text of a pair first). Must not exceed the checkpoint\'s `max_position_embeddings`.',
    paper: 'zhao2020',
    example: 'max_length 128',
  },
  {
    name: 'max_examples',
    type: { kind: 'number', integer: true, min: 1 },
    nullable: true,
    default: null,
    doc: 'Train on only the first N examples of the training file (for quick runs and learning curves). With it the analyser knows the dataset size and can check warm-up and schedules measured in steps against the run.',
    example: 'max_examples 2000',
  },
  {
    name: 'dev_examples',
    type: { kind: 'number', integer: true, min: 1 },
    nullable: true,
    default: null,
    doc: 'Evaluate on only the first N dev examples (faster evaluation during the run).',
    example: 'dev_examples 500',
  },
];

export const taskBlock: BlockSpec = {
  name: 'task',
  doc: 'The task to adapt the model to: a GLUE task (`glue.sst2`, …) read from its official folder, or your own csv, tsv or jsonl files. Required.',
  kinds: [...glueKinds, ...fileKinds],
  kindWord: 'task',
  keyWord: 'key',
  keys,
  blocks: [],
  required: true,
  example: 'task glue.sst2 { data "data/SST-2"  max_length 64 }',
};
