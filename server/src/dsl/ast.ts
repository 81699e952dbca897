// The syntax tree of a `*.masklab` file. The parser produces it from any text and never throws;
// the analyser, the features and the printer read it. Positions are UTF-16 offsets into the
// document text (what JavaScript strings index by, and what LSP columns count), end exclusive.

export interface Span {
  start: number;
  end: number;
}

export type Node =
  | MasklabDocument
  | ExperimentDecl
  | SweepDecl
  | Body
  | Property
  | Block
  | Key
  | Identifier
  | Value;

interface NodeBase {
  span: Span;
}

/** One name, e.g. `sst2_mask`, or one part of a dotted key. */
export interface Identifier extends NodeBase {
  kind: 'identifier';
  name: string;
}

export interface Comment {
  span: Span;
  /** Full text including the `//` or `/* … *\/` delimiters. */
  text: string;
  /** true for `// …` line comments, false for `/* … *\/` block comments. */
  line: boolean;
}

export interface SyntaxError {
  span: Span;
  message: string;
  /** Stable machine-readable code, e.g. `unterminated-string`, `expected-brace`. */
  code: string;
  /** For did-you-mean errors: the replacement text a quick fix inserts over `span`. */
  replacement?: string;
}

export interface MasklabDocument extends NodeBase {
  kind: 'document';
  declarations: Declaration[];
  comments: Comment[];
  errors: SyntaxError[];
}

export type Declaration = ExperimentDecl | SweepDecl;

/** `experiment NAME [extends BASE] { entries }` */
export interface ExperimentDecl extends NodeBase {
  kind: 'experiment';
  keyword: Span;
  name?: Identifier;
  extendsKeyword?: Span;
  base?: Identifier;
  body?: Body;
}

/** `sweep NAME of EXPERIMENT { axis entries }` */
export interface SweepDecl extends NodeBase {
  kind: 'sweep';
  keyword: Span;
  name?: Identifier;
  ofKeyword?: Span;
  target?: Identifier;
  body?: Body;
}

/** `{ … }` — the closing brace is missing (undefined) when the file ends first. */
export interface Body extends NodeBase {
  kind: 'body';
  open: Span;
  close?: Span;
  entries: Entry[];
}

export type Entry = Property | Block;

/** `key value[, value…]`, e.g. `lr 1e-3`, `matrices query, key`, `train.seed 1, 2, 3`. */
export interface Property extends NodeBase {
  kind: 'property';
  key: Key;
  values: Value[];
}

/** `key [args] { entries }`, e.g. `train { … }`, `task glue.sst2 { … }`, `method mask { … }`. */
export interface Block extends NodeBase {
  kind: 'block';
  key: Key;
  args: Value[];
  body: Body;
}

/** A key, possibly dotted (`method.lr` in sweeps and `--set`). */
export interface Key extends NodeBase {
  kind: 'key';
  parts: Identifier[];
  /** The parts joined with '.'. */
  text: string;
}

export type Value =
  | NumberValue
  | PercentValue
  | DurationValue
  | StringValue
  | RegexValue
  | IdentifierValue
  | RangeValue
  | MissingValue;

export interface NumberValue extends NodeBase {
  kind: 'number';
  value: number;
  raw: string;
}

/** `5%` — `value` is the fraction (0.05). */
export interface PercentValue extends NodeBase {
  kind: 'percent';
  value: number;
  raw: string;
}

export type DurationUnit = 'steps' | 'epochs';

/** `60 steps`, `1 epoch`, `3 epochs`. `unit` is normalised to the plural. */
export interface DurationValue extends NodeBase {
  kind: 'duration';
  amount: number;
  unit: DurationUnit;
  unitSpan: Span;
  raw: string;
}

/** `"models/tiny"` — `value` has escapes decoded. */
export interface StringValue extends NodeBase {
  kind: 'string';
  value: string;
  raw: string;
}

/** `re"encoder\.layer\.\d+\..*"` — an opt-in regular expression selector. */
export interface RegexValue extends NodeBase {
  kind: 'regex';
  pattern: string;
  raw: string;
}

/** `mask`, `all`, `true`, `glue.sst2` (dotted names keep their dots in `name`). */
export interface IdentifierValue extends NodeBase {
  kind: 'identifier-value';
  name: string;
  parts: Identifier[];
}

/** `2..11` — an inclusive integer range. */
export interface RangeValue extends NodeBase {
  kind: 'range';
  from: number;
  to: number;
  raw: string;
}

/** Where a value was expected but none was written; the parser has reported an error. */
export interface MissingValue extends NodeBase {
  kind: 'missing';
}
