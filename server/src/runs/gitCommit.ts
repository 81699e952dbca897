// The git commit a run's experiment file belongs to, read straight from `.git` (no git binary
// needed, nothing spawned): HEAD, then the ref it names, loose or packed. Worktrees and
// submodules (a `.git` file pointing elsewhere) are followed.

import * as fs from 'node:fs';
import * as path from 'node:path';

export function gitCommitOf(startPath: string): { commit: string; branch: string | null } | null {
  const gitDir = findGitDir(path.resolve(startPath));
  if (!gitDir) return null;
  const head = readText(path.join(gitDir, 'HEAD'));
  if (!head) return null;
  if (/^[0-9a-f]{40,64}$/.test(head)) return { commit: head, branch: null };
  const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
  if (!ref) return null;
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
  // A worktree keeps HEAD in its own folder and refs in the common one.
  const common = readText(path.join(gitDir, 'commondir'));
  const refRoots = [gitDir, ...(common ? [path.resolve(gitDir, common)] : [])];
  for (const root of refRoots) {
    const loose = readText(path.join(root, ref));
    if (loose && /^[0-9a-f]{40,64}$/.test(loose)) return { commit: loose, branch };
    const packed = readText(path.join(root, 'packed-refs'));
    const line = packed?.split('\n').find((l) => l.endsWith(` ${ref}`));
    if (line) return { commit: line.split(' ')[0], branch };
  }
  return null; // a branch with no commit yet
}

function findGitDir(start: string): string | undefined {
  let dir = fs.existsSync(start) && fs.statSync(start).isDirectory() ? start : path.dirname(start);
  for (;;) {
    const candidate = path.join(dir, '.git');
    try {
      const stat = fs.statSync(candidate);
      if (stat.isDirectory()) return candidate;
      const pointer = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(candidate, 'utf8'))?.[1]?.trim();
      if (pointer) return path.resolve(dir, pointer);
    } catch {
      // not here; go up
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}
