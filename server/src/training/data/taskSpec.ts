// What the loaders need to know about a task: a plain object the lead maps the resolved
// experiment config onto (schemas' TaskConfig), kept free of config details such as PathRef.

import type { GlueTaskName } from '../../../../schemas/src/experimentConfig';

export type { GlueTaskName };

/** One of the GLUE tasks in the standard GLUE folder layout (`…/glue/SST-2`). */
export interface GlueTaskSpec {
  kind: 'glue';
  name: GlueTaskName;
  /** The task's folder, e.g. `/data/glue/SST-2`. */
  dataDir: string;
  /** Absolute train/dev/test files when they are not the standard names in dataDir. */
  train?: string;
  dev?: string;
  test?: string;
  /**
   * Label values in class-index order, when the caller fixes them (the resolved config does);
   * default: the task's standard list (see glueTaskFormats.ts).
   */
  labels?: readonly string[] | null;
}

export type FileTaskFormat = 'csv' | 'tsv' | 'jsonl';

/**
 * A user's own data: CSV (RFC 4180 quoting) or TSV with a header row naming the columns, or
 * JSON Lines with one object per line.
 */
export interface FileTaskSpec {
  kind: FileTaskFormat;
  train: string;
  dev?: string;
  test?: string;
  /** Column (or JSON key) of the text; default `text`. */
  textColumn?: string;
  /** Column of the second text for sentence-pair tasks; none by default. */
  pairColumn?: string | null;
  /** Column of the label; default `label`. */
  labelColumn?: string;
  /**
   * Label values in class-index order. Default: the distinct values of the train split, sorted
   * (numerically when they all are numbers, else by code point) so every machine agrees.
   */
  labels?: readonly string[] | null;
  /** Labels are numbers to regress on (labels must then be unset). */
  regression?: boolean;
}

export type TaskSpec = GlueTaskSpec | FileTaskSpec;
