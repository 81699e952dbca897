// The key table: every block and key of an experiment, assembled from keys/*.ts, and the lookups
// the analyser, completion, hover, resolution and the language reference share.

import { deviceBlock, evaluateBlock, trainBlock } from './keys/runKeys';
import { methodBlock } from './keys/methodKeys';
import { taskBlock } from './keys/taskKeys';
import type { BlockSpec, DefaultContext, KeySpec, KindSpec, TypedValue } from './keys/types';

export type { BlockSpec, ChoiceSpec, DefaultContext, KeySpec, KindSpec, PaperId, TypedValue, ValueType, BlocksValue } from './keys/types';
export { papers } from './keys/papers';

export const modelKey: KeySpec = {
  name: 'model',
  type: { kind: 'string', role: 'model' },
  required: true,
  doc:
    'The pretrained checkpoint: a Hugging Face folder (config.json, vocab and model.safetensors) relative to the experiment file, or `"hf:owner/name"` for a model already in the local Hugging Face cache (nothing is downloaded). Blocks and selectors are checked against its parameter names. Required, or inherited through `extends`.',
  example: 'model "models/bert-tiny"',
};

/** The body of `experiment NAME { … }`: the one top-level key and the blocks. */
export const experimentSpec: BlockSpec = {
  name: 'experiment',
  doc: 'One experiment: model, task, method, training and evaluation, like the methods section of a paper.',
  keyWord: 'key',
  keys: [modelKey],
  blocks: [taskBlock, methodBlock, trainBlock, evaluateBlock, deviceBlock],
  example: 'experiment quick_look { model "models/tiny"  task glue.sst2 { data "glue/SST-2" }  method mask }',
};

// Lookups by name happen for every entry of every file; index each block's names once.
const keyIndex = new WeakMap<BlockSpec, Map<string, KeySpec>>();
const blockIndex = new WeakMap<BlockSpec, Map<string, BlockSpec>>();

export function findKey(block: BlockSpec, name: string): KeySpec | undefined {
  let index = keyIndex.get(block);
  if (!index) keyIndex.set(block, (index = new Map(block.keys.map((k) => [k.name, k]))));
  return index.get(name);
}

export function findBlock(block: BlockSpec, name: string): BlockSpec | undefined {
  let index = blockIndex.get(block);
  if (!index) blockIndex.set(block, (index = new Map(block.blocks.map((b) => [b.name, b]))));
  return index.get(name);
}

export function findKind(block: BlockSpec, kind: string): KindSpec | undefined {
  return block.kinds?.find((k) => k.name === kind);
}

/** The names a block's body may hold: its keys and its nested blocks. */
export function entryNames(block: BlockSpec): string[] {
  return [...block.keys.map((k) => k.name), ...block.blocks.map((b) => b.name)];
}

/** Whether a key or nested block belongs to a block of this kind family (no family: unknown, so yes). */
export function belongsTo(spec: { only?: readonly string[] }, family: string | undefined): boolean {
  return !spec.only || family === undefined || spec.only.includes(family);
}

/** The allowed identifiers of an enum-typed key in a block of this kind family. */
export function allowedChoices(key: KeySpec, family: string | undefined): string[] {
  if (key.type.kind !== 'enum') return [];
  const restricted = family !== undefined ? key.type.allowedByKind?.[family] : undefined;
  return restricted ? [...restricted] : key.type.choices.map((c) => c.name);
}

/** The default of a key in a block of this kind family; undefined when the key has none (required). */
export function defaultFor(key: KeySpec, family: string | undefined, ctx: DefaultContext): TypedValue | undefined {
  if (family !== undefined && key.defaultByKind && family in key.defaultByKind) return key.defaultByKind[family];
  if (key.computedDefault) return key.computedDefault.compute(ctx);
  return key.default;
}

/** The blocks from the experiment down to `path` (block names), or undefined when one is unknown. */
export function blockAt(path: readonly string[]): BlockSpec | undefined {
  let block: BlockSpec | undefined = experimentSpec;
  for (const name of path) {
    block = block && findBlock(block, name);
  }
  return block;
}

/** Every key of the table with the dotted path of its block (`method`, `method.prune`, `` for model). */
export function allKeys(): { blockPath: string[]; block: BlockSpec; key: KeySpec }[] {
  const out: { blockPath: string[]; block: BlockSpec; key: KeySpec }[] = [];
  const walk = (block: BlockSpec, path: string[]) => {
    for (const key of block.keys) out.push({ blockPath: path, block, key });
    for (const child of block.blocks) walk(child, [...path, child.name]);
  };
  walk(experimentSpec, []);
  return out;
}
