// The one error type of task-data loading. It names the file and, when the problem is in one row,
// the line (1-based, the line a multi-line CSV record starts on), so a user can open the file at
// the spot. The message is a full sentence that starts with "file:line:" and ends with a fix
// where one is known; the trainer reports it as is instead of crashing.

export class DataError extends Error {
  override readonly name = 'DataError';
  readonly file: string;
  readonly line?: number;
  readonly column?: number;

  constructor(file: string, line: number | undefined, problem: string, options?: { column?: number; cause?: unknown }) {
    const where = line === undefined ? file : options?.column === undefined ? `${file}:${line}` : `${file}:${line}:${options.column}`;
    super(`${where}: ${problem}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.file = file;
    this.line = line;
    this.column = options?.column;
  }
}

/** Turns a file-system failure into a DataError that says what to do about it. */
export function fileError(file: string, error: unknown, role: string): DataError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const problem =
    code === 'ENOENT'
      ? `the ${role} file does not exist.`
      : code === 'EISDIR'
        ? `the ${role} file is a folder; name a file instead.`
        : code === 'EACCES' || code === 'EPERM'
          ? `the ${role} file cannot be read: permission denied.`
          : `the ${role} file cannot be read: ${(error as Error)?.message ?? String(error)}`;
  return new DataError(file, undefined, problem, { cause: error });
}
