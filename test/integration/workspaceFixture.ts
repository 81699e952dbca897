// The folder the real editor opens: a temporary copy of examples/ (so the editor writes no
// .vscode or run folders into the repository) plus a deliberately broken copy of the quickstart.

import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const BROKEN_FILE = 'broken.masklab';
export const MISSPELLED_KEY = 'learning_rat';

export interface WorkspaceFixture {
  folder: string;
  source: string;
  broken: string;
  /** 1-based line of the misspelled key in the broken file. */
  brokenLine: number;
}

/**
 * Copies `<root>/examples` to `<tmp>/<repo name>/examples`, keeping its depth below a sibling
 * `shared` link so that paths like `../../shared/models/…` written relative to the examples still
 * resolve in the copy.
 */
export function prepareWorkspace(root: string, tmp: string, sourceName: string): WorkspaceFixture {
  const examples = path.join(root, 'examples');
  const source = path.join(examples, sourceName);
  if (!existsSync(source)) throw new Error(`${source} does not exist; the real-editor test opens it`);
  const folder = path.join(tmp, path.basename(root), 'examples');
  mkdirSync(path.dirname(folder), { recursive: true });
  cpSync(examples, folder, { recursive: true });
  const shared = path.resolve(root, '..', 'shared');
  if (existsSync(shared)) symlinkSync(shared, path.join(tmp, 'shared'), 'dir');

  const { text, line } = misspellAKey(readFileSync(source, 'utf8'));
  writeFileSync(path.join(folder, BROKEN_FILE), text);
  return { folder, source: path.join(folder, sourceName), broken: path.join(folder, BROKEN_FILE), brokenLine: line };
}

/** Inserts an entry with an unknown key as the first line of the first experiment's body. */
export function misspellAKey(text: string): { text: string; line: number } {
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /^\s*experiment\s+\w+[^{]*\{\s*(\/\/.*)?$/.test(l));
  if (header < 0) throw new Error('found no line "experiment NAME … {" to break');
  lines.splice(header + 1, 0, `  ${MISSPELLED_KEY} 1e-3   // misspelled on purpose: the real-editor test expects an error here`);
  return { text: lines.join('\n'), line: header + 2 };
}
