// Writes the generated files that tests keep in step with their sources:
//   docs/language.md               from the key table (languageReference.ts)
//   schemas/experiment.schema.json from schemas/src/experimentSchema.ts
// Run: npx tsx server/src/analysis/generateFiles.ts [--check]
// With --check nothing is written; the exit code is 1 when a file is out of date.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { experimentConfigSchema } from '../../../schemas/src/experimentSchema';
import { renderLanguageReference } from './languageReference';

export function generatedFiles(root: string): { path: string; content: string }[] {
  return [
    { path: path.join(root, 'docs', 'language.md'), content: renderLanguageReference() },
    { path: path.join(root, 'schemas', 'experiment.schema.json'), content: `${JSON.stringify(experimentConfigSchema, null, 2)}\n` },
  ];
}

function main(): void {
  const root = path.resolve(__dirname, '../../..');
  const check = process.argv.includes('--check');
  let stale = false;
  for (const file of generatedFiles(root)) {
    const current = fs.existsSync(file.path) ? fs.readFileSync(file.path, 'utf8') : undefined;
    if (current === file.content) continue;
    stale = true;
    if (check) {
      console.error(`${path.relative(root, file.path)} is out of date`);
    } else {
      fs.mkdirSync(path.dirname(file.path), { recursive: true });
      fs.writeFileSync(file.path, file.content);
      console.log(`wrote ${path.relative(root, file.path)}`);
    }
  }
  if (check && stale) process.exitCode = 1;
}

if (require.main === module) main();
