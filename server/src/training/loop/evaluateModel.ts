// One evaluation pass: loss and the task's metrics over an example set, with every metric a
// fraction. Effective weights (W ⊙ M, W + ΔW, …) are computed once for the whole pass, not once
// per batch, and the batches are length-sorted so little of the pass is padding.

import * as tf from '@tensorflow/tfjs-core';
import type { MetricName } from '../../../../schemas/src/experimentConfig';
import { computeMetrics } from '../metrics';
import { allLinears, type TaskModel } from '../methods/taskModel';
import type { WeightTransform } from '../model/linear';
import { evaluationBatches } from './batchPlan';
import type { EncodedExample } from './taskData';
import { exampleLoss, type TaskForward } from './taskForward';

export interface EvaluationOptions {
  metrics: readonly MetricName[];
  numLabels: number;
  regression: boolean;
  batch: number;
}

export interface EvaluationResult {
  /** `loss` and each metric. */
  values: Record<string, number>;
  warnings: string[];
}

/**
 * Replaces every weight transform by its value, computed now, for the duration of `body`: an
 * evaluation pass then multiplies by fixed matrices. Restores the transforms afterwards.
 */
export function withFixedWeights<T>(model: TaskModel, body: () => T): T {
  const restore: Array<() => void> = [];
  try {
    for (const linear of allLinears(model)) {
      const transform = linear.weightTransform;
      if (!transform) continue;
      // A clone shares the data but has its own handle: disposing it later never frees a
      // tensor the transform owns (a trained copy, a precomputed W ⊙ M).
      const fixed = tf.tidy(() => tf.clone(linear.effectiveWeight()));
      const fixedTransform: WeightTransform = () => fixed;
      linear.setWeightTransform(fixedTransform);
      restore.push(() => {
        linear.setWeightTransform(transform);
        fixed.dispose();
      });
    }
    return body();
  } finally {
    for (const undo of restore.reverse()) undo();
  }
}

export function evaluateExamples(forward: TaskForward, examples: readonly EncodedExample[], options: EvaluationOptions): EvaluationResult {
  const { numLabels, regression } = options;
  const predictions = new Float64Array(examples.length);
  let lossSum = 0;
  withFixedWeights(forward.model, () => {
    for (const indices of evaluationBatches(
      examples.map((e) => e.ids.length),
      options.batch,
    )) {
      const batch = indices.map((i) => examples[i]);
      const logits = forward.logits(batch, { training: false });
      const values = logits.dataSync();
      logits.dispose();
      indices.forEach((exampleIndex, row) => {
        const scores = values.subarray(row * numLabels, (row + 1) * numLabels);
        lossSum += exampleLoss(scores, examples[exampleIndex].label, regression);
        predictions[exampleIndex] = regression ? scores[0] : argmax(scores);
      });
    }
  });
  const labels = examples.map((e) => e.label);
  const result = computeMetrics(options.metrics, predictions, labels, { numClasses: regression ? undefined : numLabels });
  const values: Record<string, number> = { loss: lossSum / Math.max(1, examples.length) };
  for (const metric of options.metrics) {
    const value = result.values[metric];
    if (value !== undefined) values[metric] = value;
  }
  return { values, warnings: result.warnings };
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
