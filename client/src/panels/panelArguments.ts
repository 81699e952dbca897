// The ways `masklab.openMetrics` / `masklab.openMasks` get called, reduced to a list of run
// folders: `(runDir)`, `(runDir[])`, a tree item (or several selected ones: VS Code passes the
// clicked item and then the whole selection) carrying `runDir` or a file `resourceUri`, or
// nothing (the palette: ask). Pure, so the argument handling is unit-tested.

export type PanelTarget = { runDirs: string[] } | { ask: true } | { error: string };

export function readPanelArguments(args: readonly unknown[]): PanelTarget {
  const [first, second] = args;
  // A multi-selection in a tree: the second argument lists every selected item.
  if (Array.isArray(second) && second.length > 0) {
    const dirs = second.map(runDirOf);
    if (dirs.every((d): d is string => d !== undefined)) return { runDirs: unique(dirs) };
  }
  if (first === undefined || first === null) return { ask: true };
  if (Array.isArray(first)) {
    if (first.length === 0) return { ask: true };
    const dirs = first.map(runDirOf);
    const bad = dirs.findIndex((d) => d === undefined);
    if (bad >= 0) return { error: `item ${bad} of the list is not a run folder (got ${describe(first[bad])})` };
    return { runDirs: unique(dirs as string[]) };
  }
  const dir = runDirOf(first);
  return dir === undefined ? { error: `expected a run folder, a list of them or a run item, got ${describe(first)}` } : { runDirs: [dir] };
}

function runDirOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as { runDir?: unknown; run?: { runDir?: unknown }; resourceUri?: { scheme?: unknown; fsPath?: unknown }; scheme?: unknown; fsPath?: unknown };
  if (typeof record.runDir === 'string' && record.runDir) return record.runDir;
  if (typeof record.run?.runDir === 'string' && record.run.runDir) return record.run.runDir;
  const uri = record.resourceUri ?? (typeof record.scheme === 'string' ? record : undefined);
  if (uri && uri.scheme === 'file' && typeof uri.fsPath === 'string' && uri.fsPath) return uri.fsPath;
  return undefined;
}

function unique(dirs: string[]): string[] {
  return [...new Set(dirs)];
}

function describe(value: unknown): string {
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 120);
  } catch {
    return String(value);
  }
}
