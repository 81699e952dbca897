// Every metric against values worked out by hand (the arithmetic is in the comments).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accuracy,
  averageRanks,
  binaryF1,
  computeMetrics,
  macroF1,
  matthewsCorrelation,
  metricsForTask,
  pearson,
  spearman,
} from '../../../../server/src/training/metrics';

const close = (actual: number | undefined, expected: number, what = '') => {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-12, `${what} expected ${expected}, got ${actual}`);
};

// Binary case used throughout:
//   i:     0  1  2  3  4
//   pred:  1  0  1  1  0
//   gold:  1  1  1  0  0
// TP = {0, 2} = 2, FN = {1} = 1, FP = {3} = 1, TN = {4} = 1.
const PRED = [1, 0, 1, 1, 0];
const GOLD = [1, 1, 1, 0, 0];

describe('classification metrics', () => {
  test('accuracy: 3 of 5 correct = 0.6', () => {
    close(accuracy(PRED, GOLD), 0.6);
  });

  test('binary F1 (positive = 1): 2·TP / (2·TP + FP + FN) = 4 / 6', () => {
    close(binaryF1(PRED, GOLD), 4 / 6);
    // Positive = 0: TP = {4} = 1, FP = {1} = 1, FN = {3} = 1 → 2 / 4.
    close(binaryF1(PRED, GOLD, 0), 0.5);
  });

  test('binary MCC: (TP·TN − FP·FN) / √((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (2 − 1) / √(3·3·2·2) = 1/6', () => {
    close(matthewsCorrelation(PRED, GOLD), 1 / 6);
    close(matthewsCorrelation(GOLD, GOLD), 1);
    // Every prediction flipped: perfectly wrong.
    close(matthewsCorrelation(GOLD.map((g) => 1 - g), GOLD), -1);
  });

  // Three classes:
  //   pred: 0 1 2 2 1 0
  //   gold: 0 1 2 1 2 2
  const PRED3 = [0, 1, 2, 2, 1, 0];
  const GOLD3 = [0, 1, 2, 1, 2, 2];

  test('multiclass MCC: s = 6, c = 3, p = (2,2,2), t = (1,2,3) → (3·6 − 12) / √((36 − 12)(36 − 14)) = 6 / √528', () => {
    close(matthewsCorrelation(PRED3, GOLD3), 6 / Math.sqrt(528));
  });

  test('macro F1: class 0 → 2/3 (TP 1, FP 1, FN 0); class 1 → 1/2 (1, 1, 1); class 2 → 2/5 (1, 1, 2)', () => {
    close(macroF1(PRED3, GOLD3), (2 / 3 + 1 / 2 + 2 / 5) / 3);
  });

  test('degenerate inputs: constant predictions give MCC 0; no positives anywhere gives F1 0', () => {
    assert.equal(matthewsCorrelation([0, 0, 0, 0], [1, 0, 1, 0]), 0);
    assert.equal(matthewsCorrelation([1, 1, 1], [1, 1, 1]), 0);
    assert.equal(binaryF1([0, 0], [0, 0]), 0);
    assert.throws(() => accuracy([1], [1, 0]), /1 predictions but 2 labels/);
    assert.throws(() => accuracy([], []), /no examples/);
  });
});

describe('correlation metrics', () => {
  test('Pearson: x = 1..4, y = (2, 4, 5, 9): cov 11, var 5 and 26 → 11 / √130', () => {
    close(pearson([1, 2, 3, 4], [2, 4, 5, 9]), 11 / Math.sqrt(130));
    // Any positive linear map is a perfect fit, exactly 1 (clamped).
    assert.equal(pearson([0.1, 0.2, 0.3], [0.7, 1.4, 2.1]), 1);
  });

  test('average ranks for ties: (1, 2, 2, 3) → (1, 2.5, 2.5, 4)', () => {
    assert.deepEqual(averageRanks([1, 2, 2, 3]), [1, 2.5, 2.5, 4]);
    assert.deepEqual(averageRanks([5, 5, 5]), [2, 2, 2]);
    assert.deepEqual(averageRanks([3, 1, 2]), [3, 1, 2]);
  });

  test('Spearman with ties: ranks (1, 2.5, 2.5, 4) and (1, 2, 3.5, 3.5) → cov 3.75 / var 4.5 = 5/6', () => {
    close(spearman([1, 2, 2, 3], [10, 20, 30, 30]), 5 / 6);
    // Monotone but not linear: Spearman 1, Pearson below 1.
    assert.equal(spearman([1, 2, 3, 4], [1, 8, 27, 64]), 1);
    assert.ok(pearson([1, 2, 3, 4], [1, 8, 27, 64]) < 1);
  });

  test('a constant vector has no correlation: reported 0; non-finite input gives NaN', () => {
    assert.equal(pearson([2, 2, 2], [1, 2, 3]), 0);
    assert.equal(spearman([1, 2, 3], [4, 4, 4]), 0);
    assert.ok(Number.isNaN(pearson([1, Number.NaN, 3], [1, 2, 3])));
  });
});

describe('task conventions', () => {
  test('GLUE metrics per task, first = the one to rank checkpoints by', () => {
    assert.deepEqual(metricsForTask('cola'), { metrics: ['mcc'], primary: 'mcc' });
    assert.deepEqual(metricsForTask('mrpc'), { metrics: ['f1', 'accuracy'], primary: 'f1' });
    assert.deepEqual(metricsForTask('qqp'), { metrics: ['f1', 'accuracy'], primary: 'f1' });
    assert.deepEqual(metricsForTask('stsb'), { metrics: ['pearson', 'spearman'], primary: 'pearson' });
    for (const name of ['sst2', 'rte', 'qnli', 'mnli', 'my-task']) assert.deepEqual(metricsForTask(name), { metrics: ['accuracy'], primary: 'accuracy' });
    assert.deepEqual(metricsForTask('my-scores', { regression: true }).metrics, ['pearson', 'spearman']);
  });

  test('computeMetrics: binary F1 for two classes, macro for more, warnings for degenerate cases', () => {
    const binary = computeMetrics(['f1', 'accuracy', 'mcc'], PRED, GOLD);
    close(binary.values.f1, 4 / 6, 'f1');
    close(binary.values.accuracy, 0.6, 'accuracy');
    close(binary.values.mcc, 1 / 6, 'mcc');
    assert.deepEqual(binary.warnings, []);
    const three = computeMetrics(['f1'], [0, 1, 2, 2, 1, 0], [0, 1, 2, 1, 2, 2], { numClasses: 3 });
    close(three.values.f1, (2 / 3 + 1 / 2 + 2 / 5) / 3, 'macro f1');
    const constant = computeMetrics(['mcc'], [0, 0, 0], [0, 1, 1]);
    assert.equal(constant.values.mcc, 0);
    assert.match(constant.warnings[0], /every prediction is class 0; MCC is reported as 0/);
    const flat = computeMetrics(['pearson', 'spearman'], [3, 3, 3], [1, 2, 5]);
    assert.deepEqual(flat.values, { pearson: 0, spearman: 0 });
    assert.match(flat.warnings.join('\n'), /pearson: the predictions are constant, so the correlation is undefined; reported as 0/);
  });
});
