// One run folder, `<runs>/<experiment>/<run-id>/`: its files by name, readers that check what they
// read, and creation — exclusive, so two runs can never share a folder even when started in the
// same second on machines that share the run store.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExperimentConfig } from '../../../schemas/src/experimentConfig';
import { RUN_FILES, type MaskSnapshotFile, type RunEnvironment, type RunStatus } from '../../../schemas/src/runRecord';
import { readMaskSnapshotFile, readRunEnvironment, readRunSummary } from '../../../schemas/src/runRecordSchemas';
import type { RunSummary } from '../../../schemas/src/runSummary';
import { formatSchemaErrors, validateConfig } from '../../../schemas/src/validateConfig';
import { readJsonFile, writeJsonAtomic } from './atomicFile';
import { listCheckpoints, type CheckpointEntry } from './checkpointFiles';
import { readMetricsFile, type MetricsReadResult } from './metricsLog';
import { newRunId, runGroupOf } from './runId';
import { readStatusFile } from './runStatus';
import { describeWriteError, RunStoreError } from './writeError';

export class RunFolder {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  get runId(): string {
    return path.basename(this.dir);
  }

  /** The experiment (or sweep) folder name the run sits in. */
  get group(): string {
    return path.basename(path.dirname(this.dir));
  }

  file(name: keyof typeof RUN_FILES): string {
    return path.join(this.dir, RUN_FILES[name]);
  }

  maskSnapshotFile(step: number): string {
    return path.join(this.file('masks'), `step-${step}.json`);
  }

  readConfig(): ExperimentConfig {
    const file = this.file('config');
    let json: unknown;
    try {
      json = readJsonFile(file);
    } catch (error) {
      throw new RunStoreError(`${file}: ${(error as Error).message}`);
    }
    if (json === undefined) throw new RunStoreError(`${this.dir} is not a run folder: it has no ${RUN_FILES.config}`);
    const checked = validateConfig(json);
    if (!checked.valid) throw new RunStoreError(`${file} is not a valid resolved config:\n${formatSchemaErrors(checked.errors)}`);
    return checked.config;
  }

  readStatus(): { status: RunStatus } | { problem: string } {
    return readStatusFile(this.dir);
  }

  readSummary(): RunSummary | undefined {
    return this.readChecked(this.file('summary'), readRunSummary);
  }

  readEnvironment(): RunEnvironment | undefined {
    return this.readChecked(this.file('environment'), readRunEnvironment);
  }

  readMetrics(): MetricsReadResult {
    return readMetricsFile(this.file('metrics'));
  }

  checkpoints(): CheckpointEntry[] {
    return listCheckpoints(this.file('checkpoints'));
  }

  /** Steps that have a mask snapshot, ascending. */
  maskSnapshotSteps(): number[] {
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.file('masks'));
    } catch {
      return [];
    }
    return names
      .map((n) => /^step-(\d+)\.json$/.exec(n))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  }

  readMaskSnapshot(step: number): MaskSnapshotFile | undefined {
    return this.readChecked(this.maskSnapshotFile(step), readMaskSnapshotFile);
  }

  /** True when the folder looks like a run folder (has its resolved config). */
  isRun(): boolean {
    return fs.existsSync(this.file('config'));
  }

  private readChecked<T>(file: string, read: (value: unknown) => { ok: true; value: T } | { ok: false; problem: string }): T | undefined {
    let json: unknown;
    try {
      json = readJsonFile(file);
    } catch (error) {
      throw new RunStoreError(`${file}: ${(error as Error).message}`);
    }
    if (json === undefined) return undefined;
    const checked = read(json);
    if (!checked.ok) throw new RunStoreError(`${file}: ${checked.problem}`);
    return checked.value;
  }
}

export interface CreateRunOptions {
  now?: Date;
  /** For tests: the id to try first (a taken id is still never reused). */
  runId?: string;
}

/**
 * Creates `<runsDir>/<group>/<run-id>/` exclusively (mkdir fails when the folder exists, and then
 * a fresh id is drawn), writes the resolved config, and makes `masks/` and `checkpoints/`.
 */
export function createRunFolder(runsDir: string, config: ExperimentConfig, options: CreateRunOptions = {}): RunFolder {
  const groupDir = path.join(path.resolve(runsDir), runGroupOf(config));
  try {
    fs.mkdirSync(groupDir, { recursive: true });
  } catch (error) {
    throw describeWriteError(error, groupDir, 'create the run store folder');
  }
  const cell = config.sweep?.index;
  let runId = options.runId ?? newRunId({ now: options.now, cell });
  for (let attempt = 0; ; attempt++) {
    const dir = path.join(groupDir, runId);
    try {
      fs.mkdirSync(dir); // not recursive: EEXIST when another run took this id
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 20) {
        runId = newRunId({ now: options.now, cell });
        continue;
      }
      throw describeWriteError(error, dir, 'create the run folder');
    }
    const folder = new RunFolder(dir);
    try {
      writeJsonAtomic(folder.file('config'), config);
      fs.mkdirSync(folder.file('masks'));
      fs.mkdirSync(folder.file('checkpoints'));
    } catch (error) {
      throw describeWriteError(error, dir, 'write the run folder');
    }
    return folder;
  }
}
