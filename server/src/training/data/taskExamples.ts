// Streaming a task split as examples, collecting it (optionally only the first N), and finding
// the label list of a file task from its train split.

import { DataError } from './dataError';
import type { Example, LabelSpace, Split } from './example';
import { readRecords, type FieldRecord } from './fieldRecords';
import { labelText, LabelParser, sortLabelValues } from './labels';
import { declaredLabelSpace, splitSource, type SplitSource } from './taskFiles';
import type { TaskSpec } from './taskSpec';

/** The label list of a task: declared by the task, or discovered from its train split. */
export async function resolveLabelSpace(spec: TaskSpec): Promise<LabelSpace> {
  const declared = declaredLabelSpace(spec);
  if (declared !== undefined) return declared;
  const source = splitSource(spec, 'train');
  const values = new Set<string>();
  for await (const record of readRecords(recordSource(source))) {
    const value = record.get(source.label);
    const text = labelText(value);
    if (text === undefined || text === '') {
      throw new DataError(source.file, record.line, `the label (column "${source.label}") is ${text === '' ? 'empty' : value === undefined ? 'missing' : JSON.stringify(value)}; every example needs one.`);
    }
    values.add(text);
  }
  const names = sortLabelValues(values);
  if (names.length === 0) throw new DataError(source.file, undefined, 'the train file has no examples, so no labels could be found.');
  if (names.length === 1) {
    throw new DataError(source.file, undefined, `every train example has the label ${JSON.stringify(names[0])}; a classifier needs at least two classes (give the task's labels explicitly if the others are rare).`);
  }
  return { kind: 'classification', names };
}

/** Streams the examples of one split, in file order; the file is read in chunks, never whole. */
export async function* readExamples(spec: TaskSpec, split: Split, labels: LabelSpace): AsyncGenerator<Example> {
  const source = splitSource(spec, split);
  const parser = new LabelParser(labels, source.file, source.label);
  for await (const record of readRecords(recordSource(source))) {
    const example: Example = {
      text: textField(source, record, source.text),
      label: parser.parse(record.get(source.label), record.line),
      line: record.line,
    };
    if (source.pair !== undefined) example.pair = textField(source, record, source.pair);
    yield example;
  }
}

export interface LoadSplitOptions {
  /** Keep only the first N examples of the file (before any shuffling). */
  maxExamples?: number | null;
  /** The label list to use; default resolveLabelSpace(spec). Pass it to avoid a second pass. */
  labels?: LabelSpace;
}

export interface LoadedSplit {
  examples: Example[];
  labels: LabelSpace;
  /** The file that was read. */
  file: string;
  /** True when reading stopped at maxExamples (the file may hold more). */
  truncated: boolean;
}

/** Collects a split into memory (tasks fit; files are still read as a stream). */
export async function loadSplit(spec: TaskSpec, split: Split, options: LoadSplitOptions = {}): Promise<LoadedSplit> {
  const { maxExamples } = options;
  if (maxExamples !== undefined && maxExamples !== null && (!Number.isInteger(maxExamples) || maxExamples < 1)) {
    throw new RangeError(`maxExamples must be a positive integer, got ${maxExamples}.`);
  }
  const labels = options.labels ?? (await resolveLabelSpace(spec));
  const file = splitSource(spec, split).file;
  const examples: Example[] = [];
  let truncated = false;
  for await (const example of readExamples(spec, split, labels)) {
    examples.push(example);
    // Stop without peeking further: a broken row after the first N must not fail a run that
    // asked for N.
    if (maxExamples !== undefined && maxExamples !== null && examples.length >= maxExamples) {
      truncated = true;
      break;
    }
  }
  if (examples.length === 0) throw new DataError(file, undefined, `the ${split} file has no examples.`);
  return { examples, labels, file, truncated };
}

function recordSource(source: SplitSource) {
  const required = [source.text, source.label, ...(source.pair === undefined ? [] : [source.pair])];
  return { file: source.file, format: source.format, role: source.split, required, columns: source.columns };
}

function textField(source: SplitSource, record: FieldRecord, column: string): string {
  const value = record.get(column);
  if (typeof value !== 'string') {
    throw new DataError(source.file, record.line, `the text (column "${column}") is ${value === undefined ? 'missing' : JSON.stringify(value)}; expected a string.`);
  }
  return source.trimText ? value.trim() : value;
}
