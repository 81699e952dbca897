// The one error type of the checkpoint module. Every message is a full sentence that names the
// file (absolute path), the tensor or config field when there is one, what was found, what was
// expected and, where we know one, a fix. The analyser shows `message` as is.

export interface CheckpointErrorDetails {
  /** The tensor the problem is about, as named in the file. */
  tensor?: string;
  /** The config.json / tokenizer_config.json / index field the problem is about. */
  field?: string;
  /** Further problems of the same kind, one sentence each (the message lists the first few). */
  details?: readonly string[];
  cause?: unknown;
}

export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  readonly file: string;
  readonly tensor?: string;
  readonly field?: string;
  readonly details: readonly string[];

  constructor(file: string, message: string, extra: CheckpointErrorDetails = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.file = file;
    this.tensor = extra.tensor;
    this.field = extra.field;
    this.details = extra.details ?? [];
  }
}

/** Joins several problems into one message: the first few in full, then a count of the rest. */
export function summariseProblems(lead: string, problems: readonly string[], shown = 4): string {
  const listed = problems.slice(0, shown).join(' ');
  const rest = problems.length > shown ? ` (and ${problems.length - shown} more)` : '';
  return `${lead} ${listed}${rest}`;
}

/**
 * Turns a Node file-system error into one sentence naming the file. Unknown errors keep their
 * own message so nothing is lost.
 */
export function describeFileSystemError(error: unknown, file: string, what = 'file'): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return `${file} does not exist.`;
    case 'ENOTDIR':
      return `${file} cannot be read: a part of its path is a file, not a folder.`;
    case 'EISDIR':
      return `${file} is a folder, but a ${what} was expected there.`;
    case 'ELOOP':
      return `${file} cannot be read: it is a symbolic link loop (a link that points back to itself); fix or remove the link.`;
    case 'EACCES':
    case 'EPERM':
      return `${file} cannot be read: permission denied.`;
    case 'EMFILE':
    case 'ENFILE':
      return `${file} cannot be opened: too many open files; close some and try again.`;
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return `${file} cannot be read: ${message}.`;
    }
  }
}

/** Formats a shape the way PyTorch prints it: [30522, 128]. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
