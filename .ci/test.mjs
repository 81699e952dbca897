// Runs every test file under test/ with Node's built-in test runner (TypeScript through tsx).
// Usage: node .ci/test.mjs [path-filter…]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);

function collect(dir, found) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) collect(full, found);
    else if (name.endsWith('.test.ts')) found.push(path.relative(root, full));
  }
  return found;
}

const files = collect(path.join(root, 'test'), [])
  .filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)))
  .sort();
if (files.length === 0) {
  console.error('masklab tests: no test files matched');
  process.exit(1);
}
// The spec reporter for people; a TAP copy to count from, so the run ends with one plain line.
const tapFile = path.join(mkdtempSync(path.join(tmpdir(), 'masklab-tests-')), 'results.tap');
const result = spawnSync(
  process.execPath,
  [
    '--import', 'tsx', '--test',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);
const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
const failed = count('fail') + count('cancelled');
console.log(`${count('pass')} passed, ${failed} failed, ${count('skipped')} skipped`);
process.exit(result.status ?? 1);
