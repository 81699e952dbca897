// `metrics.jsonl`: one JSON record per line, appended with a single write per record so that a
// crash can tear at most the last line. Readers drop a torn last line; a resumed run first cuts
// the file back to its checkpoint's step (the steps after it are trained, and logged, again).

import * as fs from 'node:fs';
import type { MetricsRecord } from '../../../schemas/src/runRecord';
import { readMetricsRecord } from '../../../schemas/src/runRecordSchemas';
import { writeFileAtomic } from './atomicFile';
import { describeWriteError } from './writeError';

export class MetricsLog {
  private fd: number | undefined;

  constructor(readonly file: string) {
    try {
      this.fd = fs.openSync(file, 'a');
    } catch (error) {
      throw describeWriteError(error, file, 'open');
    }
  }

  /** Appends one record and hands it to the OS at once (one write call: a crash loses or tears only this line). */
  append(record: MetricsRecord): void {
    if (this.fd === undefined) throw new Error(`${this.file} is closed`);
    const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    try {
      let written = 0;
      while (written < line.length) written += fs.writeSync(this.fd, line, written, line.length - written);
    } catch (error) {
      throw describeWriteError(error, this.file);
    }
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

export interface MetricsReadResult {
  records: MetricsRecord[];
  /** A last line without its newline (the writer died mid-write): dropped, not an error. */
  tornLastLine: boolean;
  /** Lines that are not metrics records, with their 1-based line numbers; skipped. */
  problems: string[];
}

export function readMetricsFile(file: string): MetricsReadResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], tornLastLine: false, problems: [] };
    throw error;
  }
  return parseMetricsText(text, file);
}

export function parseMetricsText(text: string, file = 'metrics.jsonl'): MetricsReadResult {
  const lines = text.split('\n');
  // After the final newline split() leaves '' — anything else there is a torn line.
  const tail = lines.pop() ?? '';
  const records: MetricsRecord[] = [];
  const problems: string[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push(`${file}:${i + 1}: not JSON; line skipped`);
      return;
    }
    const read = readMetricsRecord(value);
    if (read.ok) records.push(read.value);
    else problems.push(`${file}:${i + 1}: ${read.problem}; line skipped`);
  });
  return { records, tornLastLine: tail.trim() !== '', problems };
}

/**
 * Keeps the records up to `step` (inclusive) and drops a torn last line, rewriting the file
 * atomically. Used before a resumed run appends: it trains the steps after `step` again.
 */
export function truncateMetricsAfter(file: string, step: number): { dropped: number } {
  if (!fs.existsSync(file)) return { dropped: 0 };
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const torn = (lines.pop() ?? '').trim() !== '';
  const kept: string[] = [];
  let dropped = torn ? 1 : 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    let recordStep: unknown;
    try {
      recordStep = (JSON.parse(line) as { step?: unknown }).step;
    } catch {
      dropped++;
      continue;
    }
    if (typeof recordStep === 'number' && recordStep <= step) kept.push(line);
    else dropped++;
  }
  const content = kept.map((l) => `${l}\n`).join('');
  if (content !== text) {
    try {
      writeFileAtomic(file, content);
    } catch (error) {
      throw describeWriteError(error, file);
    }
  }
  return { dropped };
}
