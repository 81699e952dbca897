// The runs of one experiment or sweep cell in a run store, found by name alone: "Open last run"
// and "Evaluate" must work while the file is being edited (even with errors), so they match the
// saved config's names rather than a freshly resolved config.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunFolder } from './runFolder';
import { safeFolderName } from './runId';

export interface ExperimentRef {
  /** Experiment or sweep name. */
  name: string;
  /** Sweep cell index; absent for an experiment. */
  index?: number;
}

/** Run folders of `ref` under `runsDir`, newest first (run ids start with their UTC start time). */
export function runsOfExperiment(runsDir: string, ref: ExperimentRef): RunFolder[] {
  const groupDir = path.join(runsDir, safeFolderName(ref.name));
  let names: string[];
  try {
    names = fs
      .readdirSync(groupDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name);
  } catch {
    return [];
  }
  const runs: RunFolder[] = [];
  for (const name of names.sort().reverse()) {
    const folder = new RunFolder(path.join(groupDir, name));
    try {
      const saved = folder.readConfig();
      const matches = ref.index === undefined ? !saved.sweep && saved.experiment === ref.name : saved.sweep?.name === ref.name && saved.sweep.index === ref.index;
      if (matches) runs.push(folder);
    } catch {
      // Not a run (no or unreadable config.json): it belongs to nobody.
    }
  }
  return runs;
}

/** The newest run of `ref` whose status says it completed (the one "Evaluate" re-evaluates). */
export function latestCompletedRun(runsDir: string, ref: ExperimentRef): RunFolder | undefined {
  return runsOfExperiment(runsDir, ref).find((folder) => {
    const read = folder.readStatus();
    return 'status' in read && read.status.state === 'completed';
  });
}
