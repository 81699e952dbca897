// File-system failures while writing a run, turned into messages that say which file, what went
// wrong in words, and what to do about it.

export class RunStoreError extends Error {
  override name = 'RunStoreError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** `error` from writing or creating `file`, as a RunStoreError with a fix. */
export function describeWriteError(error: unknown, file: string, doing = 'write'): RunStoreError {
  if (error instanceof RunStoreError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'ENOSPC'
      ? 'the disk is full; free some space or store runs elsewhere with --runs DIR (or the masklab.runs.directory setting)'
      : code === 'EDQUOT'
        ? 'the disk quota is exceeded; free some space or store runs elsewhere with --runs DIR'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied; make the folder writable or store runs elsewhere with --runs DIR'
          : code === 'EROFS'
            ? 'the file system is read-only; store runs elsewhere with --runs DIR'
            : code === 'ENOTDIR'
              ? 'a part of the path is a file, not a folder; store runs elsewhere with --runs DIR'
              : code === 'EEXIST'
                ? 'it already exists'
                : error instanceof Error
                  ? error.message
                  : String(error);
  return new RunStoreError(`cannot ${doing} ${file}: ${reason}`, code);
}
