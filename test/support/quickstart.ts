import * as fs from 'node:fs';
import * as path from 'node:path';
import { examplesDir } from './repoRoot';

/** The README's embedded default experiment. */
export const quickstartFile = path.join(examplesDir, 'quickstart.masklab');

/**
 * The model folder an experiment text names on its `model "…"` line, as written (relative to the
 * file); '' when there is none. Tests read it from the quickstart so they follow its model.
 */
export function modelRefIn(text: string): string {
  return /^\s*model\s+"([^"]+)"/m.exec(text)?.[1] ?? '';
}

/** The quickstart's model folder as written, '' when the file is absent. */
export function quickstartModelRef(): string {
  return fs.existsSync(quickstartFile) ? modelRefIn(fs.readFileSync(quickstartFile, 'utf8')) : '';
}
