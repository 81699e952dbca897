// What one experiment declaration writes, checked against the key table: unknown blocks, keys and
// kinds (with did-you-mean), duplicates, block/key confusion and every value's type and range.
// Checks that depend on the method (a dsee knob in mask) wait for inheritance: a child may write
// `method { lr 3e-4 }` and take its kind from the experiment it extends.

import type { Block, Body, Entry, Property, Value } from '../dsl/ast';
import { error, spanOf, type Accept } from './diagnostics';
import { unknownName, listOf, ourNameFor } from './didYouMean';
import { emptyBlock, type EntryBlock } from './entryTree';
import { allKeys, entryNames, findBlock, findKey, findKind } from './keyTable';
import type { BlockSpec } from './keys/types';
import { checkValues } from './valueCheck';

export interface OwnEntriesOptions {
  owner: string;
  /** The experiment extends another, so a block may leave its kind to be inherited. */
  inherits: boolean;
  accept: Accept;
}

export function ownEntries(root: BlockSpec, body: Body | undefined, options: OwnEntriesOptions): EntryBlock {
  const tree = emptyBlock(root, options.owner);
  if (body) walkBody(body, tree, [], options);
  return tree;
}

function walkBody(body: Body, into: EntryBlock, path: string[], options: OwnEntriesOptions): void {
  for (const entry of body.entries) walkEntry(entry, into, path, options);
}

function where(path: string[], spec: BlockSpec): string {
  return path.length === 0 ? 'an experiment' : `a ${spec.name} block`;
}

function walkEntry(entry: Entry, into: EntryBlock, path: string[], options: OwnEntriesOptions): void {
  const { accept } = options;
  const spec = into.spec;
  const name = entry.key.text;
  if (name === '') return; // the parser reported the missing key
  if (entry.key.parts.length > 1) {
    const [head, ...rest] = entry.key.parts.map((p) => p.name);
    accept(
      error(entry.key.span, 'dotted-key', `dotted keys such as '${name}' belong in sweeps and --set; inside ${where(path, spec)} write '${head} { ${rest.join(' { ')} … }'`),
    );
    return;
  }
  const key = findKey(spec, name);
  const block = findBlock(spec, name);

  if (entry.kind === 'property') {
    if (key) return addProperty(entry, into, options);
    if (block) {
      if (block.kinds) return addBlock(entry, block, into, path, options);
      accept(error(entry.key.span, 'block-written-as-key', `'${name}' is a block: write '${name} { … }'${entry.values.length > 0 ? ' around its keys' : ''}`));
      return;
    }
  } else {
    if (block) return addBlock(entry, block, into, path, options);
    if (key) {
      accept(
        error(entry.key.span, 'key-written-as-block', `'${name}' is a key, not a block: write '${name} VALUE' (e.g. '${key.example}')`),
      );
      return;
    }
  }
  const u = unknownName(path.length === 0 ? 'block or key' : `${spec.name} ${spec.keyWord}`, name, entryNames(spec), entry.key.span);
  const elsewhere = u.suggestion === undefined ? homeOf(name, path) : undefined;
  accept(error(entry.key.span, 'unknown-key', elsewhere ? `${u.message.replace(/; expected .*$/, '')}; ${elsewhere}` : u.message, { fix: u.fix }));
}

/** Where a key misplaced in this block does belong: `'epochs' belongs in 'train { … }'`. */
function homeOf(name: string, path: readonly string[]): string | undefined {
  const ours = findKeyAnywhere(name) ? name : ourNameFor(name);
  const home = ours === undefined ? undefined : findKeyAnywhere(ours);
  if (!home || home.blockPath.join('.') === path.join('.')) return undefined;
  const block = home.blockPath.length === 0 ? 'the experiment itself' : `'${home.blockPath.join(' { ')} { … }'`;
  return ours === name ? `'${name}' belongs in ${block}` : `Masklab calls it '${ours}', in ${block}`;
}

function findKeyAnywhere(name: string): { blockPath: string[] } | undefined {
  return allKeys().find((k) => k.key.name === name);
}

function addProperty(entry: Property, into: EntryBlock, options: OwnEntriesOptions): void {
  const spec = findKey(into.spec, entry.key.text);
  if (!spec) return;
  const first = into.properties.get(spec.name);
  const checked = checkValues(spec, entry.values, undefined, entry.key.span);
  checked.problems.forEach(options.accept);
  if (first) {
    options.accept(
      error(entry.key.span, 'duplicate-key', `duplicate key '${spec.name}': it is already set in this ${into.spec.name} block`, {
        related: [{ span: first.node.key.span, message: `'${spec.name}' first set here` }],
      }),
    );
    return;
  }
  into.properties.set(spec.name, { spec, node: entry, value: checked.value, owner: options.owner });
}

function addBlock(entry: Block | Property, spec: BlockSpec, into: EntryBlock, path: string[], options: OwnEntriesOptions): void {
  const { accept } = options;
  const child = emptyBlock(spec, options.owner, entry);
  const args = entry.kind === 'block' ? entry.args : entry.values;
  readKind(entry, spec, args, child, options);

  const first = into.blocks.get(spec.name);
  if (first?.node) {
    accept(
      error(entry.key.span, 'duplicate-block', `duplicate block '${spec.name}': ${where(path, into.spec).replace(/^an? /, 'this ')} already has one`, {
        related: [{ span: first.node.key.span, message: `'${spec.name}' first written here` }],
      }),
    );
  }
  // A duplicate is still walked, so mistakes inside it are reported, but only the first counts.
  if (entry.kind === 'block') walkBody(entry.body, child, [...path, spec.name], options);
  if (!first) into.blocks.set(spec.name, child);
}

function readKind(entry: Block | Property, spec: BlockSpec, args: readonly Value[], child: EntryBlock, options: OwnEntriesOptions): void {
  const { accept } = options;
  if (!spec.kinds) {
    if (args.length > 0) {
      accept(error(spanOf(args[0], args[args.length - 1]), 'unexpected-argument', `'${spec.name}' takes no argument: write '${spec.name} { … }'`));
    }
    return;
  }
  const kindNames = spec.kinds.map((k) => k.name);
  if (args.some((a) => a.kind === 'missing')) {
    child.kindInvalid = true;
    return;
  }
  if (args.length === 0) {
    // Without `extends` nothing could supply the kind; with it, the effective checks decide.
    if (!options.inherits) {
      accept(error(entry.key.span, 'missing-kind', `'${spec.name}' needs a ${spec.kindWord}: ${listOf(kindNames)} (e.g. '${spec.example}')`));
      child.kindInvalid = true;
    }
    return;
  }
  if (args.length > 1) {
    accept(error(spanOf(args[1], args[args.length - 1]), 'unexpected-argument', `'${spec.name}' takes one ${spec.kindWord}; remove the rest`));
  }
  const arg = args[0];
  const written = arg.kind === 'identifier-value' ? arg.name : arg.kind === 'string' ? arg.value : undefined;
  const kind = written !== undefined ? findKind(spec, written) : undefined;
  if (kind && arg.kind === 'identifier-value') {
    child.kind = { name: kind.name, family: kind.family, node: arg, owner: options.owner };
    return;
  }
  child.kindInvalid = true;
  if (kind && arg.kind === 'string') {
    accept(
      error(arg.span, 'wrong-type', `the ${spec.kindWord} is written without quotes: ${kind.name}`, {
        fix: { span: arg.span, newText: kind.name, title: 'Remove the quotes' },
      }),
    );
    return;
  }
  if (written === undefined) {
    accept(error(arg.span, 'wrong-type', `'${spec.name}' expects a ${spec.kindWord} name: ${listOf(kindNames)}`));
    return;
  }
  const u = unknownName(spec.kindWord ?? spec.name, written, kindNames, arg.span);
  accept(error(arg.span, `unknown-${spec.kindWord ?? spec.name}`, u.message, { fix: u.fix }));
}
