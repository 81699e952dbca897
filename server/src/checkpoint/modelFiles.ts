// Reading the files of a model folder: the folder itself, and its small JSON files (config.json,
// tokenizer_config.json, model.safetensors.index.json) with errors naming the file, line and column.

import * as fs from 'node:fs';
import { CheckpointError, describeFileSystemError } from './checkpointError';

/** Checks that `dir` is an existing folder (following links); throws CheckpointError naming it otherwise. */
export function requireFolder(dir: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const sentence =
      code === 'ENOENT' ? `The model folder ${dir} does not exist; check the model path (it is relative to the experiment file).` : describeFileSystemError(error, dir, 'model folder');
    throw new CheckpointError(dir, sentence, { cause: error });
  }
  if (!stat.isDirectory()) {
    throw new CheckpointError(dir, `${dir} is a file, but the model path must name a Hugging Face model folder (holding config.json and model.safetensors).`);
  }
}

/** Reads a regular file as UTF-8; a folder, a link loop or a missing file is a CheckpointError. */
export function readTextFile(file: string, what: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw new CheckpointError(file, describeFileSystemError(error, file, what), { cause: error });
  }
  if (!stat.isFile()) {
    throw new CheckpointError(file, `${file} is ${stat.isDirectory() ? 'a folder' : 'not a regular file'}, but ${what} was expected there.`);
  }
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CheckpointError(file, describeFileSystemError(error, file, what), { cause: error });
  }
}

/** Parses JSON text; syntax errors become "file:line:column: …". */
export function parseJsonText(text: string, file: string, what: string): unknown {
  // A byte-order mark is legal in files written by some editors; JSON.parse rejects it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(detail);
    const where = position ? lineAndColumn(body, Number(position[1])) : undefined;
    const location = where ? `${file}:${where.line}:${where.column}` : file;
    throw new CheckpointError(file, `${location}: ${what} is not valid JSON (${detail}).`, { cause: error });
  }
}

export function readJsonFile(file: string, what: string): unknown {
  return parseJsonText(readTextFile(file, what), file, what);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON value named the way a user would recognise it in an error message. */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
