// Bookkeeping of one analysis that resolution needs but the language features do not: kept
// beside the public Analysis rather than in it.

import type { ExperimentDecl, Span, SweepDecl } from '../dsl/ast';
import type { Analysis } from './analysis';
import type { Diagnostic } from './diagnostics';
import type { EntryBlock } from './entryTree';
import type { FileAccess } from './modelAccess';

export interface AnalysisInternals {
  /** Per experiment: the raw diagnostics of its effective checks (before own/inherited routing). */
  effectiveDiagnostics: Map<string, Diagnostic[]>;
  /** Diagnostics of the effective checks, as reported; everything else is structural. */
  fromEffectiveChecks: Set<Diagnostic>;
  files: FileAccess;
  /** Own entries per experiment declaration, before inheritance. */
  own: Map<string, EntryBlock>;
}

const internals = new WeakMap<Analysis, AnalysisInternals>();

export function setAnalysisInternals(analysis: Analysis, value: AnalysisInternals): void {
  internals.set(analysis, value);
}

export function analysisInternals(analysis: Analysis): AnalysisInternals {
  const found = internals.get(analysis);
  if (!found) throw new Error('this Analysis was not made by analyse()');
  return found;
}

/** Where a declaration-wide problem is reported: its name, or its keyword when it has none. */
export function anchorOf(decl: ExperimentDecl | SweepDecl): Span {
  return decl.name && decl.name.name !== '' ? decl.name.span : decl.keyword;
}
