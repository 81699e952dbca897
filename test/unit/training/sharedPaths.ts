// Where the shared checkpoint lives: ../shared next to the repository root (the folder holding
// package.json), never copied into the repo.

import * as fs from 'node:fs';
import * as path from 'node:path';

export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

export const SHARED_MODEL_RELATIVE = '../shared/models/bert-tiny-glue-mlm';
export const sharedModelDir = path.resolve(repoRoot(), SHARED_MODEL_RELATIVE);
export const sharedModelAbsent = !fs.existsSync(path.join(sharedModelDir, 'model.safetensors'));
export const SKIP_SHARED = sharedModelAbsent && `shared data absent: ${SHARED_MODEL_RELATIVE}`;
