// Bundles the extension, the language server, the CLI and the trainer with esbuild.
// tfjs stays external (loaded from node_modules at run time, with its wasm binaries);
// `vscode` is provided by the extension host.
import { build } from 'esbuild';
import { chmodSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');

const require = createRequire(import.meta.url);

// tfjs-core's main entry registers no gradients; its gradient registrations exist only as ES
// module source, which plain node cannot load from node_modules. Bundle that one module in.
const bundleTfjsGradients = {
  name: 'bundle-tfjs-gradients',
  setup(b) {
    b.onResolve({ filter: /^@tensorflow\/tfjs-core\/dist\/register_all_gradients$/ }, (args) => ({
      path: require.resolve(args.path),
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  external: ['vscode', '@tensorflow/*', 'playwright-core'],
  plugins: [bundleTfjsGradients],
};

const entries = [
  { in: 'client/src/extension.ts', out: 'dist/client/extension.js' },
  { in: 'server/src/lsp/main.ts', out: 'dist/server/server.js' },
  { in: 'server/src/cli/main.ts', out: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { in: 'server/src/training/trainerProcess.ts', out: 'dist/trainer.js' },
];

const started = Date.now();
await Promise.all(
  entries
    .filter((e) => existsSync(path.join(root, e.in)))
    .map((e) => build({ ...common, entryPoints: [e.in], outfile: e.out, banner: e.banner })),
);
// The CLI is package.json's `bin`: `npx masklab` executes the file itself, so it must stay
// executable however it was (re)written — esbuild creates a new file with mode 0644.
if (existsSync(path.join(root, 'dist/cli.js'))) chmodSync(path.join(root, 'dist/cli.js'), 0o755);

// Webview bundles run in the browser: one per panel folder with a main.ts.
const webviewEntries = ['metrics', 'masks']
  .map((name) => ({ name, file: `webviews/src/${name}/main.ts` }))
  .filter((e) => existsSync(path.join(root, e.file)));
await Promise.all(
  webviewEntries.map((e) =>
    build({
      ...common,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      external: [],
      entryPoints: [e.file],
      outfile: `dist/webviews/${e.name}.js`,
    }),
  ),
);
console.log(`masklab: bundled in ${Date.now() - started} ms`);
