// Which metrics a task reports, and computing them in one go. GLUE's conventions: CoLA →
// Matthews correlation; MRPC → F1 and accuracy; STS-B → Pearson and Spearman; every other task
// (SST-2, RTE, QNLI, MNLI, QQP) → accuracy. The first metric listed is the one to pick the best
// checkpoint by.

import type { MetricName } from '../../../../schemas/src/experimentConfig';
import { accuracy, binaryF1, macroF1, matthewsCorrelation } from './classification';
import { correlationIsDegenerate, pearson, spearman } from './correlation';

export type { MetricName };

export interface TaskMetrics {
  metrics: MetricName[];
  /** The metric that ranks checkpoints. */
  primary: MetricName;
}

/**
 * The GLUE convention for `taskName`; for a task that is not GLUE, accuracy for classification
 * and Pearson + Spearman for regression.
 */
export function metricsForTask(taskName: string, options: { regression?: boolean } = {}): TaskMetrics {
  const metrics: MetricName[] =
    taskName === 'cola'
      ? ['mcc']
      : taskName === 'mrpc' || taskName === 'qqp'
        ? ['f1', 'accuracy']
        : taskName === 'stsb' || options.regression === true
          ? ['pearson', 'spearman']
          : ['accuracy'];
  return { metrics, primary: metrics[0] };
}

export interface MetricsResult {
  values: Partial<Record<MetricName, number>>;
  /** Degenerate cases worth telling the user about (a constant prediction, non-finite outputs). */
  warnings: string[];
}

/**
 * Scores `predictions` against `labels`: class indices for classification (F1 is binary with
 * class 1 positive when there are at most two classes, macro-averaged otherwise), target values
 * for regression.
 */
export function computeMetrics(
  metrics: readonly MetricName[],
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: { numClasses?: number } = {},
): MetricsResult {
  const values: Partial<Record<MetricName, number>> = {};
  const warnings: string[] = [];
  for (const metric of metrics) {
    switch (metric) {
      case 'accuracy':
        values.accuracy = accuracy(predictions, labels);
        break;
      case 'f1':
        values.f1 = (options.numClasses ?? distinctCount(labels, predictions)) > 2 ? macroF1(predictions, labels) : binaryF1(predictions, labels);
        break;
      case 'mcc':
        values.mcc = matthewsCorrelation(predictions, labels);
        if (distinctCount(predictions) === 1) warnings.push(`mcc: every prediction is class ${predictions[0]}; MCC is reported as 0.`);
        break;
      case 'pearson':
      case 'spearman': {
        values[metric] = metric === 'pearson' ? pearson(predictions, labels) : spearman(predictions, labels);
        if (Number.isNaN(values[metric])) warnings.push(`${metric}: some predictions or labels are not finite numbers (a diverged model?); reported as NaN.`);
        else if (correlationIsDegenerate(predictions, labels)) warnings.push(`${metric}: the ${isConstantLike(predictions) ? 'predictions are' : 'labels are'} constant, so the correlation is undefined; reported as 0.`);
        break;
      }
    }
  }
  return { values, warnings };
}

function distinctCount(...arrays: ArrayLike<number>[]): number {
  const seen = new Set<number>();
  for (const array of arrays) for (let i = 0; i < array.length; i++) seen.add(array[i]);
  return seen.size;
}

function isConstantLike(values: ArrayLike<number>): boolean {
  return distinctCount(values) <= 1;
}
