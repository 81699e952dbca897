// A whole run in miniature for loop and method tests: the tiny BERT checkpoint of
// ../tinyCheckpoint.ts, a small sentiment-like TSV task over its 20-word vocabulary, and a
// resolved config with every method's defaults (as the key table gives them).

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExperimentConfig, MatrixName, MethodConfig, MethodKind } from '../../../../schemas/src/experimentConfig';
import type { TrainerMessage } from '../../../../schemas/src/trainerMessages';
import type { TrainingSink, TrainingState } from '../../../../server/src/training/loop';
import { seededRandom } from '../tinyEncoder';
import { writeTinyCheckpoint, type TinyCheckpoint } from '../tinyCheckpoint';

const WORDS = ['the', 'cat', 'sat', 'on', 'mat', 'a', 'dog', 'ran', '.', ',', 'play'];

/** Sentences labelled 1 when they mention "good" (or "movie"), so a model can learn something. */
function sentences(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = 2 + Math.floor(random() * 7);
    const words = Array.from({ length }, () => WORDS[Math.floor(random() * WORDS.length)]);
    const positive = random() < 0.5;
    if (positive) words.splice(Math.floor(random() * words.length), 0, random() < 0.5 ? 'good' : 'movie');
    rows.push(`${words.join(' ')}\t${positive ? 1 : 0}`);
  }
  return rows;
}

export interface TinyTask {
  checkpoint: TinyCheckpoint;
  dataDir: string;
  remove(): void;
}

export function writeTinyTask(options: { train?: number; dev?: number } = {}): TinyTask {
  const checkpoint = writeTinyCheckpoint('bert', 21);
  const dataDir = path.join(checkpoint.dir, 'data');
  fs.mkdirSync(dataDir);
  fs.writeFileSync(path.join(dataDir, 'train.tsv'), ['sentence\tlabel', ...sentences(options.train ?? 48, 5)].join('\n') + '\n');
  fs.writeFileSync(path.join(dataDir, 'dev.tsv'), ['sentence\tlabel', ...sentences(options.dev ?? 24, 6)].join('\n') + '\n');
  return { checkpoint, dataDir, remove: () => checkpoint.remove() };
}

const ALL_MATRICES: MatrixName[] = ['query', 'key', 'value', 'attention_output', 'intermediate', 'output'];

const common = () => ({
  blocks: [0, 1],
  matrices: [...ALL_MATRICES],
  select: [],
  max_grad_norm: 1,
  adam_beta1: 0.9,
  adam_beta2: 0.999,
  adam_epsilon: 1e-8,
});

export function defaultMethod(kind: MethodKind): MethodConfig {
  switch (kind) {
    case 'finetune':
      return { ...common(), kind, lr: 2e-5, also: ['pooler', 'head', 'embeddings'], weight_decay: 0.01, warmup: 0.1, schedule: 'linear', train_head: true };
    case 'mask':
      return {
        ...common(),
        kind,
        lr: 1e-3,
        also: ['pooler', 'head'],
        weight_decay: 0,
        warmup: 0,
        schedule: 'constant',
        threshold: 0.01,
        init_low: 0.02,
        initial_sparsity: 0.05,
        variant: 'threshold',
        target_sparsity: null,
        sparsity_schedule_end: 0.5,
        penalty_lr: 0.01,
      };
    case 'sparse_finetune':
      return {
        ...common(),
        kind,
        lr: 1e-3,
        also: [],
        weight_decay: 0,
        warmup: 0,
        schedule: 'constant',
        mode: 'topk',
        sparsity: 0.1,
        sparsity_schedule: 'constant',
        schedule_start: 0,
        schedule_end: 0.5,
        selection: 'topk',
        score_init: 'magnitude',
        train_head: true,
        head_lr: 2e-5,
      };
    case 'dsee':
      return {
        ...common(),
        matrices: ['query', 'value'],
        kind,
        lr: 2e-4,
        also: ['head'],
        weight_decay: 0.01,
        warmup: 0.1,
        schedule: 'linear',
        rank: 2,
        alpha: 4,
        sparse_entries: 6,
        support: 'grebsmo',
        prune: null,
      };
  }
}

/** Where a config points: a TinyTask, or any model folder and data folder. */
export type RunPaths = TinyTask | { modelDir: string; dataDir: string };

export function tinyRunConfig(paths: RunPaths, method: MethodConfig, train: Partial<ExperimentConfig['train']> = {}, evaluate: Partial<ExperimentConfig['evaluate']> = {}): ExperimentConfig {
  const ref = (p: string) => ({ ref: p, path: p });
  const task = 'checkpoint' in paths ? { modelDir: paths.checkpoint.dir, dataDir: paths.dataDir } : paths;
  return {
    schemaVersion: 1,
    name: 'tiny',
    experiment: 'tiny',
    source: { file: path.join(task.dataDir, 'tiny.masklab'), overrides: {} },
    model: { ref: task.modelDir, dir: task.modelDir },
    task: {
      kind: 'tsv',
      data: ref(task.dataDir),
      text: 'sentence',
      text_pair: null,
      label: 'label',
      labels: null,
      max_length: 12,
      max_examples: null,
      dev_examples: null,
      train: ref(path.join(task.dataDir, 'train.tsv')),
      dev: ref(path.join(task.dataDir, 'dev.tsv')),
    },
    method,
    train: { epochs: 2, batch: 8, seed: 7, max_steps: null, grad_accumulation: 1, checkpoint_every: { amount: 1000, unit: 'steps' }, dropout: 0.1, ...train },
    evaluate: { every: { amount: 4, unit: 'steps' }, metrics: ['accuracy', 'f1'], keep: 'best', split: 'dev', ...evaluate },
    device: { backend: 'cpu', require_gpu: false, threads: 1 },
  };
}

/** A sink that records everything; `abortAfter` aborts the controller once that step is reported. */
export class RecordingSink implements TrainingSink {
  readonly messages: TrainerMessage[] = [];
  readonly saved: TrainingState[] = [];

  emit(message: TrainerMessage): void {
    this.messages.push(message);
  }

  async saveState(_step: number, state: TrainingState): Promise<void> {
    this.saved.push(state);
  }

  ofType<T extends TrainerMessage['type']>(type: T): Extract<TrainerMessage, { type: T }>[] {
    return this.messages.filter((m): m is Extract<TrainerMessage, { type: T }> => m.type === type);
  }
}
