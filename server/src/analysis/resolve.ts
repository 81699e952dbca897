// Resolution: one experiment (optionally one sweep cell, optionally with `--set` overrides) to the
// config a run receives. Inheritance was applied by the analyser; here overrides are applied, the
// effective checks run again when anything changed, and defaults are written out explicitly.

import * as path from 'node:path';
import type { ConfigValue, ExperimentConfig } from '../../../schemas/src/experimentConfig';
import { EXPERIMENT_CONFIG_SCHEMA_VERSION } from '../../../schemas/src/experimentConfig';
import type { Span } from '../dsl/ast';
import type { Analysis, ExperimentInfo } from './analysis';
import { analysisInternals, anchorOf } from './internals';
import { buildConfigBody, toConfigValue } from './buildConfig';
import type { Diagnostic } from './diagnostics';
import { unknownName } from './didYouMean';
import { runEffectiveChecks } from './effective/effectiveChecks';
import type { EffectiveScope } from './effective/scope';
import { cloneBlock, type EntryBlock } from './entryTree';
import { EntryValues } from './entryValues';
import {
  applyAssignment,
  assignmentFromOverride,
  isOverrideSpan,
  overrideIndexOf,
  parseOverride,
  type Assignment,
  type Override,
} from './overrides';
import { runLength } from './runLength';

export interface ResolveProblem {
  message: string;
  code: string;
  /** Where in the document, when the problem is in it (not in a `--set`). */
  span?: Span;
}

export type ResolveResult = { config: ExperimentConfig; warnings: ResolveProblem[] } | { errors: ResolveProblem[] };

export interface ResolveOptions {
  overrides?: readonly Override[];
}

/** A sweep cell to apply before the overrides (see resolveSweepCell). */
export interface CellInput {
  sweep: string;
  index: number;
  cells: number;
  assignments: Assignment[];
  values: Record<string, ConfigValue>;
}

export function resolveExperiment(analysis: Analysis, name: string, options: ResolveOptions = {}): ResolveResult {
  return resolveWith(analysis, name, options, undefined);
}

export function resolveWith(analysis: Analysis, name: string, options: ResolveOptions, cell: CellInput | undefined): ResolveResult {
  const experiment = analysis.experiments.get(name);
  if (!experiment) {
    if (analysis.sweeps.has(name)) {
      return { errors: [{ code: 'is-a-sweep', message: `'${name}' is a sweep: choose one of its cells (--index N, 0-based)` }] };
    }
    const u = unknownName('experiment', name, [...analysis.experiments.keys()], { start: 0, end: 0 });
    return { errors: [{ code: 'unknown-experiment', message: analysis.experiments.size === 0 ? `the file declares no experiment (looked for '${name}')` : u.message }] };
  }
  const internals = analysisInternals(analysis);
  const errors: ResolveProblem[] = structuralErrors(analysis, experiment).map((d) => problemOf(d));

  // Overrides: parse and check each; kinds first, so `--set method=dsee --set method.rank=8` works in any order.
  const overrides = options.overrides ?? [];
  const assignments: { assignment: Assignment; owner: string }[] = (cell?.assignments ?? []).map((a) => ({ assignment: a, owner: cell?.sweep ?? '' }));
  const overrideValues: Record<string, ConfigValue> = {};
  const parsedOverrides: { assignment: Assignment; owner: string }[] = [];
  overrides.forEach((override, index) => {
    const parsed = parseOverride(override, index);
    if (!parsed.ok) return void errors.push({ code: 'invalid-override', message: parsed.message });
    const assignment = assignmentFromOverride(parsed);
    if ('message' in assignment) return void errors.push({ code: 'invalid-override', message: assignment.message });
    parsedOverrides.push({ assignment, owner: '--set' });
    overrideValues[override.keyPath] = assignment.type === 'value' ? toConfigValue(assignment.value) : assignment.kind;
  });
  const kindsFirst = (list: { assignment: Assignment; owner: string }[]) =>
    [...list].sort((a, b) => Number(b.assignment.type === 'kind') - Number(a.assignment.type === 'kind'));
  const ordered = [...kindsFirst(assignments), ...kindsFirst(parsedOverrides)];

  let root: EntryBlock = experiment.effective;
  if (ordered.length > 0) {
    root = cloneBlock(experiment.effective);
    for (const { assignment, owner } of ordered) {
      const problem = applyAssignment(root, assignment, owner);
      if (problem) errors.push({ code: 'invalid-override', message: `${describeAssignment(assignment, owner, overrides)}: ${problem}` });
    }
  }

  // Effective checks: the analyser's answer when nothing changed, else a fresh run on the new tree.
  let effective: Diagnostic[];
  const values = new EntryValues(root);
  const scope: EffectiveScope = {
    experiment: name,
    root,
    values,
    run: runLength(values),
    files: internals.files,
    accept: () => undefined,
    anchor: anchorOf(experiment.decl),
    chainComplete: experiment.chainComplete,
  };
  if (ordered.length === 0) {
    effective = internals.effectiveDiagnostics.get(name) ?? [];
    scope.model = experiment.model;
  } else {
    effective = [];
    scope.accept = (d) => effective.push(d);
    runEffectiveChecks(scope);
  }
  const seen = new Set(errors.map((e) => e.message));
  const warnings: ResolveProblem[] = [];
  for (const d of effective) {
    const problem = problemOf(d, overrides);
    if (d.severity !== 'error') {
      warnings.push(problem);
    } else if (!seen.has(problem.message)) {
      seen.add(problem.message);
      errors.push(problem);
    }
  }
  if (!experiment.chainComplete) {
    errors.push({ code: 'broken-extends', span: experiment.decl.base?.span, message: `experiment '${name}' extends an experiment that cannot be resolved` });
  }
  const model = scope.model;
  if (errors.length === 0 && (!model || !('description' in model))) {
    errors.push({ code: 'model-unreadable', message: `experiment '${name}' has no readable model` });
  }
  if (errors.length > 0 || !model || !('description' in model)) return { errors };

  let body;
  try {
    body = buildConfigBody({ root, values, files: internals.files, model });
  } catch (e) {
    return { errors: [{ code: 'internal-error', message: `cannot resolve '${name}': ${(e as Error).message}` }] };
  }
  const config: ExperimentConfig = {
    schemaVersion: EXPERIMENT_CONFIG_SCHEMA_VERSION,
    name: cell ? `${cell.sweep}-${cell.index}` : name,
    experiment: name,
    ...(cell ? { sweep: { name: cell.sweep, index: cell.index, cells: cell.cells, values: cell.values } } : {}),
    source: { file: path.resolve(analysis.filePath || 'untitled.masklab'), overrides: overrideValues },
    ...body,
  };
  return { config, warnings };
}

/**
 * Errors that no override can fix: syntax errors, unknown keys and wrong values in the
 * declarations the experiment is made of (itself and what it extends).
 */
function structuralErrors(analysis: Analysis, experiment: ExperimentInfo): Diagnostic[] {
  const { fromEffectiveChecks } = analysisInternals(analysis);
  const spans = experiment.chain.map((n) => analysis.experiments.get(n)?.decl.span).filter((s): s is Span => !!s);
  return analysis.diagnostics.filter(
    (d) => d.severity === 'error' && !fromEffectiveChecks.has(d) && spans.some((s) => d.span.start >= s.start && d.span.end <= s.end),
  );
}

function problemOf(d: Diagnostic, overrides: readonly Override[] = []): ResolveProblem {
  if (isOverrideSpan(d.span.start)) {
    const o = overrides[overrideIndexOf(d.span.start)];
    return { code: d.code, message: o ? `--set ${o.keyPath}=${o.valueText}: ${d.message}` : d.message };
  }
  return { code: d.code, message: d.message, span: d.span };
}

function describeAssignment(a: Assignment, owner: string, overrides: readonly Override[]): string {
  if (owner === '--set') {
    const o = overrides[overrideIndexOf(a.node.span.start)];
    return o ? `--set ${o.keyPath}=${o.valueText}` : '--set';
  }
  return `sweep '${owner}', ${a.node.key.text}`;
}
