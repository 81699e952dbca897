// One training run from its resolved config: the loop over optimiser steps, evaluations,
// checkpoints, cancellation and failure. runTraining.ts is its public face.

import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig } from '../../../../schemas/src/experimentConfig';
import { requireGradients } from '../backend/registerGradients';
import { createMethod } from '../methods/createMethod';
import { derivedRandom } from '../methods/seeds';
import type { TaskArtifactParts } from '../methods/taskArtifact';
import { TrainingFailedError, type MetricsAt, type TrainingOptions, type TrainingResult, type TrainingSink } from './trainingContract';
import { countModelParameters, type TaskModel } from '../methods/taskModel';
import type { TrainingMethod } from '../methods/trainingMethod';
import { AdamW } from '../optim/adamW';
import { lrMultiplier, type ScheduleSpec } from '../optim/lrSchedule';
import { durationToSteps, isDuration, pointToSteps, totalSteps } from '../optim/runPoints';
import { BatchPlan } from './batchPlan';
import { buildTaskModel, disposeTaskModel, openModel, type ModelSetup } from './buildTaskModel';
import { evaluateExamples } from './evaluateModel';
import { ProgressReporter } from './progress';
import { artifactSparsity } from './sparsityReport';
import { loadTaskData, type TaskData } from './taskData';
import { TaskForward, taskLoss } from './taskForward';
import {
  TRAINING_STATE_VERSION,
  artifactFromTensors,
  artifactToTensors,
  methodStateFrom,
  prefixed,
  tensorsUnder,
  type TrainingState,
} from './trainingState';

/** Whether length bucketing shapes the batches (recorded in checkpoints; see batchPlan.ts). */
const LENGTH_BUCKETING = true;

interface Stage {
  index: number;
  start: number;
  steps: number;
  schedule: ScheduleSpec;
}

export class TrainingSession {
  private optimizer: AdamW | null = null;
  private forward: TaskForward;
  private best: MetricsAt | null = null;
  private bestArtifact: TaskArtifactParts | null = null;
  private final: MetricsAt | null = null;
  private stage = 1;
  private readonly warned = new Set<string>();
  /** Warnings raised before `started` was emitted, sent right after it. */
  private pending: string[] | null = [];
  private progress!: ProgressReporter;
  private examplesDone = 0;
  private lossSum = 0;
  private lossCount = 0;
  private gradNorm = 0;

  private constructor(
    private readonly config: ExperimentConfig,
    private readonly sink: TrainingSink,
    private readonly options: TrainingOptions,
    private readonly setup: ModelSetup,
    private readonly data: TaskData,
    private readonly model: TaskModel,
    private readonly plan: BatchPlan,
    private readonly stages: Stage[],
    private readonly method: TrainingMethod,
  ) {
    this.forward = new TaskForward(model, data.padId);
  }

  static async open(config: ExperimentConfig, sink: TrainingSink, options: TrainingOptions): Promise<TrainingSession> {
    const setup = await openModel(config);
    requireGradients();
    const data = await loadTaskData(config, setup.tokenizer, setup.maxLength);
    const { train } = config;
    const plan = new BatchPlan(
      data.train.map((e) => e.ids.length),
      { batch: train.batch, accumulation: train.grad_accumulation, seed: train.seed, lengthBucketing: LENGTH_BUCKETING },
    );
    const first = totalSteps(plan.stepsPerEpoch, train.epochs, train.max_steps);
    const prune = config.method.kind === 'dsee' ? config.method.prune : null;
    const stages: Stage[] = [{ index: 1, start: 0, steps: first, schedule: scheduleFor(config, plan.stepsPerEpoch, first) }];
    if (prune) {
      const retune = durationToSteps(prune.retune, plan.stepsPerEpoch);
      stages.push({ index: 2, start: first, steps: retune, schedule: scheduleFor(config, plan.stepsPerEpoch, retune) });
    }
    const model = buildTaskModel(setup, data.numLabels, train.seed);
    let method: TrainingMethod | null = null;
    try {
      const warnings: string[] = [];
      method = createMethod({
        config,
        model,
        seed: train.seed,
        stepsPerEpoch: plan.stepsPerEpoch,
        totalSteps: first,
        warn: (message) => warnings.push(message),
      });
      const session = new TrainingSession(config, sink, options, setup, data, model, plan, stages, method);
      if (setup.backend.nativeWarning) session.warn(setup.backend.nativeWarning);
      for (const warning of warnings) session.warn(warning);
      return session;
    } catch (error) {
      method?.dispose();
      disposeTaskModel(model);
      throw error;
    }
  }

  get totalSteps(): number {
    const last = this.stages[this.stages.length - 1];
    return last.start + last.steps;
  }

  private warn(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    if (this.pending) this.pending.push(message);
    else this.sink.emit({ type: 'warning', runId: this.options.runId, message });
  }

  private stageAt(step: number): Stage {
    return [...this.stages].reverse().find((s) => step >= s.start) ?? this.stages[0];
  }

  private newOptimizer(): void {
    this.optimizer?.dispose();
    const m = this.config.method;
    this.optimizer = new AdamW(this.method.paramGroups(), { beta1: m.adam_beta1, beta2: m.adam_beta2, epsilon: m.adam_epsilon, maxGradNorm: m.max_grad_norm });
  }

  private restore(state: TrainingState): void {
    const meta = state.meta;
    if (meta.version !== TRAINING_STATE_VERSION) throw new Error(`the checkpoint has state version ${String(meta.version)}; this trainer reads version ${TRAINING_STATE_VERSION}`);
    if (meta.kind !== this.config.method.kind) throw new Error(`the checkpoint was saved by a ${String(meta.kind)} run, but this run's method is ${this.config.method.kind}`);
    if (meta.fingerprint !== fingerprint(this.config)) {
      this.warn('the configuration differs from the one the checkpoint was saved with; the resumed run will not match an uninterrupted one');
    }
    const methodState = methodStateFrom(state);
    if (meta.stage === 2) {
      this.method.enterStage?.(2, methodState);
      this.stage = 2;
    }
    this.method.importState(methodState);
    this.newOptimizer();
    this.optimizer?.importState(tensorsUnder(state.tensors, 'optim/'), Number(meta.optimizerUpdates ?? 0));
    this.best = (meta.best as MetricsAt | null) ?? null;
    this.final = (meta.final as MetricsAt | null) ?? null;
    this.bestArtifact = meta.bestArtifact ? artifactFromTensors(state.tensors, meta.bestArtifact, 'kept/') : null;
  }

  private state(step: number): TrainingState {
    const methodState = this.method.exportState();
    const optim = this.optimizer?.exportState() ?? { tensors: {}, updates: 0 };
    const kept = this.bestArtifact ? artifactToTensors(this.bestArtifact, 'kept/') : null;
    return {
      step,
      epoch: step / this.plan.stepsPerEpoch,
      tensors: { ...prefixed(methodState.tensors, 'method/'), ...prefixed(optim.tensors, 'optim/'), ...(kept?.tensors ?? {}) },
      meta: {
        version: TRAINING_STATE_VERSION,
        kind: this.config.method.kind,
        fingerprint: fingerprint(this.config),
        seed: this.config.train.seed,
        stage: this.stage,
        method: methodState.meta,
        optimizerUpdates: optim.updates,
        best: this.best,
        final: this.final,
        bestArtifact: kept?.layout ?? null,
        elapsedSeconds: this.progress.elapsedSeconds(),
        lengthBucketing: LENGTH_BUCKETING,
      },
    };
  }

  private async checkpoint(step: number): Promise<void> {
    await this.sink.saveState(step, this.state(step));
    this.sink.emit({ type: 'checkpoint', runId: this.options.runId, step });
  }

  private fail(message: string, details: TrainingFailedError['details']): never {
    this.sink.emit({ type: 'failed', runId: this.options.runId, message, step: details.step, file: details.file, line: details.line });
    throw new TrainingFailedError(message, details);
  }

  async run(): Promise<TrainingResult> {
    const { runId, resume, signal } = this.options;
    const config = this.config;
    let step = 0;
    if (resume) {
      this.restore(resume);
      step = resume.step;
    } else {
      this.newOptimizer();
    }
    const total = this.totalSteps;
    const elapsedBefore = resume && typeof resume.meta.elapsedSeconds === 'number' ? resume.meta.elapsedSeconds : 0;
    this.progress = new ProgressReporter(runId, total, this.plan.stepsPerEpoch, step, elapsedBefore);
    this.sink.emit({
      type: 'started',
      runId,
      backend: { name: this.setup.backend.name, device: this.setup.backend.device.toUpperCase(), detail: this.setup.backend.detail },
      parameters: countModelParameters(this.model),
      trainable: this.method.trainableCount(),
      stepsTotal: total,
      epochs: total / this.plan.stepsPerEpoch,
      examples: { train: this.data.train.length, dev: this.data.evaluation.length },
      ...(resume ? { resumedFromStep: resume.step } : {}),
    });
    for (const message of this.pending ?? []) this.sink.emit({ type: 'warning', runId, message });
    this.pending = null;
    const evaluateEvery = durationToSteps(config.evaluate.every, this.plan.stepsPerEpoch);
    const checkpointEvery = durationToSteps(config.train.checkpoint_every, this.plan.stepsPerEpoch);
    const logEvery = Math.max(1, Math.min(evaluateEvery, Math.ceil(total / 200)));
    let evaluatedAt = resume && this.final ? this.final.step : -1;
    this.usePrefix();

    while (step < total) {
      if (signal?.aborted) return this.cancel(step);
      const stage = this.stageAt(step);
      if (stage.index > this.stage) {
        this.method.enterStage?.(stage.index);
        this.stage = stage.index;
        this.newOptimizer();
        // The kept model of a pruning run is a pruned one: the best is sought anew.
        this.best = null;
        this.bestArtifact = null;
        this.usePrefix();
      }
      const multiplier = lrMultiplier(step - stage.start, stage.schedule);
      this.trainStep(step, multiplier);
      step += 1;
      this.options.onStepEnd?.(step);
      if (step % logEvery === 0 || step === total) this.emitTrainMetrics(step, multiplier);
      if (step % evaluateEvery === 0 || step === total) {
        this.evaluate(step);
        evaluatedAt = step;
      }
      if (step % checkpointEvery === 0 || step === total) await this.checkpoint(step);
      const message = this.progress.update(step, this.examplesDone, step === total);
      if (message) this.sink.emit(message);
      // Lets IPC messages (cancel) and timers in between steps.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (evaluatedAt !== step) {
      this.evaluate(step);
      await this.checkpoint(step);
    }
    this.sink.emit({ type: 'finished', runId, outcome: 'completed', step });
    return this.result('completed', step);
  }

  private usePrefix(): void {
    if (this.options.prefixCache === false) return;
    const first = this.method.firstChangedBlock();
    // Training set first, then the evaluated set on its own, as evaluateArtifact fills it.
    this.forward.usePrefix(first, this.data.train, this.config.train.batch);
    this.forward.usePrefix(first, this.data.evaluation, this.config.train.batch);
  }

  private trainStep(step: number, multiplier: number): void {
    const optimizer = this.optimizer as AdamW;
    this.method.beginStep(step);
    const batches = this.plan.stepBatches(step).map((indices) => indices.map((i) => this.data.train[i]));
    const examples = batches.reduce((sum, b) => sum + b.length, 0);
    const variables = this.method.paramGroups().flatMap((g) => g.variables);
    let loss: tf.Scalar = tf.scalar(0);
    batches.forEach((batch, micro) => {
      const random = derivedRandom(this.config.train.seed, 'dropout', step, micro);
      const nextSeed = () => Math.floor(random() * 2147483647);
      const labels = batch.map((e) => e.label);
      // Each micro-batch's mean loss weighted by its share of the step: the gradient of the
      // step's mean loss, as if the whole step were one batch.
      const weight = batch.length / examples;
      const { value, grads } = tf.variableGrads(() => {
        const logits = this.forward.logits(batch, { training: true, nextSeed });
        return tf.mul(taskLoss(logits, labels, this.data.regression), weight) as tf.Scalar;
      }, variables);
      optimizer.accumulate(grads);
      tf.dispose(grads);
      const summed = tf.add(loss, value) as tf.Scalar;
      loss.dispose();
      value.dispose();
      loss = summed;
    });
    this.method.addPenaltyGradients(optimizer, step);
    const norm = optimizer.gradientNorm();
    const both = tf.stack([loss, norm]);
    const [lossValue, normValue] = Array.from(both.dataSync());
    both.dispose();
    loss.dispose();
    if (!Number.isFinite(lossValue) || !Number.isFinite(normValue)) {
      norm.dispose();
      optimizer.discardGradients();
      const what = !Number.isFinite(lossValue) ? `the training loss is ${lossValue}` : `the gradient norm is ${normValue}`;
      this.fail(
        `step ${step + 1}: ${what}, so the run stopped before applying the update; the last checkpoint saved before it is kept. ` +
          `Try a lower method.lr (now ${this.config.method.lr}) or gradient clipping (method.max_grad_norm, now ${this.config.method.max_grad_norm}).`,
        { step: step + 1 },
      );
    }
    optimizer.apply(multiplier, norm);
    norm.dispose();
    this.method.endStep(step);
    this.lossSum += lossValue;
    this.lossCount += 1;
    this.gradNorm = normValue;
    this.examplesDone += examples;
  }

  private emitTrainMetrics(step: number, multiplier: number): void {
    const values: Record<string, number> = {
      loss: this.lossSum / Math.max(1, this.lossCount),
      lr: this.config.method.lr * multiplier,
      grad_norm: this.gradNorm,
      ...this.method.trainMetrics(),
    };
    this.lossSum = 0;
    this.lossCount = 0;
    this.sink.emit({ type: 'metrics', runId: this.options.runId, step, epoch: step / this.plan.stepsPerEpoch, time: this.progress.elapsedSeconds(), split: 'train', values });
  }

  private evaluate(step: number): void {
    const { config, data } = this;
    this.method.beginEvaluation(step);
    const result = evaluateExamples(this.forward, data.evaluation, {
      metrics: config.evaluate.metrics,
      numLabels: data.numLabels,
      regression: data.regression,
      batch: config.train.batch,
    });
    for (const warning of result.warnings) this.warn(`evaluation at step ${step}: ${warning}`);
    const at: MetricsAt = { step, epoch: step / this.plan.stepsPerEpoch, values: result.values };
    this.sink.emit({
      type: 'metrics',
      runId: this.options.runId,
      step,
      epoch: at.epoch,
      time: this.progress.elapsedSeconds(),
      split: data.evaluationSplit,
      values: result.values,
    });
    const matrices = this.method.snapshot();
    if (matrices.length > 0) this.sink.emit({ type: 'mask-snapshot', runId: this.options.runId, step, matrices });
    this.final = at;
    if (isBetter(at, this.best, config.evaluate.metrics[0])) {
      this.best = at;
      // Only `keep best` needs the parts at the best evaluation; `keep last` takes them at the end.
      if (config.evaluate.keep === 'best') this.bestArtifact = this.method.artifact();
    }
  }

  private async cancel(step: number): Promise<TrainingResult> {
    await this.checkpoint(step);
    this.sink.emit({ type: 'finished', runId: this.options.runId, outcome: 'cancelled', step });
    return this.result('cancelled', step);
  }

  private result(outcome: 'completed' | 'cancelled', step: number): TrainingResult {
    this.method.beginEvaluation(step);
    const artifact = this.config.evaluate.keep === 'best' && this.bestArtifact ? this.bestArtifact : this.method.artifact();
    return {
      outcome,
      step,
      best: this.best,
      final: this.final,
      sparsity: artifactSparsity(artifact, this.model),
      trainableParameters: this.method.trainableCount(),
      artifact,
    };
  }

  dispose(): void {
    this.optimizer?.dispose();
    this.forward.dropPrefix();
    this.method.dispose();
    disposeTaskModel(this.model);
  }
}

function isBetter(candidate: MetricsAt, best: MetricsAt | null, primary: string): boolean {
  if (!best) return true;
  const value = (m: MetricsAt) => (Number.isFinite(m.values[primary]) ? m.values[primary] : -Infinity);
  return value(candidate) > value(best);
}

function scheduleFor(config: ExperimentConfig, stepsPerEpoch: number, steps: number): ScheduleSpec {
  const warmup = config.method.warmup;
  const warmupSteps = isDuration(warmup) ? Math.min(steps, durationToSteps(warmup, stepsPerEpoch)) : pointToSteps(warmup, { stepsPerEpoch, totalSteps: steps });
  return { kind: config.method.schedule, warmupSteps, totalSteps: steps };
}

/** What makes two runs the same computation (not how often they evaluate or checkpoint). */
export function fingerprint(config: ExperimentConfig): string {
  const { checkpoint_every: _checkpointEvery, ...train } = config.train;
  void _checkpointEvery;
  return JSON.stringify({ model: config.model.dir, task: config.task, method: config.method, train });
}
