// Where the shared GLUE files live: ../shared/data/glue beside the repository root, never copied
// into the repo. Tests that read them skip with this message when the folder is absent.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../sharedPaths';

export const SHARED_GLUE_RELATIVE = '../shared/data/glue';
export const sharedGlueDir = path.resolve(repoRoot(), SHARED_GLUE_RELATIVE);

/** The skip reason for a test needing `folder` (e.g. "SST-2"), or false when it is there. */
export function skipWithoutGlue(folder: string): string | false {
  return !fs.existsSync(path.join(sharedGlueDir, folder)) && `shared data absent: ${SHARED_GLUE_RELATIVE}/${folder}`;
}
