import { watch, type FSWatcher } from 'node:fs';

/**
 * Watches the folders that open documents depend on (checkpoints, data) with fs.watch, so that
 * diagnostics refresh when a checkpoint changes on disk even where the client sends no
 * workspace/didChangeWatchedFiles (other editors, folders outside the workspace).
 */
export class FolderWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly onChange: () => void,
    private readonly settleMs = 300,
  ) {}

  /** Watch exactly these folders from now on (others are released). Missing folders are ignored. */
  setFolders(folders: Iterable<string>): void {
    const wanted = new Set(folders);
    for (const [folder, watcher] of this.watchers) {
      if (!wanted.has(folder)) {
        watcher.close();
        this.watchers.delete(folder);
      }
    }
    for (const folder of wanted) {
      if (this.watchers.has(folder)) continue;
      try {
        const watcher = watch(folder, { persistent: false }, () => this.changed());
        watcher.on('error', () => {
          watcher.close();
          this.watchers.delete(folder);
        });
        this.watchers.set(folder, watcher);
      } catch {
        // Missing or unreadable: the analyser reports it; nothing to watch.
      }
    }
  }

  private changed(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.onChange();
    }, this.settleMs);
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
