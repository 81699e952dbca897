// Reading an effective tree by dotted path with the key table's defaults filled in: what checks
// that combine keys and resolution both need.

import { blockAtPath, type EntryBlock, type EntryProperty } from './entryTree';
import { blockAt, defaultFor, findKey } from './keyTable';
import type { TypedValue } from './keys/types';

export class EntryValues {
  // Checks ask for the same few keys many times; defaults may be computed from other keys.
  private readonly memo = new Map<string, TypedValue | undefined>();

  constructor(readonly root: EntryBlock) {}

  /** The written entry at `method.lr`, if the experiment (or what it extends) wrote one. */
  written(path: string): EntryProperty | undefined {
    const parts = path.split('.');
    return blockAtPath(this.root, parts.slice(0, -1))?.properties.get(parts[parts.length - 1]);
  }

  /** The kind of the block at `method` / `task` / `method.prune`, if known. */
  kind(blockPath: string): string | undefined {
    return blockAtPath(this.root, blockPath.split('.'))?.kind?.name;
  }

  family(blockPath: string): string | undefined {
    return blockAtPath(this.root, blockPath.split('.'))?.kind?.family;
  }

  /**
   * A key's value, written or default; for a block path, the block's kind. Undefined when the
   * written value was wrong (already reported) or the key has no default and was not written.
   */
  get(path: string): TypedValue | undefined {
    if (this.memo.has(path)) return this.memo.get(path);
    const value = this.compute(path);
    this.memo.set(path, value);
    return value;
  }

  private compute(path: string): TypedValue | undefined {
    const parts = path.split('.');
    const blockSpec = blockAt(parts);
    if (blockSpec) return this.kind(path);
    const blockPath = parts.slice(0, -1);
    const spec = blockAt(blockPath);
    const key = spec && findKey(spec, parts[parts.length - 1]);
    if (!key) return undefined;
    const written = this.written(path);
    if (written) return written.value;
    const family = blockPath.length > 0 ? this.family(blockPath.join('.')) : undefined;
    return defaultFor(key, family, { kind: family, get: (p) => this.get(p) });
  }

  number(path: string): number | undefined {
    const v = this.get(path);
    return typeof v === 'number' ? v : undefined;
  }
}
