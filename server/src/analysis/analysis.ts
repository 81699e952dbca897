// What the analyser produces for one document: diagnostics, experiments with their effective
// (inherited) entries, sweeps with their axes, and what each parameter selection matched. The
// language features (hover, inlay hints, code lenses, completion) and resolution read it.

import type { ExperimentDecl, MasklabDocument, Property, Span, SweepDecl, Value } from '../dsl/ast';
import type { ParameterInfo } from '../checkpoint/parameterNames';
import type { CreatedMatrix } from '../checkpoint/selector';
import type { Diagnostic } from './diagnostics';
import type { EntryBlock } from './entryTree';
import type { KeySpec, TypedValue } from './keys/types';
import type { ModelState, ModelSource } from './modelAccess';

export interface AnalysisContext {
  /** The document's URI, for related information and the LSP; defaults to a file URI of filePath. */
  uri?: string;
  /** Absolute path of the document: paths in it are relative to its folder. */
  filePath: string;
  text: string;
  /** Reads checkpoints; injected so that tests can stub it. */
  models: ModelSource;
  /** Whether a path exists; defaults to the file system. */
  fileExists?: (absolutePath: string) => boolean;
  /** 'file' / 'directory' / undefined (missing); defaults to the file system. Preferred over fileExists. */
  pathKind?: (absolutePath: string) => 'file' | 'directory' | undefined;
  /** Resolves `hf:owner/name` and plain model paths to folders; defaults to checkpoint/hfCache. */
  resolveModel?: (ref: string, baseDir: string) => { dir: string } | { problem: string };
  /** Reserved for cross-file imports, which this version of the language does not have. */
  loadDocument?: (path: string) => MasklabDocument | undefined;
}

export interface ExperimentInfo {
  name: string;
  decl: ExperimentDecl;
  /** The experiment it extends, as written (may be unknown). */
  base?: string;
  /** Itself first, then what it extends, up to the root; stops at an unknown base or a cycle. */
  chain: string[];
  /** `extends` leads back to itself. */
  cyclic: boolean;
  /** Every `extends` up the chain resolved; when false, missing entries are not reported. */
  chainComplete: boolean;
  /** The entries after inheritance; unknown keys and wrong values are left out (they were reported). */
  effective: EntryBlock;
  /** The checkpoint, once `model` is known: its folder and description, or why it cannot be read. */
  model?: ModelState;
}

export interface SweepAxis {
  /** The dotted key as written, e.g. `method.lr`. */
  key: string;
  parts: string[];
  node: Property;
  /** The key's spec; undefined for `method` (the method kind) and for unknown keys. */
  spec?: KeySpec;
  /** One entry per cell value, ranges expanded to integers; only values that passed the checks. */
  values: { node: Value; value: TypedValue; text: string }[];
  /** The axis had an unknown key or a wrong value (reported); the sweep cannot be expanded. */
  invalid: boolean;
}

export interface SweepInfo {
  name: string;
  decl: SweepDecl;
  target?: string;
  axes: SweepAxis[];
}

export interface SelectionInfo {
  /** The experiment whose method made the selection. */
  experiment: string;
  /** The selection's node: a `blocks`/`matrices` entry, one `also` value, one `select` value, or the method's kind. */
  span: Span;
  /** What was selected, in words: `blocks × matrices`, `also pooler`, `select "…"`, `method mask (all targets)`. */
  label: string;
  matches: ParameterInfo[];
  /** Matrices the trainer creates (a classification head missing from the checkpoint). */
  created: CreatedMatrix[];
  tensors: number;
  parameters: number;
}

export interface Analysis {
  uri: string;
  filePath: string;
  text: string;
  document: MasklabDocument;
  /** Every problem (the parser's syntax errors included), sorted by position. */
  diagnostics: Diagnostic[];
  experiments: Map<string, ExperimentInfo>;
  sweeps: Map<string, SweepInfo>;
  selections: SelectionInfo[];
  /** The context it was made with, so resolution reads the same checkpoints and files. */
  context: AnalysisContext;
}
