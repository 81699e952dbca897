// Builds, packages (.vsix) and installs the extension the way a user gets it, so the real-editor
// test exercises the packaged files rather than the source tree.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stageTrainerRuntime } from './trainerRuntime';

/** Files of the repository that make up the extension (besides package.json). */
const EXTENSION_FILES = ['dist', 'client/syntaxes', 'client/language-configuration.json', 'client/media', 'README.md', 'CHANGELOG.md', 'LICENSE'];

const MIT_TERMS = `Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE
USE OR OTHER DEALINGS IN THE SOFTWARE.`;

function runTool(command: string, args: string[], cwd: string, what: string, timeoutMs: number, env?: Record<string, string>): string {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error || result.status !== 0) {
    throw new Error(`${what} failed (${result.error?.message ?? `exit ${result.status}`}): ${command} ${args.join(' ')}\n${output}`);
  }
  return output;
}

/** Runs the project's bundler (.ci/build.mjs); the bundles land in dist/. */
export function bundleExtension(root: string): void {
  runTool(process.execPath, [path.join(root, '.ci/build.mjs')], root, 'bundling the extension (.ci/build.mjs)', 120_000);
}

/**
 * Copies what the .vsix should contain into `stageDir`. Without a LICENSE in the repository a
 * MIT one naming the package is written (package.json says MIT), because vsce, without a
 * terminal, stops to ask about a missing license.
 */
export function stageExtension(root: string, stageDir: string, serverBundle?: string): void {
  mkdirSync(stageDir, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  // Lifecycle scripts belong to the source checkout; packaging the staged bundles must not rebuild.
  delete manifest.scripts;
  writeFileSync(path.join(stageDir, 'package.json'), JSON.stringify(manifest, null, 2));
  for (const file of EXTENSION_FILES) {
    const from = path.join(root, file);
    if (existsSync(from)) cpSync(from, path.join(stageDir, file), { recursive: true });
  }
  // TensorFlow.js for the trainer and `masklab eval` (the bundles keep it external).
  stageTrainerRuntime(root, stageDir);
  if (serverBundle) {
    mkdirSync(path.join(stageDir, 'dist/server'), { recursive: true });
    cpSync(serverBundle, path.join(stageDir, 'dist/server/server.js'));
  }
  if (!existsSync(path.join(stageDir, 'LICENSE'))) {
    writeFileSync(
      path.join(stageDir, 'LICENSE'),
      `MIT License\n\nCopyright (c) ${new Date().getFullYear()} ${String(manifest.publisher)}\n\n${MIT_TERMS}\n`,
    );
  }
  if (!existsSync(path.join(stageDir, 'README.md'))) {
    writeFileSync(path.join(stageDir, 'README.md'), `# ${String(manifest.displayName)}\n\n${String(manifest.description)}\n`);
  }
}

/**
 * `vsce package` the staged folder into `vsixFile` (bundled, so no node_modules). Relative links
 * in the README need a base URL; vsce derives one only for GitHub/GitLab repositories, so it is
 * given one from package.json's `repository`.
 */
export function packageExtension(vsce: string, stageDir: string, vsixFile: string): void {
  const manifest = JSON.parse(readFileSync(path.join(stageDir, 'package.json'), 'utf8')) as { repository?: string | { url?: string } };
  const repository = (typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url ?? '').replace(/\.git$/, '');
  const baseUrls = repository ? ['--baseContentUrl', `${repository}/blob/HEAD`, '--baseImagesUrl', `${repository}/raw/HEAD`] : [];
  runTool(vsce, ['package', '--no-dependencies', ...baseUrls, '--out', vsixFile], stageDir, 'vsce package', 120_000);
  if (!existsSync(vsixFile)) throw new Error(`vsce package reported success but wrote no ${vsixFile}`);
}

/** Installs the .vsix into a fresh extensions folder; returns the installed extension's folder. */
export function installExtension(options: {
  codeServer: string;
  vsixFile: string;
  /** The staged folder the .vsix was made from (its package.json names the installed folder). */
  stageDir: string;
  extensionsDir: string;
  userDataDir: string;
  /** code-server writes its config file here instead of ~/.config/code-server. */
  configFile: string;
}): string {
  runTool(
    options.codeServer,
    ['--extensions-dir', options.extensionsDir, '--user-data-dir', options.userDataDir, '--install-extension', options.vsixFile, '--force'],
    options.stageDir,
    'code-server --install-extension',
    120_000,
    { CODE_SERVER_CONFIG: options.configFile },
  );
  const manifest = JSON.parse(readFileSync(path.join(options.stageDir, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
  };
  const installed = path.join(options.extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  if (!existsSync(path.join(installed, 'package.json'))) throw new Error(`the extension was not installed into ${installed}`);
  return installed;
}
