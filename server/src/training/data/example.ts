// What the task-data loaders produce. Labels are already numbers: a class index into the task's
// label list, or the score itself for regression, so the engine never sees label strings.

export type Split = 'train' | 'dev' | 'test';

export interface Example {
  text: string;
  /** Second text of a sentence-pair task. */
  pair?: string;
  /** Class index (classification) or target value (regression). */
  label: number;
  /** 1-based line of the file the example starts on (for error messages and inspection). */
  line: number;
}

export type LabelSpace =
  | {
      kind: 'classification';
      /** Label values as written in the files, in class-index order. */
      names: readonly string[];
    }
  | { kind: 'regression' };

/** Width of the classifier head: classes, or 1 output for regression. */
export function labelCount(labels: LabelSpace): number {
  return labels.kind === 'regression' ? 1 : labels.names.length;
}
