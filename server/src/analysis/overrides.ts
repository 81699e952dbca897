// Changing an experiment's entries from outside its declaration: `--set method.lr=3e-4` and the
// cells of a sweep. A `--set` value is read with the language's own value syntax (by parsing a
// tiny synthetic document), so `5%`, `2 epochs`, `query, value` and `re"…"` mean what they mean
// in a file, and it is type-checked like any entry.

import type { Property, Value } from '../dsl/ast';
import { parse } from '../dsl/parser';
import { emptyBlock, type EntryBlock } from './entryTree';
import { findKind } from './keyTable';
import { lookupKeyPath, type KeyPathTarget } from './keyPath';
import type { TypedValue } from './keys/types';
import { checkValues } from './valueCheck';

export interface Override {
  /** Dotted key as on the command line: `method.lr`, `train.seed`, `method` (the kind). */
  keyPath: string;
  /** The value in the language's syntax: `3e-4`, `10%`, `2 epochs`, `query, value`, `dsee`. */
  valueText: string;
}

/** `--set` nodes are parsed from synthetic text; their spans are moved out here so that no
 *  diagnostic about them can be mistaken for a place in the real document. */
export const OVERRIDE_SPAN_BASE = 1_000_000_000;

export function isOverrideSpan(start: number): boolean {
  return start >= OVERRIDE_SPAN_BASE;
}

export function overrideIndexOf(start: number): number {
  return Math.floor(start / OVERRIDE_SPAN_BASE) - 1;
}

/** `method.lr=3e-4` → {keyPath, valueText}; the first `=` separates them. */
export function parseSetArgument(argument: string): Override | { problem: string } {
  const at = argument.indexOf('=');
  if (at <= 0) return { problem: `--set expects KEY=VALUE, e.g. --set method.lr=3e-4; got '${argument}'` };
  return { keyPath: argument.slice(0, at).trim(), valueText: argument.slice(at + 1).trim() };
}

export type ParsedOverride =
  | { ok: true; override: Override; target: KeyPathTarget; node: Property }
  | { ok: false; message: string };

/** Parses one override's key and value; `index` places its spans (see OVERRIDE_SPAN_BASE). */
export function parseOverride(override: Override, index: number): ParsedOverride {
  const label = `--set ${override.keyPath}=${override.valueText}`;
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(override.keyPath)) {
    return { ok: false, message: `${label}: '${override.keyPath}' is not a dotted key such as method.lr` };
  }
  const found = lookupKeyPath(override.keyPath.split('.'));
  if ('problem' in found) return { ok: false, message: `${label}: ${found.problem.message}` };
  if (override.valueText === '') return { ok: false, message: `${label}: the value is empty` };
  // Paths and column names are strings; on a command line the quotes are a nuisance, so a bare
  // one is taken as written.
  const target = found.target;
  const valueText =
    target.kind === 'key' && target.key.type.kind === 'string' && !override.valueText.startsWith('"') && override.valueText !== 'none'
      ? JSON.stringify(override.valueText)
      : override.valueText;
  // A sweep axis is the one place the grammar allows a dotted key followed by values.
  const prefix = `sweep set of set {\n${override.keyPath} `;
  const text = `${prefix}${valueText}\n}\n`;
  const doc = parse(text);
  const valueEnd = prefix.length + valueText.length;
  const problem = doc.errors.find((e) => e.span.start < valueEnd + 1);
  const decl = doc.declarations[0];
  const entries = decl?.body?.entries ?? [];
  const property = entries[0];
  if (problem || entries.length !== 1 || property.kind !== 'property' || property.key.text !== override.keyPath || property.span.end > valueEnd) {
    return { ok: false, message: `${label}: ${problem ? problem.message : `cannot read '${override.valueText}' as one value or list`}` };
  }
  shiftSpans(property, OVERRIDE_SPAN_BASE * (index + 1));
  return { ok: true, override, target, node: property };
}

function shiftSpans(node: unknown, delta: number): void {
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (typeof value !== 'object' || value === null) continue;
    if (!Array.isArray(value) && typeof (value as { start?: unknown }).start === 'number' && typeof (value as { end?: unknown }).end === 'number' && Object.keys(value).length === 2) {
      const span = value as { start: number; end: number };
      span.start += delta;
      span.end += delta;
    } else if (key !== 'parent') {
      shiftSpans(value, delta);
    }
  }
}

/** What an override or a sweep cell puts at a key path: a checked value, or a block's kind. */
export type Assignment =
  | { type: 'value'; target: KeyPathTarget & { kind: 'key' }; value: TypedValue; node: Property }
  | { type: 'kind'; target: KeyPathTarget & { kind: 'block-kind' }; kind: string | null; node: Property; kindNode?: Value };

/** Checks an override's values and turns it into an assignment, or says what is wrong. */
export function assignmentFromOverride(parsed: ParsedOverride & { ok: true }): Assignment | { message: string } {
  const label = `--set ${parsed.override.keyPath}=${parsed.override.valueText}`;
  const { target, node } = parsed;
  if (target.kind === 'key') {
    const checked = checkValues(target.key, node.values, undefined, node.key.span);
    const firstError = checked.problems.find((p) => p.severity === 'error');
    if (firstError || checked.value === undefined) return { message: `${label}: ${firstError?.message ?? 'invalid value'}` };
    return { type: 'value', target, value: checked.value, node };
  }
  const value = node.values[0];
  if (node.values.length !== 1 || value.kind !== 'identifier-value') {
    return { message: `${label}: '${target.blockPath.join('.')}' takes one ${target.block.kindWord} name: ${(target.block.kinds ?? []).map((k) => k.name).join(', ')}` };
  }
  if (value.name === 'none' && !target.block.required) return { type: 'kind', target, kind: null, node };
  if (!findKind(target.block, value.name)) {
    const names = (target.block.kinds ?? []).map((k) => k.name);
    return { message: `${label}: unknown ${target.block.kindWord} '${value.name}'; expected ${names.join(', ')}` };
  }
  return { type: 'kind', target, kind: value.name, node, kindNode: value };
}

/**
 * Applies an assignment to a (cloned) effective tree. A different kind replaces the block, as a
 * child's `method dsee` replaces its parent's `method mask`; a key in a block the experiment
 * lacks creates the block, unless the block needs a kind nobody gave.
 */
export function applyAssignment(root: EntryBlock, assignment: Assignment, owner: string): string | undefined {
  const path = assignment.target.blockPath;
  if (assignment.type === 'kind') {
    const parentPath = path.slice(0, -1);
    const name = path[path.length - 1];
    const parent = blockFor(root, parentPath, owner);
    if (typeof parent === 'string') return parent;
    if (assignment.kind === null) {
      parent.blocks.delete(name);
      return undefined;
    }
    const current = parent.blocks.get(name);
    if (current?.kind?.name === assignment.kind) return undefined;
    const kindSpec = findKind(assignment.target.block, assignment.kind);
    const block = emptyBlock(assignment.target.block, owner, assignment.node);
    if (kindSpec && assignment.kindNode) block.kind = { name: kindSpec.name, family: kindSpec.family, node: assignment.kindNode, owner };
    parent.blocks.set(name, block);
    return undefined;
  }
  const block = blockFor(root, path, owner);
  if (typeof block === 'string') return block;
  block.properties.set(assignment.target.key.name, { spec: assignment.target.key, node: assignment.node, value: assignment.value, owner });
  return undefined;
}

function blockFor(root: EntryBlock, path: readonly string[], owner: string): EntryBlock | string {
  let block = root;
  for (let i = 0; i < path.length; i++) {
    const name = path[i];
    let next = block.blocks.get(name);
    if (!next) {
      const spec = block.spec.blocks.find((b) => b.name === name);
      if (!spec) return `'${path.slice(0, i + 1).join('.')}' is not a block`;
      const family = block.kind?.family;
      if (spec.only && family !== undefined && !spec.only.includes(family)) {
        return `'${name}' is a ${spec.only.join(' or ')} block; it has no effect in ${block.spec.name} ${block.kind?.name}`;
      }
      if (spec.kinds) {
        const where = path.slice(0, i + 1).join('.');
        return `the experiment has no '${where}' block; choose its kind first (e.g. --set ${where}=${spec.kinds[0].name})`;
      }
      next = emptyBlock(spec, owner);
      block.blocks.set(name, next);
    }
    block = next;
  }
  return block;
}
