// Writes schemas/run-summary.schema.json from schemas/src/runRecordSchemas.ts (a test keeps them equal).
// Run: npx tsx server/src/runs/writeRunSchemas.ts
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runSummarySchema } from '../../../schemas/src/runRecordSchemas';

export function runSchemaFiles(root: string): { path: string; content: string }[] {
  return [{ path: path.join(root, 'schemas', 'run-summary.schema.json'), content: `${JSON.stringify(runSummarySchema, null, 2)}\n` }];
}

if (require.main === module) {
  const root = path.resolve(__dirname, '../../..');
  for (const file of runSchemaFiles(root)) {
    fs.writeFileSync(file.path, file.content);
    console.log(`wrote ${path.relative(root, file.path)}`);
  }
}
