// Exports of the runs a panel shows: CSV (one row per logged record, one column per metric) and
// JSON (runs with their records, as metrics.jsonl has them). Pure.

import type { MetricsRecord } from '../../../schemas/src/runRecord';
import type { PanelRun } from '../../../schemas/src/webviewMessages';

export interface ExportRun {
  run: PanelRun;
  records: MetricsRecord[];
}

export function toCsv(runs: readonly ExportRun[]): string {
  const names = [...new Set(runs.flatMap((r) => r.records.flatMap((record) => Object.keys(record.values))))].sort();
  const header = ['run', 'run_id', 'split', 'step', 'epoch', 'time', ...names];
  const lines = [header.map(csvField).join(',')];
  for (const { run, records } of runs) {
    for (const record of records) {
      const row = [run.name, run.runId, record.split, record.step, record.epoch, record.time, ...names.map((n) => record.values[n])];
      lines.push(row.map(csvField).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

export function toJson(runs: readonly ExportRun[], exportedAt: Date): string {
  return `${JSON.stringify(
    {
      exported_at: exportedAt.toISOString(),
      runs: runs.map(({ run, records }) => ({
        name: run.name,
        run_id: run.runId,
        run_dir: run.runDir,
        experiment: run.experiment,
        state: run.state,
        sweep: run.sweep,
        metrics: records,
      })),
    },
    null,
    2,
  )}\n`;
}

/** RFC 4180: quote fields holding a comma, quote or line break; numbers at full precision. */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A file name for the export: the run's name for one run, else the number of runs. */
export function exportName(runs: readonly Pick<PanelRun, 'name' | 'runId'>[], extension: string): string {
  const base = runs.length === 1 ? `${runs[0].name}-${runs[0].runId}` : `masklab-${runs.length}-runs`;
  return `${base.replace(/[^A-Za-z0-9._-]/g, '_')}.${extension}`;
}
