// `masklab eval RUN`: re-evaluates a run's kept state (best or last) on its dev set from the base
// checkpoint and the per-task artifact, and compares with what the run recorded.

import * as path from 'node:path';
import type { BackendName } from '../../../schemas/src/experimentConfig';
import { findRun } from '../runs/findRun';
import { runsDirectory } from '../runs/projectRoot';
import { RunStoreError } from '../runs/writeError';
import { ArtifactFormatError } from '../training/artifact/taskArtifact';
import { parseArgs } from './cliArgs';
import { ExitCode, UsageError, type CliCommand } from './command';
import { compareMetrics, evaluateKept, keptState } from './runEvaluation';

const BACKENDS = ['auto', 'tensorflow', 'wasm', 'wasm_native', 'cpu'];

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: "re-evaluate a run's best or last state on its dev set",
  usage: [
    'usage: masklab eval RUN [--runs DIR] [--backend NAME] [--json]',
    '',
    "Rebuilds the run's kept model (best or last, per evaluate.keep) from the base checkpoint and the run's",
    'per-task artifact, evaluates it on the dev set, and compares with the metrics the run recorded.',
    'RUN is a run folder or a run id (see masklab runs). An interrupted run that keeps its best state is',
    'evaluated from its newest checkpoint.',
    '  --runs DIR      the run store to look RUN up in (default: .masklab/runs of the current project)',
    "  --backend NAME  auto, tensorflow, wasm, wasm_native or cpu (default: the run's own, which reproduces its numbers exactly)",
    '  --json          print {"metrics": …, "recorded": …, "identical": …} as JSON',
    'Exit status: 0 evaluated, 2 no such run or bad options, 1 the run cannot be evaluated.',
  ].join('\n'),
  async run(args, io) {
    const { flags, positionals } = parseArgs(args, ['runs', 'backend'], ['json']);
    if (positionals.length !== 1) throw new UsageError('give one RUN (a run folder or a run id)');
    const backend = flags.get('backend');
    if (backend !== undefined && !BACKENDS.includes(backend)) throw new UsageError(`--backend must be ${BACKENDS.join(', ')}; got '${backend}'`);
    const runsDir = runsDirectory({ experimentFile: path.join(io.cwd, 'here.masklab'), configured: flags.get('runs'), base: io.cwd });
    let folder;
    try {
      folder = findRun(positionals[0], { cwd: io.cwd, runsDir });
    } catch (error) {
      if (!(error instanceof RunStoreError)) throw error;
      io.err(`masklab eval: ${error.message}`);
      return ExitCode.invalid;
    }
    try {
      const kept = await keptState(folder);
      if (!flags.has('json')) io.out(`evaluating ${kept.config.name} (${folder.group}/${folder.runId}) from ${kept.source}`);
      const values = await evaluateKept(kept, backend as BackendName | undefined, (w) => io.err(`warning: ${w}`));
      const comparison = compareMetrics(values, kept.recorded);
      if (flags.has('json')) {
        io.out(JSON.stringify({ run: folder.dir, metrics: values, recorded: kept.recorded, identical: comparison.same }, null, 2));
      } else {
        io.out(`${kept.config.task.kind === 'glue' ? `glue/${kept.config.task.name}` : kept.config.task.kind} ${kept.config.evaluate.split}:`);
        for (const line of comparison.lines) io.out(line);
        if (kept.recorded) io.out(comparison.same ? 'identical to the metrics the run recorded' : 'differs from the metrics the run recorded (another backend or Masklab version?)');
      }
      return ExitCode.ok;
    } catch (error) {
      if (!(error instanceof RunStoreError) && !(error instanceof ArtifactFormatError)) throw error;
      io.err(`masklab eval: ${error.message}`);
      return ExitCode.failure;
    }
  },
};
