// Facts about the GLUE tasks the language names (`task glue.sst2`): label values as they appear in
// the official files, default metrics, and which file names hold the splits, so the analyser can
// check a data folder and resolution can name the files for the trainer.

import type { GlueTaskName, MetricName } from '../../../schemas/src/experimentConfig';

export interface GlueTaskFacts {
  name: GlueTaskName;
  title: string;
  /** Label values in class-index order; null for the regression task (STS-B). */
  labels: readonly string[] | null;
  /** The conventional dev metrics, first is the one to select the best checkpoint by. */
  metrics: readonly MetricName[];
  /** Candidate training files in the task folder, first existing wins. */
  trainFiles: readonly string[];
  devFiles: readonly string[];
  pair: boolean;
}

const binary = ['0', '1'] as const;
const entailment = ['entailment', 'not_entailment'] as const;

export const glueTasks: Record<GlueTaskName, GlueTaskFacts> = {
  sst2: { name: 'sst2', title: 'SST-2 sentiment (single sentence)', labels: binary, metrics: ['accuracy'], trainFiles: ['train.tsv'], devFiles: ['dev.tsv'], pair: false },
  mrpc: { name: 'mrpc', title: 'MRPC paraphrase (sentence pair)', labels: binary, metrics: ['f1', 'accuracy'], trainFiles: ['train.tsv'], devFiles: ['dev.tsv'], pair: true },
  cola: { name: 'cola', title: 'CoLA acceptability (single sentence)', labels: binary, metrics: ['mcc'], trainFiles: ['train.tsv'], devFiles: ['dev.tsv'], pair: false },
  rte: { name: 'rte', title: 'RTE entailment (sentence pair)', labels: entailment, metrics: ['accuracy'], trainFiles: ['train.tsv'], devFiles: ['dev.tsv'], pair: true },
  qnli: {
    name: 'qnli',
    title: 'QNLI question answering entailment (sentence pair)',
    labels: entailment,
    metrics: ['accuracy'],
    trainFiles: ['train.tsv', 'train_subset9k.json'],
    devFiles: ['dev.tsv'],
    pair: true,
  },
  stsb: { name: 'stsb', title: 'STS-B similarity, a 0–5 regression (sentence pair)', labels: null, metrics: ['pearson', 'spearman'], trainFiles: ['train.tsv'], devFiles: ['dev.tsv'], pair: true },
  mnli: {
    name: 'mnli',
    title: 'MNLI entailment, three classes (sentence pair)',
    labels: ['entailment', 'neutral', 'contradiction'],
    metrics: ['accuracy'],
    trainFiles: ['train.tsv'],
    devFiles: ['dev_matched.tsv', 'dev.tsv'],
    pair: true,
  },
  qqp: { name: 'qqp', title: 'QQP duplicate questions (sentence pair)', labels: binary, metrics: ['f1', 'accuracy'], trainFiles: ['train.tsv'], devFiles: ['dev.tsv'], pair: true },
};

export const glueTaskNames = Object.keys(glueTasks) as GlueTaskName[];

export function isGlueTaskName(name: string): name is GlueTaskName {
  return Object.prototype.hasOwnProperty.call(glueTasks, name);
}
