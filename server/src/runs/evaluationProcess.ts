// Re-evaluating a run for the editor: `masklab eval RUN --json` in a child process. The evaluation
// loads tfjs and the model, which must stay out of the language server (its memory, and an event
// loop that keeps answering completions meanwhile); the command line already does exactly this,
// with the errors people know from the terminal.

import { fork } from 'node:child_process';
import { cliEntry, type TrainerEntry } from './trainerLaunch';

export interface EvaluationOutcome {
  runDir: string;
  metrics: Record<string, number>;
  /** The metrics the run recorded for the evaluated state (null when it has none). */
  recorded: Record<string, number> | null;
  /** True when every recorded metric was reproduced exactly. */
  identical: boolean;
}

export interface EvaluationOptions {
  /** The command line to fork (default: cliEntry()). */
  entry?: TrainerEntry;
  env?: NodeJS.ProcessEnv;
  /** Stops the evaluation (the child is killed). */
  signal?: AbortSignal;
  /** Gives up after this long (default: 10 minutes). */
  timeoutMs?: number;
}

/** Never rejects: a run that cannot be evaluated answers `{ error }` with what the command line said. */
export function evaluateRunInChild(runDir: string, options: EvaluationOptions = {}): Promise<EvaluationOutcome | { error: string }> {
  let entry: TrainerEntry;
  try {
    entry = options.entry ?? cliEntry(options.env ?? process.env);
  } catch (error) {
    return Promise.resolve({ error: (error as Error).message });
  }
  return new Promise((resolve) => {
    const child = fork(entry.file, ['eval', runDir, '--json'], {
      execArgv: entry.execArgv,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      signal: options.signal,
      timeout: options.timeoutMs ?? 600_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    let failure: string | undefined;
    child.on('error', (error) => (failure = error.name === 'AbortError' ? 'the evaluation was stopped' : error.message));
    child.once('close', (code, signal) => {
      if (failure) return resolve({ error: failure });
      if (code !== 0) {
        const said = cliComplaint(stderr);
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        return resolve({ error: said || `masklab eval ${how} without saying why` });
      }
      resolve(readEvaluation(stdout, runDir));
    });
  });
}

/** The `--json` answer of `masklab eval`, checked. */
export function readEvaluation(stdout: string, runDir: string): EvaluationOutcome | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return { error: `masklab eval printed no JSON answer: ${stdout.trim().slice(0, 200) || '(nothing)'}` };
  }
  const answer = parsed as { metrics?: unknown; recorded?: unknown; identical?: unknown; run?: unknown };
  if (!isNumberRecord(answer.metrics)) return { error: 'masklab eval answered without metrics' };
  const recorded = isNumberRecord(answer.recorded) ? answer.recorded : null;
  return { runDir: typeof answer.run === 'string' ? answer.run : runDir, metrics: answer.metrics, recorded, identical: answer.identical === true };
}

function isNumberRecord(value: unknown): value is Record<string, number> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'number');
}

/** What `masklab eval` said went wrong: its `masklab eval: …` lines, else its last lines. */
function cliComplaint(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  const own = lines.filter((l) => l.startsWith('masklab eval: ')).map((l) => l.slice('masklab eval: '.length));
  return (own.length > 0 ? own : lines.filter((l) => !/^\s+at\s/.test(l)).slice(-3)).join('\n');
}
