// Lint boundaries from house.md: only client/ imports `vscode`; only the trainer imports tfjs;
// webviews import neither Node nor vscode.
import tseslint from 'typescript-eslint';

const vscodeBan = { name: 'vscode', message: 'Only client/ may import vscode.' };
const tfjsBan = { group: ['@tensorflow/*'], message: 'Only server/src/training/ may import TensorFlow.js.' };
const nodeBuiltins = ['fs', 'path', 'child_process', 'os', 'crypto', 'net', 'worker_threads', 'http', 'https', 'stream'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-artifacts/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-restricted-imports': ['error', { paths: [vscodeBan], patterns: [tfjsBan] }],
    },
  },
  {
    files: ['client/**/*.ts', 'test/integration/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [tfjsBan] }] },
  },
  {
    files: ['server/src/training/**/*.ts', 'test/unit/training/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeBan] }] },
  },
  {
    files: ['webviews/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscodeBan, ...nodeBuiltins.flatMap((n) => [n, `node:${n}`]).map((name) => ({ name, message: 'Webviews run in the browser.' }))],
          patterns: [tfjsBan],
        },
      ],
    },
  },
);
