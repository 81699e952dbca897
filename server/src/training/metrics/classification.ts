// Classification metrics over predicted and gold class indices. Degenerate inputs follow
// scikit-learn's choices, so numbers compare with published ones: an F1 whose precision and
// recall are both undefined (no positive predicted or present) is 0, and MCC is 0 when a
// confusion-matrix margin is constant (e.g. every prediction the same class).

/** Throws unless both arrays are non-empty and of equal length. */
export function checkPaired(predictions: ArrayLike<number>, labels: ArrayLike<number>, metric: string): void {
  if (predictions.length !== labels.length) {
    throw new RangeError(`${metric}: ${predictions.length} predictions but ${labels.length} labels; they must pair up one to one.`);
  }
  if (labels.length === 0) throw new RangeError(`${metric}: no examples to score.`);
}

/** Fraction of predictions equal to the label. */
export function accuracy(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkPaired(predictions, labels, 'accuracy');
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) correct++;
  return correct / labels.length;
}

/** F1 of one class against the rest: 2·TP / (2·TP + FP + FN), 0 when that is 0/0. */
export function f1ForClass(predictions: ArrayLike<number>, labels: ArrayLike<number>, positive: number): number {
  let truePositive = 0;
  let falsePositive = 0;
  let falseNegative = 0;
  for (let i = 0; i < labels.length; i++) {
    const predicted = predictions[i] === positive;
    const actual = labels[i] === positive;
    if (predicted && actual) truePositive++;
    else if (predicted) falsePositive++;
    else if (actual) falseNegative++;
  }
  const denominator = 2 * truePositive + falsePositive + falseNegative;
  return denominator === 0 ? 0 : (2 * truePositive) / denominator;
}

/** Binary F1 with class 1 as the positive class (GLUE's MRPC/QQP convention). */
export function binaryF1(predictions: ArrayLike<number>, labels: ArrayLike<number>, positive = 1): number {
  checkPaired(predictions, labels, 'f1');
  return f1ForClass(predictions, labels, positive);
}

/**
 * Unweighted mean of per-class F1 over the classes that occur in labels or predictions
 * (scikit-learn's average="macro" without an explicit label list).
 */
export function macroF1(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkPaired(predictions, labels, 'macro f1');
  const classes = new Set<number>();
  for (let i = 0; i < labels.length; i++) {
    classes.add(labels[i]);
    classes.add(predictions[i]);
  }
  let sum = 0;
  for (const positive of classes) sum += f1ForClass(predictions, labels, positive);
  return sum / classes.size;
}

/**
 * Matthews correlation for any number of classes (Gorodkin's R_K; equals the binary MCC for two):
 *   (c·s − Σ_k p_k·t_k) / √((s² − Σ p_k²)(s² − Σ t_k²))
 * with s examples, c correct, p_k predicted and t_k true counts of class k. 0 when the
 * denominator is 0.
 */
export function matthewsCorrelation(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkPaired(predictions, labels, 'mcc');
  const predicted = new Map<number, number>();
  const actual = new Map<number, number>();
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    predicted.set(predictions[i], (predicted.get(predictions[i]) ?? 0) + 1);
    actual.set(labels[i], (actual.get(labels[i]) ?? 0) + 1);
    if (predictions[i] === labels[i]) correct++;
  }
  const s = labels.length;
  let crossSum = 0;
  for (const [k, p] of predicted) crossSum += p * (actual.get(k) ?? 0);
  let predictedSquares = 0;
  for (const p of predicted.values()) predictedSquares += p * p;
  let actualSquares = 0;
  for (const t of actual.values()) actualSquares += t * t;
  const denominator = Math.sqrt((s * s - predictedSquares) * (s * s - actualSquares));
  return denominator === 0 ? 0 : (correct * s - crossSum) / denominator;
}
