// A run's data: the resolved task config read into examples and tokenised once, up front, so
// every epoch and every evaluation reuses the same encodings.

import type { ExperimentConfig, TaskConfig } from '../../../../schemas/src/experimentConfig';
import { labelCount, loadSplit, resolveLabelSpace, type LabelSpace, type TaskSpec } from '../data';
import type { Tokenizer } from '../tokenizer';

export interface EncodedExample {
  ids: number[];
  tokenTypeIds: number[];
  /** Class index, or the target value for regression. */
  label: number;
}

export interface TaskData {
  train: EncodedExample[];
  /** The evaluated split (`evaluate.split`): dev, or the training examples themselves. */
  evaluation: EncodedExample[];
  evaluationSplit: 'dev' | 'train';
  labels: LabelSpace;
  numLabels: number;
  regression: boolean;
  padId: number;
}

/** The data module's description of the task named by the resolved config. */
export function taskSpecFromConfig(task: TaskConfig): TaskSpec {
  if (task.kind === 'glue') {
    return { kind: 'glue', name: task.name, dataDir: task.data.path, train: task.train.path, dev: task.dev.path, labels: task.labels };
  }
  return {
    kind: task.kind,
    train: task.train.path,
    dev: task.dev.path,
    textColumn: task.text,
    pairColumn: task.text_pair,
    labelColumn: task.label,
    labels: task.labels,
  };
}

/** Reads and tokenises the training split and the evaluated split (truncated to `max_length`). */
export async function loadTaskData(config: ExperimentConfig, tokenizer: Tokenizer, modelMaxLength: number, options: { trainSplit?: boolean } = {}): Promise<TaskData> {
  const task = config.task;
  const spec = taskSpecFromConfig(task);
  const labels = await resolveLabelSpace(spec);
  const maxLength = Math.min(task.max_length, modelMaxLength);
  const encode = (examples: Array<{ text: string; pair?: string; label: number }>): EncodedExample[] =>
    examples.map((example) => {
      const encoding = tokenizer.encode(example.text, example.pair, maxLength);
      return { ids: encoding.ids, tokenTypeIds: encoding.tokenTypeIds, label: example.label };
    });
  const evaluationSplit = config.evaluate.split;
  // evaluateArtifact needs only the evaluated split; training needs both.
  const needTrain = options.trainSplit !== false || evaluationSplit === 'train';
  const train = needTrain ? encode((await loadSplit(spec, 'train', { labels, maxExamples: task.max_examples })).examples) : [];
  const evaluation = evaluationSplit === 'train' ? train : encode((await loadSplit(spec, 'dev', { labels, maxExamples: task.dev_examples })).examples);
  return {
    train,
    evaluation,
    evaluationSplit,
    labels,
    numLabels: labelCount(labels),
    regression: labels.kind === 'regression',
    padId: tokenizer.padId,
  };
}
