// One `masklab` sub-command. Each lives in its own file and is listed in commands.ts.

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Working directory that relative paths on the command line are resolved against. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** True when stdout is a terminal (progress bars); false in CI and scheduler logs. */
  isTTY: boolean;
  /**
   * Rewrites the terminal's status line (a progress bar) in place; `''` clears it. Present only
   * when stderr is a terminal, so commands fall back to plain lines in logs.
   */
  status?: (text: string) => void;
}

/** Exit codes shared by every command. */
export const ExitCode = {
  ok: 0,
  /** Internal or runtime failure. */
  failure: 1,
  /** The user's input is invalid (diagnostics with errors, bad flags, unknown experiment). */
  invalid: 2,
  /** Stopped by SIGTERM after checkpointing. */
  terminated: 143,
} as const;

export interface CliCommand {
  name: string;
  /** One line for `masklab --help`. */
  summary: string;
  /** Full usage text for `masklab NAME --help`. */
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}

/** A mistake on the command line: printed as one line, no stack trace, exit 2. */
export class UsageError extends Error {}
