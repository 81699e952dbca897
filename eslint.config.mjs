// Lint boundaries from house.md: only client/ imports `vscode`; only the trainer imports tfjs;
// webviews import neither Node nor vscode; and inside server/src each layer imports only the
// layers below it (dsl ← checkpoint ← analysis ← features ← lsp; training and runs never see
// the language; cli and the process entry points compose everything).
import tseslint from 'typescript-eslint';

const vscode = { name: 'vscode', message: 'Only client/ may import vscode.' };
const tfjs = { group: ['@tensorflow/*'], message: 'Only server/src/training/ may import TensorFlow.js.' };
const nodeBuiltins = ['fs', 'path', 'child_process', 'os', 'crypto', 'net', 'worker_threads', 'http', 'https', 'stream'];
const layers = ['dsl', 'checkpoint', 'analysis', 'features', 'lsp', 'training', 'runs', 'cli'];

/** Bans importing the named server folders from a file inside server/src/<folder>/. */
function forbidLayers(from, names) {
  return {
    group: names.flatMap((n) => [`../${n}`, `../${n}/*`, `../../${n}`, `../../${n}/*`, `../../../${n}/*`]),
    message: `server/src/${from} must not depend on ${names.join(', ')} (see house.md: the dependency direction).`,
  };
}

function restricted({ paths = [vscode], patterns = [tfjs] } = {}) {
  return { 'no-restricted-imports': ['error', { paths, patterns }] };
}

const others = (allowed) => layers.filter((l) => !allowed.includes(l));
const serverLayers = {
  dsl: others(['dsl']),
  checkpoint: others(['checkpoint', 'dsl']),
  analysis: others(['analysis', 'dsl', 'checkpoint']),
  features: others(['features', 'dsl', 'checkpoint', 'analysis']),
  lsp: ['training', 'cli'],
  training: ['dsl', 'analysis', 'features', 'lsp', 'runs', 'cli'],
  runs: ['dsl', 'analysis', 'features', 'lsp', 'cli'],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-artifacts/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: restricted(),
  },
  ...Object.entries(serverLayers).map(([layer, banned]) => ({
    files: [`server/src/${layer}/**/*.ts`],
    ignores: ['server/src/training/trainerProcess.ts'],
    rules: restricted({
      paths: [vscode],
      patterns: layer === 'training' ? [forbidLayers(layer, banned)] : [tfjs, forbidLayers(layer, banned)],
    }),
  })),
  {
    files: ['client/**/*.ts', 'test/integration/**/*.ts'],
    rules: restricted({ paths: [], patterns: [tfjs] }),
  },
  {
    files: ['server/src/training/trainerProcess.ts', 'test/unit/training/**/*.ts', 'bench/**/*.ts'],
    rules: restricted({ paths: [vscode], patterns: [] }),
  },
  {
    files: ['webviews/**/*.ts'],
    rules: restricted({
      paths: [vscode, ...nodeBuiltins.flatMap((n) => [n, `node:${n}`]).map((name) => ({ name, message: 'Webviews run in the browser.' }))],
      patterns: [tfjs],
    }),
  },
);
