// One view over every file format a task can come in: a stream of records whose fields are looked
// up by column name. Tables (TSV, CSV) take the names from their header row (or from the task's
// layout when a file has none, like CoLA); JSON Lines and JSON-object files use the keys.
// Structural problems — a missing column, a row with the wrong number of cells, a line that is
// not a JSON object — are DataErrors naming file and line.

import { readCsvRecords } from './csvRecords';
import { DataError } from './dataError';
import { readJsonMembers } from './jsonMembers';
import { readLines } from './textChunks';

export type RecordFormat = 'tsv' | 'csv' | 'jsonl' | 'jsonMembers';

export interface FieldRecord {
  /** 1-based line the record starts on. */
  line: number;
  /** The field's value: a string for tables, any JSON value for JSON; undefined when absent. */
  get(column: string): unknown;
}

export interface RecordSource {
  file: string;
  format: RecordFormat;
  /** What the file is for ("train", "dev"), used in messages. */
  role: string;
  /** Columns every record must have. */
  required: readonly string[];
  /** Column names of a header-less table. */
  columns?: readonly string[];
}

export function readRecords(source: RecordSource): AsyncGenerator<FieldRecord> {
  switch (source.format) {
    case 'tsv':
      return readTable(source, tsvRows(source));
    case 'csv':
      return readTable(source, readCsvRecords(source.file, source.role));
    case 'jsonl':
      return readJsonLines(source);
    case 'jsonMembers':
      return readJsonObjectMembers(source);
  }
}

interface Row {
  fields: string[];
  line: number;
}

/** GLUE TSVs are not quote-aware: a row is its line split on tabs, quotes and all. */
async function* tsvRows(source: RecordSource): AsyncGenerator<Row> {
  for await (const { text, line } of readLines(source.file, source.role)) {
    if (text === '') continue;
    yield { fields: text.split('\t'), line };
  }
}

async function* readTable(source: RecordSource, rows: AsyncGenerator<Row>): AsyncGenerator<FieldRecord> {
  let names: readonly string[] | undefined = source.columns;
  let index: Map<string, number> | undefined = names === undefined ? undefined : columnIndex(source, names, undefined);
  const separator = source.format === 'tsv' ? 'tab' : 'comma';
  for await (const row of rows) {
    if (names === undefined || index === undefined) {
      names = row.fields.map((name) => name.trim());
      index = columnIndex(source, names, row.line);
      continue;
    }
    if (row.fields.length !== names.length) {
      const hint =
        source.format === 'tsv'
          ? ' A TSV cell cannot contain a tab; remove stray tabs from the text or quote the file as CSV.'
          : ' Quote cells that contain commas or line breaks ("a, b").';
      throw new DataError(
        source.file,
        row.line,
        `expected ${names.length} ${separator}-separated cells (${source.columns === undefined ? 'as in the header' : `columns ${names.join(', ')}`}), found ${row.fields.length}.${hint}`,
      );
    }
    const fields = row.fields;
    const columns = index;
    yield { line: row.line, get: (column) => fieldAt(fields, columns.get(column)) };
  }
  if (names === undefined) throw new DataError(source.file, undefined, `the ${source.role} file is empty; expected a header row and at least one example.`);
}

function fieldAt(fields: readonly string[], at: number | undefined): string | undefined {
  return at === undefined ? undefined : fields[at];
}

function columnIndex(source: RecordSource, names: readonly string[], headerLine: number | undefined): Map<string, number> {
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (!index.has(name)) index.set(name, i);
  });
  const missing = source.required.filter((column) => !index.has(column));
  if (missing.length > 0) {
    const list = missing.map((column) => `"${column}"`).join(', ');
    throw new DataError(
      source.file,
      headerLine,
      `no column ${list} in the header; it has ${names.map((name) => `"${name}"`).join(', ')}. Name the right columns in the task (text, text_pair, label) or fix the header.`,
    );
  }
  return index;
}

async function* readJsonLines(source: RecordSource): AsyncGenerator<FieldRecord> {
  for await (const { text, line } of readLines(source.file, source.role)) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new DataError(source.file, line, `not valid JSON (${(error as Error).message}); a JSON Lines file holds one object per line.`, { cause: error });
    }
    yield objectRecord(source, value, line);
  }
}

async function* readJsonObjectMembers(source: RecordSource): AsyncGenerator<FieldRecord> {
  for await (const member of readJsonMembers(source.file, source.role)) yield objectRecord(source, member.value, member.line);
}

function objectRecord(source: RecordSource, value: unknown, line: number): FieldRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DataError(source.file, line, `expected a JSON object with keys ${source.required.map((key) => `"${key}"`).join(', ')}, found ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}.`);
  }
  const object = value as Record<string, unknown>;
  const missing = source.required.filter((key) => !Object.prototype.hasOwnProperty.call(object, key));
  if (missing.length > 0) {
    throw new DataError(source.file, line, `the object has no ${missing.map((key) => `"${key}"`).join(', ')}; its keys are ${Object.keys(object).map((key) => `"${key}"`).join(', ') || 'none'}.`);
  }
  return { line, get: (column) => object[column] };
}
