// Evaluating a task artifact: the base checkpoint plus the per-task parts a run kept, evaluated on
// the run's evaluation split exactly as the run evaluated it (same batches, same kernels, the
// same way of computing each effective weight), so the metrics reproduce the run's.

import type { BackendName, ExperimentConfig } from '../../../../schemas/src/experimentConfig';
import { applyArtifact } from '../methods/applyArtifact';
import type { TaskArtifactParts } from '../methods/taskArtifact';
import { buildTaskModel, disposeTaskModel, openModel } from './buildTaskModel';
import { evaluateExamples } from './evaluateModel';
import { loadTaskData } from './taskData';
import { TaskForward } from './taskForward';

export interface EvaluateArtifactOptions {
  /** Overrides config.device.backend (the run's backend reproduces its numbers bit for bit). */
  backend?: BackendName;
  /** Called with warnings (degenerate metrics). */
  onWarning?: (message: string) => void;
}

/** `loss` and the config's metrics (fractions) on the evaluated split. */
export async function evaluateArtifact(config: ExperimentConfig, artifact: TaskArtifactParts, opts: EvaluateArtifactOptions = {}): Promise<Record<string, number>> {
  const setup = await openModel(config, opts.backend);
  const data = await loadTaskData(config, setup.tokenizer, setup.maxLength, { trainSplit: false });
  if (artifact.numLabels !== data.numLabels) throw new Error(`the artifact was trained for ${artifact.numLabels} labels, but the task has ${data.numLabels}`);
  const model = buildTaskModel(setup, data.numLabels, config.train.seed, artifact.head);
  const forward = new TaskForward(model, data.padId);
  try {
    const applied = applyArtifact(model, artifact);
    try {
      forward.usePrefix(applied.firstChangedBlock, data.evaluation, config.train.batch);
      const result = evaluateExamples(forward, data.evaluation, {
        metrics: config.evaluate.metrics,
        numLabels: data.numLabels,
        regression: data.regression,
        batch: config.train.batch,
      });
      result.warnings.forEach((w) => opts.onWarning?.(w));
      return result.values;
    } finally {
      applied.dispose();
    }
  } finally {
    forward.dropPrefix();
    disposeTaskModel(model);
  }
}
