// Which file holds a split of a task, and how to read it: the GLUE folder conventions
// (glueTaskFormats.ts) or the user's own CSV/TSV/JSONL files with named columns.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError } from './dataError';
import type { LabelSpace, Split } from './example';
import type { RecordFormat } from './fieldRecords';
import { glueTaskFormats, type GlueFileLayout, type GlueTaskFormat } from './glueTaskFormats';
import type { FileTaskSpec, GlueTaskSpec, TaskSpec } from './taskSpec';

/** Everything needed to stream one split. */
export interface SplitSource {
  file: string;
  split: Split;
  format: RecordFormat;
  /** Column names of a header-less table. */
  columns?: readonly string[];
  text: string;
  pair?: string;
  label: string;
  /** GLUE texts are trimmed (SST-2's trailing spaces); a user's texts are kept exactly. */
  trimText: boolean;
}

export function splitSource(spec: TaskSpec, split: Split): SplitSource {
  return spec.kind === 'glue' ? glueSplitSource(spec, split) : fileSplitSource(spec, split);
}

function glueFormat(spec: GlueTaskSpec): GlueTaskFormat {
  // The type says GlueTaskName, but a spec may come from JSON, so check anyway.
  const format = Object.prototype.hasOwnProperty.call(glueTaskFormats, spec.name) ? glueTaskFormats[spec.name] : undefined;
  if (format === undefined) {
    throw new DataError(path.resolve(spec.dataDir), undefined, `"${String(spec.name)}" is not a GLUE task; expected one of ${Object.keys(glueTaskFormats).join(', ')}.`);
  }
  return format;
}

function glueSplitSource(spec: GlueTaskSpec, split: Split): SplitSource {
  const format = glueFormat(spec);
  const choices = format.splits[split] ?? [];
  const given = spec[split];
  if (given !== undefined) {
    const file = path.resolve(given);
    // A file named by the caller is read with the layout of the standard file it stands for:
    // same name first, then same kind (JSON or TSV), then the split's first layout.
    const base = path.basename(file);
    const isJson = base.toLowerCase().endsWith('.json');
    const choice =
      choices.find((candidate) => candidate.file === base) ??
      choices.find((candidate) => (candidate.layout.format === 'jsonMembers') === isJson) ??
      choices[0] ??
      format.splits.dev?.[0];
    if (choice === undefined) throw new DataError(file, undefined, `GLUE ${spec.name} has no layout for a ${split} file.`);
    return fromLayout(file, split, choice.layout);
  }
  if (choices.length === 0) {
    throw new DataError(
      path.resolve(spec.dataDir),
      undefined,
      `GLUE ${spec.name} has no labelled ${split} split (GLUE test labels are not public); evaluate on the dev split instead.`,
    );
  }
  const dir = path.resolve(spec.dataDir);
  for (const choice of choices) {
    const file = path.join(dir, choice.file);
    if (fs.existsSync(file)) return fromLayout(file, split, choice.layout);
  }
  const names = choices.map((choice) => choice.file).join(' or ');
  const folderHint = path.basename(dir) === format.folder ? '' : ` (the GLUE download names this task's folder "${format.folder}")`;
  throw new DataError(dir, undefined, `the GLUE ${spec.name} ${split} file is missing: expected ${names} in this folder${folderHint}.`);
}

function fromLayout(file: string, split: Split, layout: GlueFileLayout): SplitSource {
  return {
    file,
    split,
    format: layout.format,
    columns: layout.format === 'tsv' ? layout.columns : undefined,
    text: layout.text,
    pair: layout.pair,
    label: layout.label,
    trimText: true,
  };
}

function fileSplitSource(spec: FileTaskSpec, split: Split): SplitSource {
  const given = spec[split];
  if (given === undefined) {
    throw new DataError(path.resolve(spec.train), undefined, `the task names no ${split} file; add one (${split} = "…") to the task.`);
  }
  return {
    file: path.resolve(given),
    split,
    format: spec.kind,
    text: spec.textColumn ?? 'text',
    pair: spec.pairColumn ?? undefined,
    label: spec.labelColumn ?? 'label',
    trimText: false,
  };
}

/** The label list a task fixes without reading data; undefined when it must be discovered. */
export function declaredLabelSpace(spec: TaskSpec): LabelSpace | undefined {
  if (spec.kind === 'glue') {
    const format = glueFormat(spec);
    if (spec.labels !== undefined && spec.labels !== null) {
      if (format.labels === null) throw new DataError(path.resolve(spec.dataDir), undefined, `GLUE ${spec.name} is a regression task; it takes no label list.`);
      return { kind: 'classification', names: checkedLabelList(spec.labels, path.resolve(spec.dataDir)) };
    }
    return format.labels === null ? { kind: 'regression' } : { kind: 'classification', names: format.labels };
  }
  if (spec.regression === true) {
    if (spec.labels !== undefined && spec.labels !== null) throw new DataError(path.resolve(spec.train), undefined, 'a regression task takes no label list; remove labels or the regression setting.');
    return { kind: 'regression' };
  }
  if (spec.labels !== undefined && spec.labels !== null) return { kind: 'classification', names: checkedLabelList(spec.labels, path.resolve(spec.train)) };
  return undefined;
}

function checkedLabelList(labels: readonly string[], file: string): readonly string[] {
  const seen = new Set<string>();
  for (const label of labels) {
    const key = label.trim();
    if (key === '') throw new DataError(file, undefined, 'the label list holds an empty label.');
    if (seen.has(key)) throw new DataError(file, undefined, `the label list names ${JSON.stringify(key)} twice; each label must appear once.`);
    seen.add(key);
  }
  if (labels.length < 2) throw new DataError(file, undefined, `a classification task needs at least two labels, the list has ${labels.length}.`);
  return labels.map((label) => label.trim());
}
