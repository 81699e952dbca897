import type { Span, Value } from '../../dsl/ast';
import type { SelectionInfo } from '../analysis';
import type { Accept } from '../diagnostics';
import type { EntryBlock, EntryProperty } from '../entryTree';
import type { EntryValues } from '../entryValues';
import type { FileAccess, ModelState } from '../modelAccess';
import type { RunLength } from '../runLength';

/** What a check of an experiment's effective entries sees. */
export interface EffectiveScope {
  experiment: string;
  root: EntryBlock;
  values: EntryValues;
  run: RunLength;
  files: FileAccess;
  accept: Accept;
  /** Where "this experiment lacks X" is reported: its name (or keyword). */
  anchor: Span;
  /** Every `extends` resolved: missing entries are really missing, not lost to a broken chain. */
  chainComplete: boolean;
  /** The checkpoint, once the model check has read it. */
  model?: ModelState;
  /** Where selections are recorded; only for nodes the experiment's own declaration wrote. */
  selections?: SelectionInfo[];
  ownSpan?: Span;
}

export type EffectiveKinds = {
  experiment: EntryBlock;
  task: EntryBlock | undefined;
  method: EntryBlock | undefined;
  train: EntryBlock | undefined;
  evaluate: EntryBlock | undefined;
  device: EntryBlock | undefined;
};

export function within(outer: Span | undefined, inner: Span): boolean {
  return !!outer && inner.start >= outer.start && inner.end <= outer.end;
}

/** The value node that wrote `name` in a list (`also pooler, head` → the `head` node). */
export function valueNode(property: EntryProperty, name: string): Value | undefined {
  return property.node.values.find((v) => (v.kind === 'identifier-value' ? v.name : v.kind === 'string' ? v.value : undefined) === name);
}

/** The span to point at for a property's value (all of its values). */
export function valueSpan(property: EntryProperty): Span {
  const values = property.node.values;
  if (values.length === 0) return property.node.key.span;
  return { start: values[0].span.start, end: values[values.length - 1].span.end };
}

/** The span to point at for a block: its kind when written, else its key. */
export function blockSpan(block: EntryBlock): Span | undefined {
  return block.kind?.node.span ?? block.node?.key.span;
}
