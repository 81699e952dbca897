// `npm run bench`: every benchmark, one after another. Each prints its own table and skips, with
// the reason, what this machine cannot measure (no ../shared, no python3-torch).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const benches = ['language.ts', 'forward.ts', 'trainStep.ts', 'engine.ts', 'webview.ts'];
let failed = 0;
for (const bench of benches) {
  console.log(`\n== bench/${bench}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, bench), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
