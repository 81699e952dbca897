// Where the real-editor tools live (installed by .ci/setup-editor.sh, outside the repository),
// and whether they are all there.

import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface EditorTools {
  cache: string;
  codeServer: string;
  vsce: string;
  playwrightCore: string;
  chromium: string;
}

export const SETUP_HINT = 'run `bash .ci/setup-editor.sh` to install code-server, Chromium, playwright-core and vsce';

export function editorCacheDir(): string {
  return process.env.MASKLAB_EDITOR_CACHE ?? path.join(os.homedir(), '.cache', 'masklab', 'code-server');
}

/** The tools, or the list of what is missing. */
export function findEditorTools(): EditorTools | { missing: string[] } {
  const cache = editorCacheDir();
  const tools: EditorTools = {
    cache,
    codeServer: path.join(cache, 'node_modules/.bin/code-server'),
    vsce: path.join(cache, 'node_modules/.bin/vsce'),
    playwrightCore: path.join(cache, 'node_modules/playwright-core'),
    chromium: process.env.MASKLAB_CHROMIUM ?? '/usr/bin/chromium',
  };
  const missing = Object.entries(tools)
    .filter(([name, file]) => name !== 'cache' && !existsSync(file))
    .map(([, file]) => file);
  return missing.length > 0 ? { missing } : tools;
}

/** The repository root: the nearest folder above this file holding package.json. */
export function repositoryRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}
