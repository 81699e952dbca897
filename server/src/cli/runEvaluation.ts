// Re-evaluating a run's kept state (best or last, per evaluate.keep): the per-task artifact applied
// to the base checkpoint, on the run's evaluation split — shared by `masklab eval` and
// `masklab export --check`. tfjs loads only here, and only when asked.

import * as fs from 'node:fs';
import type { BackendName, ExperimentConfig } from '../../../schemas/src/experimentConfig';
import type { MetricsPoint } from '../../../schemas/src/runSummary';
import { loadLatestCheckpoint } from '../runs/checkpointFiles';
import { loadRunArtifact } from '../runs/runArtifact';
import type { RunFolder } from '../runs/runFolder';
import { RunStoreError } from '../runs/writeError';
import type { TaskArtifactParts } from '../training/methods/taskArtifact';

export interface KeptState {
  config: ExperimentConfig;
  parts: TaskArtifactParts;
  /** Where the parts came from, for the report. */
  source: string;
  /** The metrics the run recorded for this state (null when it has none yet). */
  recorded: MetricsPoint | null;
}

/** The run's kept parts: its artifact, else (an interrupted `keep best` run) the best state in its newest checkpoint. */
export async function keptState(folder: RunFolder): Promise<KeptState> {
  const summary = folder.readSummary();
  if (fs.existsSync(folder.file('artifact'))) {
    const { parts, config } = loadRunArtifact(folder.file('artifact'));
    const recorded = summary ? (summary.keep === 'best' ? summary.best : summary.final) : null;
    return { config, parts: parts as TaskArtifactParts, source: folder.file('artifact'), recorded };
  }
  const config = folder.readConfig();
  const latest = loadLatestCheckpoint(folder.file('checkpoints'));
  const layout = latest?.state.meta.bestArtifact;
  if (!latest || !layout) {
    throw new RunStoreError(
      `${folder.dir} has neither a per-task artifact nor a checkpoint holding its best state; ` +
        (latest ? 'it keeps the last state, which only a finished run records: ' : '') +
        `finish it with: masklab train --resume ${folder.dir}`,
    );
  }
  const { artifactFromTensors } = await import('../training/loop/trainingState.js');
  const parts = artifactFromTensors(latest.state.tensors, layout, 'kept/');
  const best = latest.state.meta.best as { step: number; epoch: number; values: Record<string, number> } | null | undefined;
  return { config, parts, source: `${latest.file} (best state so far)`, recorded: best ? { step: best.step, epoch: best.epoch, ...best.values } : null };
}

/** Evaluates the kept state; `backend` overrides the run's (the run's own reproduces its numbers bit for bit). */
export async function evaluateKept(kept: KeptState, backend: BackendName | undefined, onWarning: (message: string) => void): Promise<Record<string, number>> {
  const { evaluateArtifact } = await import('../training/loop/evaluate.js');
  return evaluateArtifact(kept.config, kept.parts, { backend, onWarning });
}

/** `accuracy 0.8300 (recorded 0.8300)` lines, and whether every recorded metric was reproduced exactly. */
export function compareMetrics(values: Record<string, number>, recorded: MetricsPoint | null): { lines: string[]; same: boolean } {
  let same = recorded !== null;
  const lines = Object.entries(values).map(([name, value]) => {
    const before = recorded?.[name];
    if (typeof before !== 'number') return `  ${name} ${value.toFixed(4)}`;
    const equal = before === value;
    if (!equal) same = false;
    return `  ${name} ${value.toFixed(4)} (recorded ${before.toFixed(4)}${equal ? ', identical' : `, differs by ${(value - before).toExponential(2)}`})`;
  });
  return { lines, same };
}
