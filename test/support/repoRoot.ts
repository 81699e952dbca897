import * as path from 'node:path';

/** The repository root, and the shared folder beside it (`../shared`). */
export const repoRoot = path.resolve(__dirname, '../..');
export const sharedRoot = path.resolve(repoRoot, '../shared');
export const examplesDir = path.join(repoRoot, 'examples');
