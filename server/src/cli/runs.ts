// `masklab runs`: the runs of a run store with status, best metric, progress and duration.

import * as path from 'node:path';
import { formatDuration } from '../runs/progressText';
import { runsDirectory } from '../runs/projectRoot';
import { listRuns, type RunListing } from '../runs/runListing';
import { parseArgs } from './cliArgs';
import { ExitCode, UsageError, type CliCommand } from './command';

export const runsCommand: CliCommand = {
  name: 'runs',
  summary: 'list runs with status, best metric and duration',
  usage: [
    'usage: masklab runs [--runs DIR] [--experiment NAME] [--json]',
    '',
    'Lists the runs of the run store, oldest first: run (experiment/run-id), status, best dev value of the',
    'primary metric (a fraction) with its step, steps done, training time, start time. A run whose trainer',
    'died without recording its end shows as interrupted (resume it with masklab train --resume RUN).',
    '  --runs DIR         the run store (default: .masklab/runs in the project holding the working directory)',
    '  --experiment NAME  only the runs of this experiment or sweep',
    '  --json             one JSON array of runs instead of the table',
  ].join('\n'),
  async run(args, io) {
    const { flags, positionals } = parseArgs(args, ['runs', 'experiment'], ['json']);
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const runsDir = runsDirectory({ experimentFile: path.join(io.cwd, 'here.masklab'), configured: flags.get('runs'), base: io.cwd });
    const runs = listRuns(runsDir, { group: flags.get('experiment') });
    if (flags.has('json')) {
      io.out(JSON.stringify(runs, null, 2));
      return ExitCode.ok;
    }
    if (runs.length === 0) {
      io.err(`no runs in ${runsDir}${flags.has('experiment') ? ` for '${flags.get('experiment')}'` : ''}; start one with: masklab train FILE`);
      return ExitCode.ok;
    }
    io.out(`runs in ${runsDir}`);
    for (const line of runsTable(runs)) io.out(line);
    for (const run of runs) for (const problem of run.problems) io.err(`warning: ${run.group}/${run.runId}: ${problem}`);
    return ExitCode.ok;
  },
};

export function runsTable(runs: RunListing[]): string[] {
  const rows = runs.map((r) => [
    `${r.group}/${r.runId}`,
    r.state,
    r.best ? `${r.best.metric} ${r.best.value.toFixed(4)} @${r.best.step}` : '-',
    r.stepsTotal ? `${r.step}/${r.stepsTotal}` : String(r.step),
    r.durationSeconds === null ? '-' : formatDuration(r.durationSeconds),
    r.startedAt ? r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-',
  ]);
  const header = ['RUN', 'STATUS', 'BEST', 'STEPS', 'TIME', 'STARTED'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '));
}
