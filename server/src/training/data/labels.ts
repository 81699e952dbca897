// Turning label cells into numbers, and finding a file task's label list when the user gave none.

import { DataError } from './dataError';
import type { LabelSpace } from './example';

/**
 * The text form of a label cell: strings trimmed (a stray space or CR must not make a new class),
 * JSON numbers and booleans written as JSON writes them; anything else has no label.
 */
export function labelText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * A stable order for discovered labels: numeric when every value is a number ("2" before "10"),
 * otherwise by UTF-16 code units (never locale-dependent, so every machine agrees).
 */
export function sortLabelValues(values: Iterable<string>): string[] {
  const distinct = [...new Set(values)];
  const numbers = distinct.map((value) => (value.trim() === '' ? Number.NaN : Number(value)));
  if (numbers.every((value) => Number.isFinite(value))) {
    return distinct.map((value, i) => ({ value, n: numbers[i] })).sort((a, b) => a.n - b.n || compareCodeUnits(a.value, b.value)).map(({ value }) => value);
  }
  return distinct.sort(compareCodeUnits);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Parses label cells of one file into class indices or regression targets. */
export class LabelParser {
  private readonly index = new Map<string, number>();

  constructor(
    private readonly labels: LabelSpace,
    private readonly file: string,
    private readonly column: string,
  ) {
    if (labels.kind === 'classification') labels.names.forEach((name, i) => this.index.set(name.trim(), i));
  }

  parse(value: unknown, line: number): number {
    const text = labelText(value);
    if (text === undefined || text === '') {
      throw new DataError(this.file, line, `the label (column "${this.column}") is ${value === undefined ? 'missing' : text === '' ? 'empty' : JSON.stringify(value)}; every example needs one.`);
    }
    if (this.labels.kind === 'regression') {
      const target = Number(text);
      if (!Number.isFinite(target)) {
        throw new DataError(this.file, line, `the label (column "${this.column}") is ${JSON.stringify(text)}, but this is a regression task and labels must be numbers.`);
      }
      return target;
    }
    const found = this.index.get(text);
    if (found === undefined) {
      const known = this.labels.names.map((name) => JSON.stringify(name)).join(', ');
      throw new DataError(this.file, line, `unknown label ${JSON.stringify(text)} (column "${this.column}"); the task's labels are ${known}. Fix the row or add the value to the task's label list.`);
    }
    return found;
  }
}
