// Where runs are stored. One function answers for the CLI and the editor, so that `masklab train`
// in a terminal and a run started from VS Code land in the same run store.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** The run store's folder inside a project. */
export const RUNS_SUBFOLDER = path.join('.masklab', 'runs');

/**
 * The project an experiment file belongs to: the nearest ancestor folder holding `.git` or
 * `package.json`, else the file's own folder.
 */
export function findProjectRoot(experimentFile: string, exists: (p: string) => boolean = fs.existsSync): string {
  const start = path.dirname(path.resolve(experimentFile));
  for (let dir = start; ; ) {
    if (exists(path.join(dir, '.git')) || exists(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
}

export interface RunsDirectoryOptions {
  /** The experiment file (or, with no file at hand, any path inside the project). */
  experimentFile: string;
  /** `--runs DIR` or the `masklab.runs.directory` setting; empty or absent: the project's `.masklab/runs`. */
  configured?: string;
  /** What a relative `configured` is relative to: the working directory (CLI) or the workspace folder (editor). */
  base?: string;
}

/** The run store: `configured` when given, else `<project root>/.masklab/runs`. */
export function runsDirectory(options: RunsDirectoryOptions): string {
  const configured = options.configured?.trim();
  if (configured) return path.resolve(options.base ?? process.cwd(), configured);
  return path.join(findProjectRoot(options.experimentFile), RUNS_SUBFOLDER);
}
