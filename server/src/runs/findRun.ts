// `RUN` on the command line: a run folder's path, or a run id (`20251123-101502-k3x9`, a unique
// prefix of one, or `<experiment>/<id>`) looked up in the run store.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExperimentConfig } from '../../../schemas/src/experimentConfig';
import { RunFolder } from './runFolder';
import { runGroupOf } from './runId';
import { listRuns } from './runListing';
import { RunStoreError } from './writeError';

export function findRun(text: string, options: { cwd: string; runsDir: string }): RunFolder {
  const asPath = path.resolve(options.cwd, text);
  if (fs.existsSync(asPath) && fs.statSync(asPath).isDirectory()) {
    const folder = new RunFolder(asPath);
    if (folder.isRun()) return folder;
    throw new RunStoreError(`${asPath} is not a run folder (it has no config.json); give a folder under ${options.runsDir} or a run id`);
  }
  const runs = listRuns(options.runsDir);
  const exact = runs.filter((r) => r.runId === text || `${r.group}/${r.runId}` === text);
  const candidates = exact.length > 0 ? exact : runs.filter((r) => r.runId.startsWith(text) || `${r.group}/${r.runId}`.startsWith(text));
  if (candidates.length === 1) return new RunFolder(candidates[0].dir);
  if (candidates.length === 0) {
    const known = runs.length === 0 ? `the run store ${options.runsDir} holds no runs` : `known runs: ${runs.slice(-5).map((r) => `${r.group}/${r.runId}`).join(', ')}${runs.length > 5 ? ', …' : ''}`;
    throw new RunStoreError(`no run '${text}' (neither a run folder nor a run id in ${options.runsDir}); ${known}. List them with: masklab runs`);
  }
  throw new RunStoreError(`'${text}' matches ${candidates.length} runs: ${candidates.map((r) => `${r.group}/${r.runId}`).join(', ')}; give more of the id`);
}

/**
 * The newest run of `config` (the same experiment, or the same sweep cell) in the run store:
 * what `masklab train --resume` without a RUN continues.
 */
export function latestRunOf(runsDir: string, config: ExperimentConfig): RunFolder | undefined {
  const group = runGroupOf(config);
  const runs = listRuns(runsDir, { group }).reverse();
  for (const run of runs) {
    const folder = new RunFolder(run.dir);
    try {
      const saved = folder.readConfig();
      if (saved.experiment === config.experiment && saved.sweep?.index === config.sweep?.index) return folder;
    } catch {
      // an unreadable run is not one to resume
    }
  }
  return undefined;
}
