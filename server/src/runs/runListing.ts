// The runs of a run store at a glance, for `masklab runs` and the editor's runs view: state
// (with crashed runs shown as interrupted), best value of the primary metric, progress, duration.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunFolder } from './runFolder';
import { shownState, type ShownState } from './runStatus';

export interface RunListing {
  group: string;
  runId: string;
  dir: string;
  state: ShownState | 'unknown';
  /** Best dev value of the primary metric so far (from the summary, else from metrics.jsonl). */
  best: { metric: string; value: number; step: number } | null;
  step: number;
  stepsTotal: number | null;
  durationSeconds: number | null;
  startedAt: string | null;
  /** Why some of the run could not be read (the listing shows what it could). */
  problems: string[];
}

/** Every run folder under `runsDir` (`<group>/<run-id>/`), oldest first. */
export function listRuns(runsDir: string, options: { group?: string } = {}): RunListing[] {
  const listings: RunListing[] = [];
  for (const group of subfolders(runsDir)) {
    if (options.group !== undefined && group !== options.group) continue;
    for (const runId of subfolders(path.join(runsDir, group))) {
      const folder = new RunFolder(path.join(runsDir, group, runId));
      if (folder.isRun()) listings.push(describeRun(folder));
    }
  }
  return listings.sort((a, b) => (a.startedAt ?? a.runId).localeCompare(b.startedAt ?? b.runId) || a.runId.localeCompare(b.runId));
}

export function describeRun(folder: RunFolder): RunListing {
  const problems: string[] = [];
  const listing: RunListing = { group: folder.group, runId: folder.runId, dir: folder.dir, state: 'unknown', best: null, step: 0, stepsTotal: null, durationSeconds: null, startedAt: null, problems };
  const read = folder.readStatus();
  if ('status' in read) {
    const s = read.status;
    listing.state = shownState(s);
    listing.step = s.step;
    listing.stepsTotal = s.steps_total;
    listing.durationSeconds = s.elapsed_seconds;
    listing.startedAt = s.started_at;
  } else {
    problems.push(read.problem);
  }
  let primary = 'accuracy';
  try {
    primary = folder.readConfig().evaluate.metrics[0] ?? primary;
  } catch (error) {
    problems.push((error as Error).message);
  }
  try {
    const summary = folder.readSummary();
    const value = summary?.best?.[summary.primary_metric];
    if (summary?.best && typeof value === 'number') {
      listing.best = { metric: summary.primary_metric, value, step: summary.best.step };
      return listing;
    }
  } catch (error) {
    problems.push((error as Error).message);
  }
  const metrics = folder.readMetrics();
  problems.push(...metrics.problems);
  for (const record of metrics.records) {
    const value = record.values[primary];
    if (record.split !== 'dev' || typeof value !== 'number') continue;
    if (!listing.best || value > listing.best.value) listing.best = { metric: primary, value, step: record.step };
  }
  return listing;
}

function subfolders(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}
