// How each GLUE task is laid out on disk, in the standard GLUE folder (as written by the GLUE
// download script) — the loader's knowledge of columns and quirks:
// - every file is tab-separated and NOT quote-aware (QQP and MNLI hold stray quotes);
// - MRPC's header starts with a UTF-8 byte-order mark (dropped by readTextChunks);
// - CoLA's train/dev have no header: source, label, original judgement, sentence;
// - SST-2 sentences end with a space before the tab, and its labelled test copy has CRLF ends
//   (texts are trimmed; "\r" is stripped by readLines);
// - QNLI's full train.tsv is often unavailable; train_subset9k.json ({"0": {"text_a", "text_b",
//   "label"}, ...}) stands in for it;
// - STS-B is a regression on the 0–5 `score` column;
// - MNLI's dev split is dev_matched.tsv and its labels come in the order of Hugging Face
//   datasets' glue/mnli (entailment, neutral, contradiction), as the analyser's glueTasks states.

import type { GlueTaskName } from './taskSpec';
import type { Split } from './example';

export type GlueFileLayout =
  | {
      format: 'tsv';
      /** Column names of a header-less file; undefined when the first line is the header. */
      columns?: readonly string[];
      text: string;
      pair?: string;
      label: string;
    }
  | { format: 'jsonMembers'; text: string; pair?: string; label: string };

export interface GlueFileChoice {
  file: string;
  layout: GlueFileLayout;
}

export interface GlueTaskFormat {
  /** The folder name in the GLUE distribution. */
  folder: string;
  /** Label values in class-index order; null for the regression task. */
  labels: readonly string[] | null;
  /** Candidate files per split, first existing wins; no entry: the split has no public labels. */
  splits: Partial<Record<Split, readonly GlueFileChoice[]>>;
}

const binary = ['0', '1'] as const;
const entailment = ['entailment', 'not_entailment'] as const;

const sst2: GlueFileLayout = { format: 'tsv', text: 'sentence', label: 'label' };
const mrpc: GlueFileLayout = { format: 'tsv', text: '#1 String', pair: '#2 String', label: 'Quality' };
const cola: GlueFileLayout = { format: 'tsv', columns: ['source', 'label', 'original_label', 'sentence'], text: 'sentence', label: 'label' };
const rte: GlueFileLayout = { format: 'tsv', text: 'sentence1', pair: 'sentence2', label: 'label' };
const qnli: GlueFileLayout = { format: 'tsv', text: 'question', pair: 'sentence', label: 'label' };
const qnliJson: GlueFileLayout = { format: 'jsonMembers', text: 'text_a', pair: 'text_b', label: 'label' };
const stsb: GlueFileLayout = { format: 'tsv', text: 'sentence1', pair: 'sentence2', label: 'score' };
const mnli: GlueFileLayout = { format: 'tsv', text: 'sentence1', pair: 'sentence2', label: 'gold_label' };
const qqp: GlueFileLayout = { format: 'tsv', text: 'question1', pair: 'question2', label: 'is_duplicate' };

const standard = (layout: GlueFileLayout): Partial<Record<Split, readonly GlueFileChoice[]>> => ({
  train: [{ file: 'train.tsv', layout }],
  dev: [{ file: 'dev.tsv', layout }],
});

export const glueTaskFormats: Record<GlueTaskName, GlueTaskFormat> = {
  sst2: {
    folder: 'SST-2',
    labels: binary,
    // The labelled test copy (test-labeled.tsv) is not part of GLUE proper but is public.
    splits: { ...standard(sst2), test: [{ file: 'test-labeled.tsv', layout: sst2 }] },
  },
  mrpc: {
    folder: 'MRPC',
    labels: binary,
    // msr_paraphrase_test.txt is the labelled original of GLUE's test split, same columns.
    splits: { ...standard(mrpc), test: [{ file: 'msr_paraphrase_test.txt', layout: mrpc }] },
  },
  cola: { folder: 'CoLA', labels: binary, splits: standard(cola) },
  rte: { folder: 'RTE', labels: entailment, splits: standard(rte) },
  qnli: {
    folder: 'QNLI',
    labels: entailment,
    splits: {
      train: [
        { file: 'train.tsv', layout: qnli },
        { file: 'train_subset9k.json', layout: qnliJson },
      ],
      dev: [{ file: 'dev.tsv', layout: qnli }],
    },
  },
  stsb: { folder: 'STS-B', labels: null, splits: standard(stsb) },
  mnli: {
    folder: 'MNLI',
    labels: ['entailment', 'neutral', 'contradiction'],
    splits: {
      train: [{ file: 'train.tsv', layout: mnli }],
      dev: [
        { file: 'dev_matched.tsv', layout: mnli },
        { file: 'dev.tsv', layout: mnli },
      ],
    },
  },
  qqp: { folder: 'QQP', labels: binary, splits: standard(qqp) },
};
