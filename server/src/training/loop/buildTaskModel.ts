// The model a run (or an artifact evaluation) starts from: the checkpoint's encoder on the chosen
// backend, with the run's dropout, and a classification head for the task's labels — the
// checkpoint's own when it has one of the right size, else a fresh one from the run's seed.

import type { ExperimentConfig } from '../../../../schemas/src/experimentConfig';
import { openCheckpoint, type Checkpoint } from '../../checkpoint';
import { selectBackend, type BackendInfo } from '../backend/selectBackend';
import { buildEncoder } from '../model/buildEncoder';
import { checkpointWeightSource } from '../model/checkpointWeights';
import { createClassifierHead, loadClassifierHead, type ClassifierHead } from '../model/classifierHead';
import { maxSequenceLength } from '../model/encoderConfig';
import type { WeightSource } from '../model/weightSource';
import { derivedSeed } from '../methods/seeds';
import type { HeadOrigin, TaskModel } from '../methods/taskModel';
import { loadTokenizer, type Tokenizer } from '../tokenizer';

export interface ModelSetup {
  checkpoint: Checkpoint;
  source: WeightSource;
  tokenizer: Tokenizer;
  backend: BackendInfo;
  /** Longest input the position table embeds. */
  maxLength: number;
}

/** Opens the checkpoint and tokenizer and selects the backend (weights are created on it). */
export async function openModel(config: ExperimentConfig, backendOverride?: ExperimentConfig['device']['backend']): Promise<ModelSetup> {
  const checkpoint = openCheckpoint(config.model.dir);
  const base = checkpointWeightSource(checkpoint);
  // `train.dropout` sets both of BERT's dropout rates (hidden states and attention weights).
  const dropout = config.train.dropout;
  const source: WeightSource = { ...base, config: { ...base.config, hiddenDropout: dropout, attentionDropout: dropout } };
  const tokenizer = loadTokenizer(config.model.dir);
  const backend = await selectBackend(backendOverride ?? config.device.backend, { requireGpu: config.device.require_gpu, threads: config.device.threads });
  return { checkpoint, source, tokenizer, backend, maxLength: maxSequenceLength(source.config) };
}

/** The head seed of a run: derived from train.seed, so it is stored as a number in the artifact. */
export function headSeedFor(seed: number): number {
  return derivedSeed(seed, 'head') & 0x7fffffff;
}

/**
 * Encoder + head. `head` forces the origin (artifact evaluation); by default the checkpoint's
 * head is used when it has `numLabels` outputs, else one is created from the seed.
 */
export function buildTaskModel(setup: ModelSetup, numLabels: number, seed: number, head?: HeadOrigin): TaskModel {
  const encoder = buildEncoder(setup.source, setup.backend);
  try {
    let classifier: ClassifierHead | null = null;
    let origin: HeadOrigin;
    if (head?.kind !== 'seed') {
      classifier = loadClassifierHead(setup.source);
      if (classifier && classifier.numLabels !== numLabels) {
        if (head?.kind === 'checkpoint') throw new Error(`${setup.checkpoint.dir}: the checkpoint's classification head has ${classifier.numLabels} labels, the task ${numLabels}`);
        classifier.dispose();
        classifier = null;
      }
      if (!classifier && head?.kind === 'checkpoint') throw new Error(`${setup.checkpoint.dir}: the artifact uses the checkpoint's classification head, but the checkpoint has none`);
    }
    if (classifier) {
      origin = { kind: 'checkpoint' };
    } else {
      const headSeed = head?.kind === 'seed' ? head.seed : headSeedFor(seed);
      classifier = createClassifierHead(setup.source.config, numLabels, headSeed);
      origin = { kind: 'seed', seed: headSeed };
    }
    return { encoder, head: classifier, headOrigin: origin, numLabels };
  } catch (error) {
    encoder.dispose();
    throw error;
  }
}

export function disposeTaskModel(model: TaskModel): void {
  model.encoder.dispose();
  model.head.dispose();
}
