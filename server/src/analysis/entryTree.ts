// An experiment's entries as a tree of known blocks and keys with checked values: first what one
// declaration writes (its own tree), then, merged along `extends`, what the experiment means (its
// effective tree). Only entries the key table knows get in; the rest were reported.

import type { Block, Property, Value } from '../dsl/ast';
import type { BlockSpec, KeySpec, TypedValue } from './keys/types';

export interface EntryProperty {
  spec: KeySpec;
  node: Property;
  /** Undefined when the written value was wrong (and reported). */
  value?: TypedValue;
  /** The experiment whose declaration wrote it (`--set` for an override, the sweep's name for a cell). */
  owner: string;
}

export interface EntryKind {
  name: string;
  family: string;
  node: Value;
  owner: string;
}

export interface EntryBlock {
  spec: BlockSpec;
  /** The entry that opened the block; undefined for an experiment's root. */
  node?: Block | Property;
  owner: string;
  /** The block's kind (`mask`, `glue.sst2`) when one was written and known. */
  kind?: EntryKind;
  /** A kind was written but is unknown or missing: kind-dependent checks are skipped. */
  kindInvalid?: boolean;
  properties: Map<string, EntryProperty>;
  blocks: Map<string, EntryBlock>;
}

export function emptyBlock(spec: BlockSpec, owner: string, node?: Block | Property): EntryBlock {
  return { spec, node, owner, properties: new Map(), blocks: new Map() };
}

/**
 * `child` written over `parent`: keys override one by one and nested blocks merge the same way,
 * except that a block of a different kind (`method dsee` over `method mask`) replaces the parent's
 * block entirely, since one method's knobs mean nothing to another.
 */
export function mergeBlocks(parent: EntryBlock, child: EntryBlock): EntryBlock {
  if (child.kindInvalid) return child;
  if (child.kind && parent.kind && child.kind.name !== parent.kind.name) return child;
  const merged: EntryBlock = {
    spec: child.spec,
    node: child.node ?? parent.node,
    owner: child.owner,
    kind: child.kind ?? parent.kind,
    kindInvalid: child.kind ? undefined : parent.kindInvalid,
    properties: new Map(parent.properties),
    blocks: new Map(parent.blocks),
  };
  for (const [name, property] of child.properties) merged.properties.set(name, property);
  for (const [name, block] of child.blocks) {
    const inherited = merged.blocks.get(name);
    merged.blocks.set(name, inherited ? mergeBlocks(inherited, block) : block);
  }
  return merged;
}

/** A block at a path of block names, e.g. ['method', 'prune']. */
export function blockAtPath(root: EntryBlock, path: readonly string[]): EntryBlock | undefined {
  let block: EntryBlock | undefined = root;
  for (const name of path) block = block?.blocks.get(name);
  return block;
}

/** Deep copy sharing nodes and values, so overrides can be applied without touching the analysis. */
export function cloneBlock(block: EntryBlock): EntryBlock {
  return {
    ...block,
    properties: new Map(block.properties),
    blocks: new Map([...block.blocks].map(([name, b]) => [name, cloneBlock(b)])),
  };
}
