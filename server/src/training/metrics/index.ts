// Public face of the metrics module: pure functions over prediction/label arrays.
export { accuracy, binaryF1, macroF1, matthewsCorrelation, f1ForClass } from './classification';
export { pearson, spearman, averageRanks, correlationIsDegenerate } from './correlation';
export { metricsForTask, computeMetrics, type MetricName, type TaskMetrics, type MetricsResult } from './taskMetrics';
