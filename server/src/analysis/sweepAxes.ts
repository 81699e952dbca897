// `sweep NAME of EXPERIMENT { dotted.key v1, v2 … }`: each entry is an axis; the cells are the
// cartesian product. Axes are checked like entries: the key must exist (did you mean), each value
// must fit the key, and a knob must belong to the experiment's method.

import type { NumberValue, SweepDecl, Value } from '../dsl/ast';
import { suggest } from '../dsl/suggest';
import type { ExperimentInfo, SweepAxis, SweepInfo } from './analysis';
import { error, warning, type Accept } from './diagnostics';
import { listOf, unknownName } from './didYouMean';
import { belongsTo, findKind } from './keyTable';
import { keyPathFix, lookupKeyPath } from './keyPath';
import { checkSingleValue } from './valueCheck';
import { formatValue } from './valueFormat';

/** A range in a sweep spells out one cell per integer; past this the sweep is surely a typo. */
export const MAX_RANGE_CELLS = 10_000;
export const MAX_SWEEP_CELLS = 1_000_000;

export function analyseSweep(
  decl: SweepDecl,
  experiments: ReadonlyMap<string, ExperimentInfo>,
  sweepNames: ReadonlySet<string>,
  accept: Accept,
): SweepInfo {
  const info: SweepInfo = { name: decl.name?.name ?? '', decl, target: decl.target?.name, axes: [] };
  const target = decl.target && decl.target.name !== '' ? experiments.get(decl.target.name) : undefined;
  if (decl.target && decl.target.name !== '' && !target) {
    if (sweepNames.has(decl.target.name)) {
      accept(error(decl.target.span, 'sweep-of-sweep', `'${decl.target.name}' is a sweep; a sweep runs over an experiment`));
    } else {
      const u = unknownName('experiment', decl.target.name, [...experiments.keys()], decl.target.span);
      accept(error(decl.target.span, 'unknown-experiment', u.message, { fix: u.fix }));
    }
  }
  const seen = new Map<string, SweepAxis>();
  const entries = decl.body?.entries ?? [];
  const kindAxis = entries.some((e) => e.kind === 'property' && e.key.parts.length === 1 && e.key.text === 'method');
  for (const entry of entries) {
    if (entry.key.text === '') continue;
    if (entry.kind === 'block') {
      const inner = entry.body.entries[0]?.key.text ?? 'key';
      accept(error(entry.key.span, 'block-in-sweep', `a sweep lists dotted keys, not blocks: write '${entry.key.text}.${inner} v1, v2, …'`));
      continue;
    }
    const parts = entry.key.parts.map((p) => p.name);
    const axis: SweepAxis = { key: entry.key.text, parts, node: entry, values: [], invalid: true };
    const found = lookupKeyPath(parts);
    if ('problem' in found) {
      const span = entry.key.parts[found.problem.part]?.span ?? entry.key.span;
      accept(error(span, 'unknown-key', found.problem.message, { fix: keyPathFix(found.problem, entry.key.parts.map((p) => p.span)) }));
      info.axes.push(axis);
      continue;
    }
    const first = seen.get(axis.key);
    if (first) {
      accept(error(entry.key.span, 'duplicate-key', `duplicate axis '${axis.key}': the sweep already varies it`, {
        related: [{ span: first.node.key.span, message: `'${axis.key}' first varied here` }],
      }));
      continue;
    }
    seen.set(axis.key, axis);
    const t = found.target;
    let ok = true;
    if (t.kind === 'key') {
      axis.spec = t.key;
      // Whether a knob belongs is only known per cell when the sweep also varies the method.
      const blockName = t.blockPath.join('.');
      const kind = target?.effective && blockName !== '' ? kindAt(target, t.blockPath) : undefined;
      if (kind && !kindAxis && !belongsTo(t.key, kind.family)) {
        const owners = (t.key.only ?? []).join(' or ');
        const noun = blockName === 'method' ? `${owners} knob` : `key of ${blockName} ${owners}`;
        accept(error(entry.key.span, 'wrong-kind', `'${axis.key}' is a ${noun}; it has no effect in ${blockName} ${kind.name} (experiment '${target?.name}')`));
        ok = false;
      }
      for (const v of expandRanges(entry.values, accept)) {
        const checked = checkSingleValue(t.key, v, undefined);
        checked.problems.forEach(accept);
        if (checked.value === undefined) ok = false;
        else axis.values.push({ node: v, value: checked.value, text: formatValue(checked.value, t.key.type) });
      }
    } else {
      const kinds = t.block.kinds ?? [];
      for (const v of entry.values) {
        if (v.kind === 'missing') {
          ok = false;
        } else if (v.kind === 'identifier-value' && findKind(t.block, v.name)) {
          axis.values.push({ node: v, value: v.name, text: v.name });
        } else {
          ok = false;
          const word = v.kind === 'identifier-value' ? v.name : v.kind === 'string' ? v.value : undefined;
          if (word === undefined) accept(error(v.span, 'wrong-type', `'${axis.key}' takes ${t.block.kindWord} names: ${listOf(kinds.map((k) => k.name))}`));
          else {
            const best = suggest(word, kinds.map((k) => k.name));
            const u = unknownName(t.block.kindWord ?? 'kind', word, kinds.map((k) => k.name), v.span);
            accept(error(v.span, `unknown-${t.block.kindWord}`, u.message, { fix: best ? u.fix : undefined }));
          }
        }
      }
    }
    if (entry.values.some((v) => v.kind === 'missing')) ok = false;
    axis.invalid = !ok;
    info.axes.push(axis);
  }
  if (entries.length === 0 && decl.body) {
    accept(warning(decl.name?.span ?? decl.keyword, 'empty-sweep', `sweep '${info.name}' varies nothing: add axes such as 'train.seed 1, 2, 3'`));
  }
  const cells = info.axes.reduce((n, a) => n * Math.max(1, a.values.length), 1);
  if (cells > MAX_SWEEP_CELLS) {
    accept(error(decl.name?.span ?? decl.keyword, 'sweep-too-large', `sweep '${info.name}' has ${cells} cells; at most ${MAX_SWEEP_CELLS} are supported`));
  }
  return info;
}

function kindAt(experiment: ExperimentInfo, blockPath: readonly string[]) {
  let block = experiment.effective;
  for (const name of blockPath) {
    const next = block.blocks.get(name);
    if (!next) return undefined;
    block = next;
  }
  return block.kind;
}

/** `1..3` → 1, 2, 3 (one cell each); other values pass through. */
function expandRanges(values: readonly Value[], accept: Accept): Value[] {
  const out: Value[] = [];
  for (const v of values) {
    if (v.kind !== 'range') {
      out.push(v);
      continue;
    }
    if (v.from > v.to) {
      accept(error(v.span, 'out-of-range', `the range ${v.raw} is empty: write the smaller number first (${v.to}..${v.from})`, {
        fix: { span: v.span, newText: `${v.to}..${v.from}`, title: `Change to ${v.to}..${v.from}` },
      }));
      out.push({ kind: 'missing', span: v.span });
      continue;
    }
    if (v.to - v.from + 1 > MAX_RANGE_CELLS) {
      accept(error(v.span, 'out-of-range', `the range ${v.raw} would make ${v.to - v.from + 1} cells; at most ${MAX_RANGE_CELLS}`));
      out.push({ kind: 'missing', span: v.span });
      continue;
    }
    for (let n = v.from; n <= v.to; n++) {
      const cell: NumberValue = { kind: 'number', value: n, raw: String(n), span: v.span };
      out.push(cell);
    }
  }
  return out;
}
