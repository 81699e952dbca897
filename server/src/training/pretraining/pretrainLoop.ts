// The masked-language-modelling loop: length-bucketed batches of a token corpus, BERT's 15 %
// corruption drawn afresh for every batch, the masked-LM loss, AdamW with warm-up and linear
// decay and gradient clipping, progress reports (percent, steps/s, ETA) and a held-out loss
// under one fixed corruption, so evaluations at different steps are comparable.
//
// Everything random derives from `seed` (batch order, corruption, dropout), so two runs with the
// same seed, corpus and backend produce the same weights.

import * as tf from '@tensorflow/tfjs-core';
import { requireGradients } from '../backend/registerGradients';
import { disposeBatch, padBatch } from '../model/batch';
import { maxSequenceLength } from '../model/encoderConfig';
import { AdamW } from '../optim/adamW';
import { lrMultiplier, type ScheduleSpec } from '../optim/lrSchedule';
import { createRandom, type Random } from '../random';
import { lengthBucketedBatches } from './lengthBuckets';
import { gatherPositions, maskedLmLoss } from './maskedLmHead';
import type { MaskedLmModel } from './maskedLmModel';
import { checkMaskingSpec, maskSequence, type MaskedSequence, type MaskingSpec } from './maskTokens';
import { useUntransposedMatMulGradient } from './untransposedMatMulGradient';

export interface PretrainCorpus {
  /** Encoded sequences, special tokens included ([CLS] … [SEP]), unpadded. */
  train: ReadonlyArray<readonly number[]>;
  /** Sequences never trained on; their loss is the run's yardstick. */
  heldOut: ReadonlyArray<readonly number[]>;
}

export interface PretrainOptions {
  /** Optimiser steps of the whole run (epochs follow from the corpus size). */
  steps: number;
  batchSize: number;
  /** Peak learning rate, reached at the end of warm-up and decayed linearly to 0 at `steps`. */
  peakLr: number;
  warmupSteps: number;
  /** Decoupled weight decay of matrices and embedding tables (biases and LayerNorm: none). */
  weightDecay: number;
  /** Global gradient-norm clipping; 0 switches it off. */
  maxGradNorm: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  seed: number;
  masking: MaskingSpec;
  /** Id padded batches are filled with. */
  padId: number;
  /**
   * Evaluate 2-D matrix-product gradients with explicit transposes (faster on wasm; see
   * untransposedMatMulGradient.ts). Default true; the process's previous gradient is restored after the run.
   */
  untransposedGradients?: boolean;
  /** Dropout at the config's rates while training (default off: small synthetic corpora do not need it and it costs time). */
  dropout?: boolean;
  /** Held-out evaluation every this many steps (0: only at the end; the end is always evaluated). */
  evaluateEvery: number;
  /** Seconds between progress reports (default 10); the last step is always reported. */
  progressEverySeconds?: number;
  onProgress?: (progress: PretrainProgress) => void;
  onEvaluation?: (evaluation: HeldOutEvaluation) => void;
  /** Milliseconds clock (tests pass a fake one). */
  now?: () => number;
}

export interface PretrainProgress {
  step: number;
  steps: number;
  epoch: number;
  /** Mean training loss of the steps since the previous report. */
  loss: number;
  /** Learning rate of the last step. */
  lr: number;
  stepsPerSecond: number;
  elapsedSeconds: number;
  /** Seconds left at the rate so far (held-out evaluations included). */
  etaSeconds: number;
}

export interface HeldOutEvaluation {
  step: number;
  /** Mean cross-entropy per predicted token (nats). */
  loss: number;
  /** Share of predicted tokens whose most likely word is the original. */
  accuracy: number;
  /** Tokens predicted. */
  predictions: number;
}

export interface PretrainResult {
  steps: number;
  seconds: number;
  evaluations: HeldOutEvaluation[];
  final: HeldOutEvaluation;
}

/** Seeds of the run's independent random streams, derived from its seed. */
function streamSeed(seed: number, purpose: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x01000193) + Math.imul(purpose, 0x9e3779b1)) >>> 0;
}

const STREAMS = { corruption: 1, heldOut: 2, dropout: 3 } as const;

/** A padded batch with its corruption, as tensors. */
interface BatchTensors {
  batch: ReturnType<typeof padBatch>;
  positions: tf.Tensor1D;
  labels: tf.Tensor1D;
  count: number;
}

function toTensors(masked: readonly MaskedSequence[], padId: number): BatchTensors {
  const batch = padBatch(masked.map((m) => ({ ids: m.inputIds })), padId);
  const length = batch.inputIds.shape[1];
  const positions: number[] = [];
  const labels: number[] = [];
  masked.forEach((m, row) => {
    m.positions.forEach((p, i) => {
      positions.push(row * length + p);
      labels.push(m.labels[i]);
    });
  });
  return { batch, positions: tf.tensor1d(positions, 'int32'), labels: tf.tensor1d(labels, 'int32'), count: positions.length };
}

function disposeTensors(t: BatchTensors): void {
  disposeBatch(t.batch);
  t.positions.dispose();
  t.labels.dispose();
}

function checkCorpus(model: MaskedLmModel, corpus: PretrainCorpus): void {
  const longest = maxSequenceLength(model.config);
  for (const [name, sequences] of [['train', corpus.train], ['held-out', corpus.heldOut]] as const) {
    if (sequences.length === 0) throw new Error(`the ${name} corpus is empty`);
    const index = sequences.findIndex((s) => s.length > longest || s.length < 3);
    if (index >= 0) {
      throw new Error(`${name} sequence ${index} has ${sequences[index].length} tokens; sequences need 3 to ${longest} tokens ([CLS], at least one word, [SEP]) for this model`);
    }
  }
}

/** The masked-LM loss of one corrupted batch; used by training (under variableGrads) and evaluation. */
function batchLoss(model: MaskedLmModel, t: BatchTensors, training: boolean, nextSeed?: () => number): { loss: tf.Scalar; logits: tf.Tensor2D } {
  const { hidden } = model.encoder.forward(t.batch, { training, nextSeed, pool: false });
  const rows = gatherPositions(hidden, t.positions);
  hidden.dispose();
  const logits = model.head.logits(rows);
  rows.dispose();
  return { loss: maskedLmLoss(logits, t.labels), logits };
}

/** Held-out loss and accuracy under a corruption fixed for the whole run. */
export function evaluateHeldOut(model: MaskedLmModel, heldOut: readonly MaskedSequence[], batchSize: number, padId: number, step: number): HeldOutEvaluation {
  let lossSum = 0;
  let correct = 0;
  let predictions = 0;
  // Sorted by length so batches carry little padding; evaluation order does not change the sums' meaning.
  const order = heldOut.map((_, i) => i).sort((a, b) => heldOut[a].inputIds.length - heldOut[b].inputIds.length);
  for (let start = 0; start < order.length; start += batchSize) {
    const t = toTensors(order.slice(start, start + batchSize).map((i) => heldOut[i]), padId);
    try {
      const sums = tf.tidy(() => {
        const { loss, logits } = batchLoss(model, t, false);
        const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), t.labels), 'float32'));
        return tf.stack([tf.mul(loss, t.count), hits]);
      });
      const [lossTotal, hits] = Array.from(sums.dataSync());
      sums.dispose();
      lossSum += lossTotal;
      correct += hits;
      predictions += t.count;
    } finally {
      disposeTensors(t);
    }
  }
  return { step, loss: lossSum / predictions, accuracy: correct / predictions, predictions };
}

/** A fixed corruption of the held-out sequences (the same for every evaluation of a run). */
export function fixedCorruption(sequences: ReadonlyArray<readonly number[]>, masking: MaskingSpec, random: Random): MaskedSequence[] {
  return sequences.map((ids) => maskSequence(ids, masking, random));
}

/**
 * Trains `model` in place. Throws when the loss or gradient becomes non-finite (naming the step
 * and the learning rate to lower); the model then holds the weights of the last good step.
 */
export async function pretrainMaskedLm(model: MaskedLmModel, corpus: PretrainCorpus, options: PretrainOptions): Promise<PretrainResult> {
  requireGradients();
  checkMaskingSpec(options.masking);
  checkCorpus(model, corpus);
  if (!Number.isInteger(options.steps) || options.steps < 1) throw new RangeError(`steps must be a positive integer, got ${options.steps}`);
  const now = options.now ?? (() => performance.now());
  const parameters = model.parameters;
  const optimizer = new AdamW(
    [
      { name: 'decay', variables: parameters.filter((p) => p.decay).map((p) => p.variable), lr: options.peakLr, weightDecay: options.weightDecay },
      { name: 'no_decay', variables: parameters.filter((p) => !p.decay).map((p) => p.variable), lr: options.peakLr, weightDecay: 0 },
    ],
    { beta1: options.beta1 ?? 0.9, beta2: options.beta2 ?? 0.999, epsilon: options.epsilon ?? 1e-6, maxGradNorm: options.maxGradNorm },
  );
  const schedule: ScheduleSpec = { kind: 'linear', warmupSteps: options.warmupSteps, totalSteps: options.steps };
  const corruption = createRandom(streamSeed(options.seed, STREAMS.corruption));
  const dropoutRandom = createRandom(streamSeed(options.seed, STREAMS.dropout));
  const nextSeed = () => Math.floor(dropoutRandom() * 2147483647);
  const heldOut = fixedCorruption(corpus.heldOut, options.masking, createRandom(streamSeed(options.seed, STREAMS.heldOut)));
  const lengths = corpus.train.map((s) => s.length);
  const variables = model.variables();
  const progressEvery = (options.progressEverySeconds ?? 10) * 1000;
  const evaluations: HeldOutEvaluation[] = [];
  const evaluate = (step: number) => {
    const evaluation = evaluateHeldOut(model, heldOut, Math.max(options.batchSize, 64), options.padId, step);
    evaluations.push(evaluation);
    options.onEvaluation?.(evaluation);
  };

  const restoreGradient = options.untransposedGradients === false ? null : useUntransposedMatMulGradient();
  const started = now();
  let lastReport = started;
  let lossSum = 0;
  let lossSteps = 0;
  let epoch = 0;
  let batches = lengthBucketedBatches(lengths, options.batchSize, options.seed, epoch);
  let next = 0;
  try {
    for (let step = 0; step < options.steps; step++) {
      if (next >= batches.length) {
        epoch += 1;
        batches = lengthBucketedBatches(lengths, options.batchSize, options.seed, epoch);
        next = 0;
      }
      const members = batches[next++];
      const t = toTensors(members.map((i) => maskSequence(corpus.train[i], options.masking, corruption)), options.padId);
      let lossValue: number;
      let normValue: number;
      const multiplier = lrMultiplier(step, schedule);
      try {
        const { value, grads } = tf.variableGrads(() => {
          const { loss, logits } = batchLoss(model, t, options.dropout === true, nextSeed);
          logits.dispose();
          return loss;
        }, variables);
        optimizer.accumulate(grads);
        tf.dispose(grads);
        const norm = optimizer.gradientNorm();
        const both = tf.stack([value, norm]);
        [lossValue, normValue] = Array.from(both.dataSync());
        both.dispose();
        value.dispose();
        if (!Number.isFinite(lossValue) || !Number.isFinite(normValue)) {
          norm.dispose();
          optimizer.discardGradients();
          throw new Error(
            `pretraining step ${step + 1}: the ${Number.isFinite(lossValue) ? 'gradient norm' : 'loss'} is ${Number.isFinite(lossValue) ? normValue : lossValue}; ` +
              `lower the peak learning rate (now ${options.peakLr}) or clip gradients (max grad norm now ${options.maxGradNorm})`,
          );
        }
        optimizer.apply(multiplier, norm);
        norm.dispose();
      } finally {
        disposeTensors(t);
      }
      lossSum += lossValue;
      lossSteps += 1;
      const done = step + 1;
      if (options.evaluateEvery > 0 && done % options.evaluateEvery === 0 && done < options.steps) evaluate(done);
      const time = now();
      if (time - lastReport >= progressEvery || done === options.steps) {
        const elapsedSeconds = (time - started) / 1000;
        const stepsPerSecond = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
        options.onProgress?.({
          step: done,
          steps: options.steps,
          epoch: epoch + next / batches.length,
          loss: lossSum / lossSteps,
          lr: options.peakLr * multiplier,
          stepsPerSecond,
          elapsedSeconds,
          etaSeconds: stepsPerSecond > 0 ? (options.steps - done) / stepsPerSecond : 0,
        });
        lastReport = time;
        lossSum = 0;
        lossSteps = 0;
        // Let pending output (progress lines, signals) through between steps.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    evaluate(options.steps);
  } finally {
    optimizer.dispose();
    restoreGradient?.();
  }
  return { steps: options.steps, seconds: (now() - started) / 1000, evaluations, final: evaluations[evaluations.length - 1] };
}
