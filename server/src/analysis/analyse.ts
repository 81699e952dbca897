// The analyser: parse tree in, Analysis out. It never throws on a tree the parser produced and
// stays linear in the size of the file: one walk for the declarations' own entries, one merge
// per experiment along `extends` (memoised), one pass of effective checks per experiment.

import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import type { ExperimentDecl, MasklabDocument, SweepDecl } from '../dsl/ast';
import type { Analysis, AnalysisContext, ExperimentInfo, SelectionInfo, SweepInfo } from './analysis';
import { CheckRegistry } from './checkRegistry';
import { error, type Accept, type Diagnostic } from './diagnostics';
import { unknownName } from './didYouMean';
import { runEffectiveChecks } from './effective/effectiveChecks';
import { within } from './effective/scope';
import { mergeBlocks, type EntryBlock } from './entryTree';
import { EntryValues } from './entryValues';
import { experimentSpec } from './keyTable';
import { anchorOf, setAnalysisInternals } from './internals';
import { FileAccess } from './modelAccess';
import { ownEntries } from './ownEntries';
import { runLength } from './runLength';
import { analyseSweep } from './sweepAxes';
import { CHECKED_CELLS_PER_FILE, checkSweepCells } from './sweepCells';

interface DocumentScope {
  accept: Accept;
  experiments: Map<string, ExperimentInfo>;
  sweepNames: Set<string>;
  declarations: Map<string, ExperimentDecl | SweepDecl>;
}

type DeclarationKinds = { document: MasklabDocument; experiment: ExperimentDecl; sweep: SweepDecl };

/** Checks of the declarations themselves, keyed by node kind. */
export const declarationChecks = new CheckRegistry<DeclarationKinds, DocumentScope>()
  .register('document', checkDuplicateNames)
  .register('experiment', checkExtendsTarget);

function checkDuplicateNames(doc: MasklabDocument, scope: DocumentScope): void {
  for (const decl of doc.declarations) {
    const name = decl.name;
    if (!name || name.name === '') continue;
    const first = scope.declarations.get(name.name);
    if (first && first !== decl) {
      const what = (d: ExperimentDecl | SweepDecl) => (d.kind === 'experiment' ? 'an experiment' : 'a sweep');
      scope.accept(
        error(name.span, 'duplicate-name', `duplicate name '${name.name}': ${what(first)} of that name is already declared in this file`, {
          related: [{ span: first.name?.span ?? first.keyword, message: `'${name.name}' first declared here` }],
        }),
      );
    }
  }
}

function checkExtendsTarget(decl: ExperimentDecl, scope: DocumentScope): void {
  const base = decl.base;
  if (!base || base.name === '' || scope.experiments.has(base.name)) return;
  if (scope.sweepNames.has(base.name)) {
    scope.accept(error(base.span, 'extends-sweep', `'${base.name}' is a sweep; an experiment can only extend an experiment`));
    return;
  }
  const u = unknownName('experiment', base.name, [...scope.experiments.keys()].filter((n) => n !== decl.name?.name), base.span);
  scope.accept(error(base.span, 'unknown-experiment', u.message, { fix: u.fix }));
}

export function analyse(doc: MasklabDocument, ctx: AnalysisContext): Analysis {
  const diagnostics: Diagnostic[] = [];
  const accept: Accept = (d) => diagnostics.push(d);
  for (const e of doc.errors) {
    diagnostics.push({
      span: e.span,
      severity: 'error',
      message: e.message,
      code: e.code,
      ...(e.replacement !== undefined ? { fix: { span: e.span, newText: e.replacement, title: `Change to '${e.replacement}'` } } : {}),
    });
  }

  const files = new FileAccess(ctx);
  const experiments = new Map<string, ExperimentInfo>();
  const sweeps = new Map<string, SweepInfo>();
  const declarations = new Map<string, ExperimentDecl | SweepDecl>();
  const sweepNames = new Set<string>();
  const own = new Map<string, EntryBlock>();
  const scope: DocumentScope = { accept, experiments, sweepNames, declarations };

  // Names first, so `extends` and `sweep … of` may point forwards.
  for (const decl of doc.declarations) {
    const name = decl.name?.name;
    if (!name || declarations.has(name)) continue;
    declarations.set(name, decl);
    if (decl.kind === 'sweep') sweepNames.add(name);
  }
  declarationChecks.run('document', doc, scope);

  for (const decl of doc.declarations) {
    if (decl.kind !== 'experiment') continue;
    const name = decl.name?.name ?? '';
    const tree = ownEntries(experimentSpec, decl.body, { owner: name, inherits: !!decl.base, accept });
    if (name === '' || declarations.get(name) !== decl) continue; // unnamed or duplicate: checked, not registered
    own.set(name, tree);
    const info: ExperimentInfo = {
      name,
      decl,
      base: decl.base?.name || undefined,
      // Walked on demand: storing every experiment's whole chain would be quadratic in a long one.
      get chain() {
        return chainOf(info, experiments);
      },
      cyclic: false,
      chainComplete: true,
      effective: tree,
    };
    experiments.set(name, info);
  }
  for (const decl of doc.declarations) if (decl.kind === 'experiment') declarationChecks.run('experiment', decl, scope);

  resolveInheritance(experiments, own, accept);

  // Effective checks per experiment; what an inherited entry causes is reported once, where it is.
  const effectiveDiagnostics = new Map<string, Diagnostic[]>();
  const fromEffectiveChecks = new Set<Diagnostic>();
  const selections: SelectionInfo[] = [];
  const reported = new Set<string>();
  const inherited: { experiment: ExperimentInfo; diagnostic: Diagnostic }[] = [];
  for (const experiment of experiments.values()) {
    const raw: Diagnostic[] = [];
    checkExperiment(experiment, files, (d) => raw.push(d), selections);
    effectiveDiagnostics.set(experiment.name, raw);
    for (const d of raw) {
      if (within(experiment.decl.span, d.span)) {
        const key = diagnosticKey(d);
        if (reported.has(key)) continue;
        reported.add(key);
        fromEffectiveChecks.add(d);
        diagnostics.push(d);
      } else {
        inherited.push({ experiment, diagnostic: d });
      }
    }
  }
  for (const { experiment, diagnostic } of inherited) {
    if (reported.has(diagnosticKey(diagnostic))) continue;
    const owner = [...experiments.values()].find((e) => within(e.decl.span, diagnostic.span))?.name ?? 'another experiment';
    const retargeted: Diagnostic = {
      ...diagnostic,
      span: anchorOf(experiment.decl),
      message: `inherited from '${owner}': ${diagnostic.message}`,
      related: [{ span: diagnostic.span, message: `the entry in '${owner}'` }, ...(diagnostic.related ?? [])],
      fix: undefined,
    };
    const key = diagnosticKey(retargeted);
    if (reported.has(key)) continue;
    reported.add(key);
    fromEffectiveChecks.add(retargeted);
    diagnostics.push(retargeted);
  }

  for (const decl of doc.declarations) {
    if (decl.kind !== 'sweep') continue;
    const info = analyseSweep(decl, experiments, sweepNames, accept);
    if (info.name !== '' && declarations.get(info.name) === decl) sweeps.set(info.name, info);
  }

  const uri = ctx.uri ?? (ctx.filePath ? pathToFileURL(path.resolve(ctx.filePath)).href : 'untitled:masklab');
  const analysis: Analysis = {
    uri,
    filePath: ctx.filePath,
    text: ctx.text,
    document: doc,
    diagnostics,
    experiments,
    sweeps,
    selections,
    context: ctx,
  };
  setAnalysisInternals(analysis, { effectiveDiagnostics, fromEffectiveChecks, files, own });
  // Cells are checked once the analysis exists, because checking a cell is resolving it.
  const budget = { cells: CHECKED_CELLS_PER_FILE };
  for (const sweep of sweeps.values()) checkSweepCells(analysis, sweep, accept, budget);
  diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return analysis;
}

function diagnosticKey(d: Diagnostic): string {
  return `${d.span.start}:${d.span.end}:${d.code}:${d.message}`;
}

function chainOf(experiment: ExperimentInfo, experiments: ReadonlyMap<string, ExperimentInfo>): string[] {
  const chain = [experiment.name];
  let current = experiment;
  while (current.base !== undefined) {
    const parent = experiments.get(current.base);
    if (!parent || chain.includes(parent.name)) break;
    chain.push(parent.name);
    current = parent;
  }
  return chain;
}

/** Cycles (an error on each `extends` in one) and effective entries, memoised. */
function resolveInheritance(experiments: Map<string, ExperimentInfo>, own: Map<string, EntryBlock>, accept: Accept): void {
  const state = new Map<string, 'visiting' | 'done'>();

  const visit = (name: string, stack: string[]): void => {
    const experiment = experiments.get(name);
    if (!experiment || state.get(name) === 'done') return;
    state.set(name, 'visiting');
    stack.push(name);
    const base = experiment.base;
    if (base !== undefined && experiments.has(base)) {
      if (state.get(base) === 'visiting') {
        const cycle = stack.slice(stack.indexOf(base));
        const loop = [...cycle, base].join(' → ');
        for (const member of cycle) {
          const info = experiments.get(member) as ExperimentInfo;
          info.cyclic = true;
          const at = info.decl.base?.span ?? anchorOf(info.decl);
          accept(error(at, 'extends-cycle', `'extends' goes round in a circle: ${loop}; one of them must not extend the others`));
        }
      } else {
        visit(base, stack);
      }
    }
    stack.pop();
    const parent = base !== undefined ? experiments.get(base) : undefined;
    if (experiment.cyclic || (base !== undefined && !parent)) {
      experiment.effective = own.get(name) as EntryBlock;
      experiment.chainComplete = false;
    } else if (parent) {
      const parentComplete = !parent.cyclic && parent.chainComplete;
      experiment.effective = parentComplete ? mergeBlocks(parent.effective, own.get(name) as EntryBlock) : (own.get(name) as EntryBlock);
      experiment.chainComplete = parentComplete;
    }
    state.set(name, 'done');
  };
  for (const name of experiments.keys()) visit(name, []);
}

function checkExperiment(experiment: ExperimentInfo, files: FileAccess, accept: Accept, selections: SelectionInfo[]): void {
  const values = new EntryValues(experiment.effective);
  const scope = {
    experiment: experiment.name,
    root: experiment.effective,
    values,
    run: runLength(values),
    files,
    accept,
    anchor: anchorOf(experiment.decl),
    chainComplete: experiment.chainComplete,
    selections,
    ownSpan: experiment.decl.span,
  };
  try {
    runEffectiveChecks(scope);
  } catch (e) {
    // A check must never take the whole analysis down; say which experiment tripped it.
    accept(error(scope.anchor, 'internal-error', `internal error while checking '${experiment.name}': ${(e as Error).message}`));
  }
  experiment.model = (scope as { model?: ExperimentInfo['model'] }).model;
}
