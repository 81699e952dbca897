// `masklab train FILE …`: resolves the experiment (or each sweep cell) exactly as `masklab config`
// does, refuses to start anything when it has errors, and trains each run in its own trainer
// process through the run manager, printing progress, metrics and a summary. SIGTERM (a
// scheduler's preemption) checkpoints the run and exits 143; `--resume` continues later.

import * as path from 'node:path';
import type { ExperimentConfig } from '../../../schemas/src/experimentConfig';
import type { Analysis } from '../analysis/analysis';
import { parseSetArgument, type Override } from '../analysis/overrides';
import type { ResolveProblem } from '../analysis/resolve';
import { expandSweep } from '../analysis/sweepCells';
import { FileSystemModelKnowledge } from '../checkpoint/modelKnowledge';
import { resolveTarget } from '../features/resolvedConfig';
import { findRun, latestRunOf } from '../runs/findRun';
import { runsDirectory } from '../runs/projectRoot';
import { newRunId } from '../runs/runId';
import type { RunFolder } from '../runs/runFolder';
import { RunManager, type StartRunRequest } from '../runs/runManager';
import { resumability } from '../runs/resumability';
import { RunStoreError } from '../runs/writeError';
import { parseArgs } from './cliArgs';
import { chooseTarget, parseIndex, type Target } from './chooseTarget';
import { ExitCode, UsageError, type CliCommand, type CliIO } from './command';
import { analyseFile, diagnosticLine, type AnalysedFile } from './sourceFile';
import { endReport, TrainReporter } from './trainReport';

const BACKENDS = ['auto', 'tensorflow', 'wasm', 'wasm_native', 'cpu'];
/** Environment variables a scheduler sets to a job's index in an array of jobs, in order of preference. */
const INDEX_VARIABLES = ['JOB_COMPLETION_INDEX', 'SLURM_ARRAY_TASK_ID'];

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'train an experiment or the cells of a sweep, each run in its own folder',
  usage: [
    'usage: masklab train FILE [--experiment NAME] [--index N] [--set key=value…] [--backend NAME] [--runs DIR] [--resume [RUN]]',
    '       masklab train --resume RUN',
    '',
    'Trains the experiment (or sweep) in FILE. Each run gets a folder <runs>/<experiment>/<run-id>/ holding the',
    'resolved config, environment, metrics.jsonl, mask snapshots, checkpoints, summary.json and the per-task artifact.',
    '  --experiment NAME  the experiment or sweep (needed when the file declares several)',
    '  --index N          one sweep cell, 0-based (default: $JOB_COMPLETION_INDEX, then $SLURM_ARRAY_TASK_ID;',
    '                     without any, every cell runs in turn)',
    "  --set key=value    override one key, in the language's own syntax (e.g. --set method.lr=3e-4); repeatable",
    '  --backend NAME     auto, tensorflow, wasm, wasm_native or cpu (same as --set device.backend=NAME)',
    '  --runs DIR         the run store (default: .masklab/runs in the project holding FILE)',
    '  --resume [RUN]     continue RUN (a run folder or id) from its last checkpoint; without RUN, the newest',
    '                     unfinished run of the experiment (or of each cell), starting one when there is none',
    'Exit status: 0 done, 2 invalid experiment or options (nothing trained), 1 a run failed,',
    '143 stopped by SIGTERM after checkpointing (resume with --resume), 130 interrupted (Ctrl-C).',
  ].join('\n'),
  run: runTrain,
};

interface Job {
  request: StartRunRequest;
  label: string;
}

async function runTrain(args: string[], io: CliIO): Promise<number> {
  const { resume, rest } = extractResume(args);
  const { flags, positionals, lists } = parseArgs(rest, ['experiment', 'index', 'backend', 'runs'], [], ['set']);
  if (positionals.length > 1) throw new UsageError(`give one .masklab file (got ${positionals.length} arguments: ${positionals.join(' ')})`);
  const backend = flags.get('backend');
  if (backend !== undefined && !BACKENDS.includes(backend)) throw new UsageError(`--backend must be ${BACKENDS.join(', ')}; got '${backend}'`);

  let jobs: Job[];
  if (typeof resume === 'string') {
    // A named run continues with the config saved in it: nothing from a file may change it.
    for (const flag of ['experiment', 'index', 'backend']) if (flags.has(flag)) throw new UsageError(`--${flag} cannot change a resumed run; it continues with its saved config`);
    if (lists.has('set')) throw new UsageError('--set cannot change a resumed run; it continues with its saved config (start a new run instead)');
    // Without a file, the project (and so the run store) is the working directory's.
    const runsDir = runsDirectory({ experimentFile: path.resolve(io.cwd, positionals[0] ?? 'here.masklab'), configured: flags.get('runs'), base: io.cwd });
    let folder: RunFolder;
    try {
      folder = findRun(resume, { cwd: io.cwd, runsDir });
    } catch (error) {
      if (!(error instanceof RunStoreError)) throw error;
      io.err(`masklab train: ${error.message}`);
      return ExitCode.invalid;
    }
    const label = `${folder.group}/${folder.runId}`;
    const verdict = resumability(folder);
    if (verdict === 'completed') {
      io.out(`${label}: already completed in ${folder.dir}; nothing to resume`);
      return ExitCode.ok;
    }
    if (typeof verdict === 'number') {
      io.err(`masklab train: ${label} is being trained right now by pid ${verdict} (${folder.dir})`);
      return ExitCode.invalid;
    }
    jobs = [{ request: { resumeDir: folder.dir }, label }];
  } else {
    if (positionals.length === 0) throw new UsageError('give the .masklab file to train (or --resume RUN)');
    const overrides: Override[] = (lists.get('set') ?? []).map((text) => {
      const parsed = parseSetArgument(text);
      if ('problem' in parsed) throw new UsageError(parsed.problem);
      return parsed;
    });
    if (backend !== undefined) overrides.push({ keyPath: 'device.backend', valueText: backend });
    const file = analyseFile(positionals[0], io.cwd, new FileSystemModelKnowledge());
    if ('problem' in file) {
      io.err(`${file.shownPath}:1:1: error: cannot read the file: ${file.problem}`);
      return ExitCode.invalid;
    }
    const configs = resolveConfigs(file, flags, overrides, io);
    if (!configs) return ExitCode.invalid;
    const runsDir = runsDirectory({ experimentFile: path.resolve(io.cwd, positionals[0]), configured: flags.get('runs'), base: io.cwd });
    const planned = planJobs(configs, runsDir, resume === true, io);
    if (!planned) return ExitCode.invalid;
    jobs = planned;
  }
  if (jobs.length === 0) return ExitCode.ok;
  return trainJobs(jobs, io);
}

/** `--resume`, `--resume RUN` and `--resume=RUN`; a following `.masklab` file is FILE, not RUN. */
function extractResume(args: string[]): { resume: string | boolean; rest: string[] } {
  let resume: string | boolean = false;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (arg.startsWith('--resume=')) {
      resume = arg.slice('--resume='.length);
      if (resume === '') throw new UsageError('--resume= needs a run folder or id (or use --resume alone)');
    } else if (arg === '--resume') {
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith('-') && !next.endsWith('.masklab')) {
        resume = next;
        i++;
      } else {
        resume = true;
      }
    } else {
      rest.push(arg);
    }
  }
  return { resume, rest };
}

/** The configs to train, or undefined after printing why the experiment cannot train. */
function resolveConfigs(file: AnalysedFile, flags: Map<string, string>, overrides: Override[], io: CliIO): ExperimentConfig[] | undefined {
  const { analysis } = file;
  const target = pickTarget(analysis, flags.get('experiment'), flags.get('index'), io.env);
  const problems: { cell?: number; problem: ResolveProblem }[] = [];
  const configs: ExperimentConfig[] = [];
  const resolveOne = (index: number | undefined) => {
    const result = resolveTarget(analysis, { name: target.name, index, overrides });
    if ('errors' in result) {
      for (const problem of result.errors) problems.push({ cell: analysis.sweeps.has(target.name) ? index : undefined, problem });
      return;
    }
    for (const w of result.warnings) io.err(w.span ? diagnosticLine(file, { span: w.span, severity: 'warning', message: w.message }) : `${file.shownPath}: warning: ${w.message}`);
    configs.push(result.config);
  };
  if (analysis.sweeps.has(target.name) && target.index === undefined) {
    const expansion = expandSweep(analysis, target.name);
    if ('errors' in expansion) for (const problem of expansion.errors) problems.push({ problem });
    else for (const cell of expansion.cells) resolveOne(cell.index);
  } else {
    resolveOne(target.index);
  }
  if (problems.length === 0) return configs;
  const seen = new Set<string>();
  for (const { cell, problem } of problems) {
    const message = cell === undefined ? problem.message : `cell ${cell}: ${problem.message}`;
    const line = problem.span ? diagnosticLine(file, { span: problem.span, severity: 'error', message }) : `${file.shownPath}: error: ${message}`;
    if (seen.has(line)) continue;
    seen.add(line);
    io.err(line);
  }
  io.err(`masklab train: nothing trained: ${seen.size} error${seen.size === 1 ? '' : 's'} (check the file with: masklab validate ${file.shownPath})`);
  return undefined;
}

/**
 * The experiment or sweep to train. A scheduler's array index picks a cell of the file's sweep
 * when no --index is given; an explicit --index always wins.
 */
function pickTarget(analysis: Analysis, experiment: string | undefined, indexText: string | undefined, env: NodeJS.ProcessEnv): Target {
  const variable = INDEX_VARIABLES.find((v) => env[v] !== undefined && env[v] !== '');
  const envIndex = () => {
    if (!variable) return undefined;
    const text = env[variable] as string;
    if (!/^\d+$/.test(text)) throw new UsageError(`${variable} must be a whole number from 0 to pick a sweep cell (got '${text}')`);
    return Number(text);
  };
  if (experiment !== undefined) {
    const index = indexText !== undefined ? parseIndex(indexText) : analysis.sweeps.has(experiment) ? envIndex() : undefined;
    return { name: experiment, index };
  }
  if (indexText === undefined) {
    const sweeps = [...analysis.sweeps.keys()];
    if (sweeps.length === 1 && (variable !== undefined || analysis.experiments.size === 0)) return { name: sweeps[0], index: envIndex() };
  }
  return chooseTarget(analysis, undefined, indexText);
}

/** New runs, or with `--resume` the newest unfinished run of each config (skipping finished ones). */
function planJobs(configs: ExperimentConfig[], runsDir: string, resumeLatest: boolean, io: CliIO): Job[] | undefined {
  const jobs: Job[] = [];
  // The cells trained by one command share an id stem: 20251123-101502-k3x9-cell0, -cell1, …
  const stem = newRunId();
  for (const config of configs) {
    const label = config.name;
    const runId = config.sweep ? `${stem}-cell${config.sweep.index}` : undefined;
    if (!resumeLatest) {
      jobs.push({ request: { config, runsDir, runId }, label });
      continue;
    }
    const latest = latestRunOf(runsDir, config);
    const verdict = latest ? resumability(latest) : 'none';
    if (!latest || verdict === 'none') {
      io.out(`${label}: no earlier run to resume in ${runsDir}; starting a new one`);
      jobs.push({ request: { config, runsDir, runId }, label });
    } else if (verdict === 'completed') {
      io.out(`${label}: already completed in ${latest.dir}; nothing to resume`);
    } else if (typeof verdict === 'number') {
      io.err(`masklab train: ${label} is being trained right now by pid ${verdict} (${latest.dir})`);
      return undefined;
    } else {
      if (JSON.stringify(latest.readConfig()) !== JSON.stringify(config)) {
        io.err(`warning: ${label}: the experiment changed since ${latest.runId} started; resuming with the config saved in the run (start a new run without --resume to use the new one)`);
      }
      jobs.push({ request: { resumeDir: latest.dir }, label });
    }
  }
  return jobs;
}

async function trainJobs(jobs: Job[], io: CliIO): Promise<number> {
  const manager = new RunManager({ env: { ...process.env, ...io.env } });
  let stopSignal: 'SIGTERM' | 'SIGINT' | undefined;
  let current: ReturnType<RunManager['start']> | undefined;
  const onTerm = () => {
    if (!stopSignal) io.err('SIGTERM received: checkpointing, then stopping');
    stopSignal = 'SIGTERM';
    current?.cancel();
  };
  const onInt = () => {
    if (stopSignal === 'SIGINT') {
      io.err('stopping at once (no checkpoint of the last steps)');
      current?.kill();
      return;
    }
    stopSignal = 'SIGINT';
    io.err('interrupted: checkpointing, then stopping (Ctrl-C again to stop at once)');
    current?.cancel();
  };
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  let failures = 0;
  try {
    for (const [i, job] of jobs.entries()) {
      if (stopSignal) break;
      try {
        current = manager.start(job.request);
      } catch (error) {
        if (!(error instanceof RunStoreError)) throw error;
        io.err(`masklab train: ${job.label}: ${error.message}`);
        return ExitCode.failure;
      }
      const counter = jobs.length > 1 ? ` [${i + 1}/${jobs.length}]` : '';
      io.out(`${current.resumed ? 'resuming' : 'training'} ${job.label}${counter} → ${current.dir}`);
      const reporter = new TrainReporter(io);
      const detach = reporter.attach(current);
      const end = await current.done;
      detach();
      for (const line of endReport(current, end)) {
        if (end.state === 'failed' && line.startsWith('failed')) io.err(line);
        else io.out(line);
      }
      if (end.state === 'failed') failures++;
      current = undefined;
    }
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
  }
  if (stopSignal === 'SIGTERM') return ExitCode.terminated;
  if (stopSignal === 'SIGINT') return 130;
  if (failures > 0 && jobs.length > 1) io.err(`masklab train: ${failures} of ${jobs.length} runs failed`);
  return failures > 0 ? ExitCode.failure : ExitCode.ok;
}
