// Reading an effective tree by dotted path with the key table's defaults filled in: what checks
// that combine keys and resolution both need.

import { blockAtPath, type EntryBlock, type EntryProperty } from './entryTree';
import { allKeys, blockAt, defaultFor } from './keyTable';
import type { DefaultContext, KeySpec, TypedValue } from './keys/types';

type PathTarget = { blockPath: string[]; key?: KeySpec };

/** Every dotted path of the table (keys and blocks), resolved once. */
let pathIndex: Map<string, PathTarget> | undefined;

function targetOf(path: string): PathTarget | undefined {
  if (!pathIndex) {
    pathIndex = new Map();
    for (const { blockPath, key } of allKeys()) pathIndex.set([...blockPath, key.name].join('.'), { blockPath, key });
    const walk = (path: string[]) => {
      const block = blockAt(path);
      if (!block) return;
      if (path.length > 0) pathIndex?.set(path.join('.'), { blockPath: path });
      for (const child of block.blocks) walk([...path, child.name]);
    };
    walk([]);
  }
  return pathIndex.get(path);
}

export class EntryValues {
  // Checks ask for the same few keys many times; defaults may be computed from other keys.
  private readonly memo = new Map<string, TypedValue | undefined>();
  private readonly contexts = new Map<string | undefined, DefaultContext>();

  constructor(readonly root: EntryBlock) {}

  /** The written entry at `method.lr`, if the experiment (or what it extends) wrote one. */
  written(path: string): EntryProperty | undefined {
    const target = targetOf(path);
    if (!target?.key) return undefined;
    return blockAtPath(this.root, target.blockPath)?.properties.get(target.key.name);
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
    const target = targetOf(path);
    if (!target) return undefined;
    const block = blockAtPath(this.root, target.blockPath);
    if (!target.key) return block?.kind?.name;
    const written = block?.properties.get(target.key.name);
    if (written) return written.value;
    const family = block?.kind?.family;
    let ctx = this.contexts.get(family);
    if (!ctx) this.contexts.set(family, (ctx = { kind: family, get: (p) => this.get(p) }));
    return defaultFor(target.key, family, ctx);
  }

  number(path: string): number | undefined {
    const v = this.get(path);
    return typeof v === 'number' ? v : undefined;
  }
}
