// The shape of the key table: every block and key of the language with its type, range, default,
// documentation and paper. The analyser checks against it, completion and hover read it,
// resolution takes defaults from it and docs/language.md is rendered from it.

import type { Duration, Selector } from '../../../../schemas/src/experimentConfig';

export type PaperId = 'zhao2020' | 'radiya2020' | 'chen2023' | 'devlin2019' | 'zhu2017' | 'wang2019' | 'loshchilov2019';

/** One allowed identifier of an enum-typed key, or one kind of a block (`mask`, `glue.sst2`). */
export interface ChoiceSpec {
  name: string;
  doc: string;
  paper?: PaperId;
}

export type ValueType =
  | {
      kind: 'number';
      integer?: boolean;
      min?: number;
      max?: number;
      minExclusive?: boolean;
      maxExclusive?: boolean;
    }
  /** A percentage (`5%`) or the same fraction written as a number (`0.05`). */
  | { kind: 'fraction'; min: number; max: number; minExclusive?: boolean; maxExclusive?: boolean }
  /** `60 steps`, `2 epochs`. */
  | { kind: 'duration'; allowZero?: boolean }
  /** A point or length within the run: a fraction of the whole run (`10%`) or a duration. */
  | { kind: 'runPoint' }
  | { kind: 'string'; role: 'folder' | 'file' | 'model' | 'column' }
  | { kind: 'enum'; choices: readonly ChoiceSpec[]; allowedByKind?: Partial<Record<string, readonly string[]>> }
  | { kind: 'boolean' }
  /** `all`, block numbers and inclusive ranges (`0, 2..11`); the key takes the whole list. */
  | { kind: 'blocks' }
  /** `"glob"` or `re"regex"` over parameter names. */
  | { kind: 'selector' }
  /** A class label as it appears in the data: identifier, number or string. */
  | { kind: 'label' };

/** A checked value: what a key holds after its written values passed the checks. */
export type TypedValue = number | string | boolean | null | Duration | Selector | BlocksValue | TypedValue[];

/** `all`, or the block numbers written (ranges expanded, sorted, unique). */
export type BlocksValue = 'all' | { blocks: number[] };

export interface DefaultContext {
  /** The kind of the block the key sits in (`mask`, `glue.sst2`, `unstructured`). */
  kind?: string;
  /** Another key's value (written or default) by dotted path, e.g. `method.mode`, `task` (the task kind). */
  get(path: string): TypedValue | undefined;
}

export interface KeySpec {
  name: string;
  type: ValueType;
  /** Takes a comma-separated list (the value is an array). `blocks` handles its own list. */
  many?: boolean;
  /** `none` is accepted: null for a single value, [] for a list (clears an inherited value). */
  nullable?: boolean;
  /** Must be written (or inherited); there is no default. */
  required?: boolean;
  default?: TypedValue;
  /** Defaults that differ by the block's kind (method kind); falls back to `default`. */
  defaultByKind?: Partial<Record<string, TypedValue>>;
  /** A default computed from other keys; `text` says how, for docs and hover. */
  computedDefault?: { text: string; compute(ctx: DefaultContext): TypedValue };
  /** The block kinds (method kinds, task families, prune kinds) the key belongs to; all when absent. */
  only?: readonly string[];
  /** For sparse_finetune: the modes in which the key has an effect. */
  modes?: readonly string[];
  doc: string;
  paper?: PaperId;
  /** How the key is typically written, for docs and completion. */
  example: string;
}

export interface BlockSpec {
  name: string;
  doc: string;
  paper?: PaperId;
  /** What the block's argument names (`method mask`, `task glue.sst2`), when it takes one. */
  kinds?: readonly KindSpec[];
  /** The word for one of `kinds` in messages: "method", "task". */
  kindWord?: string;
  /** The word for a key in messages: a method has "knobs", the rest have "keys". */
  keyWord: 'knob' | 'key';
  keys: readonly KeySpec[];
  blocks: readonly BlockSpec[];
  required?: boolean;
  /** The parent block kinds the block belongs to (`prune` is a dsee block). */
  only?: readonly string[];
  example: string;
}

export interface KindSpec extends ChoiceSpec {
  /** Kinds sharing their keys: every `glue.*` task is family `glue`. */
  family: string;
}
