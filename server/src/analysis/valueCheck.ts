// Checks the values written after a key against the key's type and range, and turns them into
// typed values. Shared by the analyser (entries and sweep axes) and by `--set` overrides, so a
// value is judged the same wherever it is written.

import type { Span, Value } from '../dsl/ast';
import { error, warning, spanOf, type Diagnostic } from './diagnostics';
import { listOf, unknownName } from './didYouMean';
import { allowedChoices } from './keyTable';
import type { KeySpec, TypedValue, ValueType } from './keys/types';
import { formatNumber } from './valueFormat';

export interface CheckedValues {
  /** Undefined when the values are missing or wrong; the problems say why. */
  value?: TypedValue;
  problems: readonly Diagnostic[];
}

// Most values are fine; one shared empty list spares an allocation per entry of a large file.
const NONE: readonly Diagnostic[] = Object.freeze([]);

/**
 * `family` is the kind family of the key's block (`mask`, `glue`), deciding per-method choices.
 * `keySpan` locates "needs a value" when nothing follows the key.
 */
export function checkValues(key: KeySpec, values: readonly Value[], family: string | undefined, keySpan: Span): CheckedValues {
  // The parser has already reported a missing value; a second message would only repeat it.
  if (values.some((v) => v.kind === 'missing')) return { problems: NONE };
  if (values.length === 0) {
    return { problems: [error(keySpan, 'missing-value', `'${key.name}' needs a value: ${describeType(key, family)}`)] };
  }
  if (key.nullable && values.length === 1 && isNone(values[0])) return { value: key.many ? [] : null, problems: NONE };
  if (key.type.kind === 'blocks') return checkBlocks(key, values);
  if (!key.many && values.length > 1) {
    return {
      problems: [
        error(spanOf(values[1], values[values.length - 1]), 'too-many-values', `'${key.name}' takes one value, not a list: ${describeType(key, family)}`),
      ],
    };
  }
  if (!key.many) {
    const checked = checkOne(key, values[0], family);
    return checked.problem ? { problems: [checked.problem] } : { value: checked.value, problems: NONE };
  }
  const problems: Diagnostic[] = [];
  const out: TypedValue[] = [];
  const seen = new Map<string, Value>();
  for (const v of values) {
    const checked = checkOne(key, v, family);
    if (checked.problem) problems.push(checked.problem);
    if (checked.value === undefined) continue;
    const id = typeof checked.value === 'object' ? JSON.stringify(checked.value) : String(checked.value);
    const first = seen.get(id);
    if (first) {
      problems.push(warning(v.span, 'duplicate-value', `'${v.kind === 'identifier-value' ? v.name : id}' is listed twice in '${key.name}'`, {
        related: [{ span: first.span, message: 'first listed here' }],
      }));
      continue;
    }
    seen.set(id, v);
    out.push(checked.value);
  }
  // A list keeps its valid items beside the errors, so later checks (selectors against the
  // model, metrics against the task) still look at them; the errors block resolution anyway.
  if (out.length === 0) return { problems };
  return { value: out, problems };
}

/** Checks one value alone, e.g. one cell of a sweep axis: lists are given as one-element lists. */
export function checkSingleValue(key: KeySpec, v: Value, family: string | undefined): CheckedValues {
  if (v.kind === 'missing') return { problems: NONE };
  if (key.nullable && isNone(v)) return { value: key.many ? [] : null, problems: NONE };
  if (key.type.kind === 'blocks') return checkBlocks(key, [v]);
  const checked = checkOne(key, v, family);
  if (checked.value === undefined) return { problems: checked.problem ? [checked.problem] : [] };
  return { value: key.many ? [checked.value] : checked.value, problems: NONE };
}

function isNone(v: Value): boolean {
  return v.kind === 'identifier-value' && v.name === 'none';
}

function got(v: Value): string {
  switch (v.kind) {
    case 'identifier-value':
      return `'${v.name}'`;
    case 'missing':
      return 'nothing';
    default:
      return v.raw;
  }
}

interface One {
  value?: TypedValue;
  problem?: Diagnostic;
}

function checkOne(key: KeySpec, v: Value, family: string | undefined): One {
  const t = key.type;
  switch (t.kind) {
    case 'number': {
      if (v.kind === 'percent') return wrong(key, v, family, ' (a percentage only fits fractions such as sparsity)');
      if (v.kind === 'duration' && t.integer) return wrong(key, v, family, ` (write the number alone: ${formatNumber(v.amount)})`);
      if (v.kind !== 'number') return wrong(key, v, family);
      const problem = numberRange(key, t, v.value, v);
      return problem ? { problem } : { value: v.value };
    }
    case 'fraction': {
      if (v.kind !== 'number' && v.kind !== 'percent') return wrong(key, v, family);
      const outside = v.value < t.min || (t.minExclusive && v.value === t.min) || v.value > t.max || (t.maxExclusive && v.value === t.max);
      if (outside) {
        const hint = v.kind === 'number' && v.value > 1 && v.value <= 100 ? ` (for a percentage write ${formatNumber(v.value)}%)` : '';
        return { problem: error(v.span, 'out-of-range', `'${key.name}' must be ${intervalText(t)}; got ${v.raw}${hint}`) };
      }
      return { value: v.value };
    }
    case 'duration': {
      if (v.kind === 'number') {
        return {
          problem: error(v.span, 'missing-unit', `'${key.name}' expects a duration such as '60 steps' or '1 epochs'; add a unit to ${v.raw}`, {
            fix: { span: v.span, newText: `${v.raw} steps`, title: `Make it '${v.raw} steps'` },
          }),
        };
      }
      if (v.kind !== 'duration') return wrong(key, v, family);
      const problem = durationProblem(key, v.amount, v.unit, v.span, v.raw, t.allowZero ?? false);
      return problem ? { problem } : { value: { amount: v.amount, unit: v.unit } };
    }
    case 'runPoint': {
      if (v.kind === 'duration') {
        const problem = durationProblem(key, v.amount, v.unit, v.span, v.raw, true);
        return problem ? { problem } : { value: { amount: v.amount, unit: v.unit } };
      }
      if (v.kind !== 'number' && v.kind !== 'percent') return wrong(key, v, family);
      if (v.value < 0 || v.value > 1) {
        const hint = v.kind === 'number' && v.value > 1 ? ` (a bare number is a fraction of the run; write ${v.raw}% or '${v.raw} steps')` : '';
        return { problem: error(v.span, 'out-of-range', `'${key.name}' must be between 0% and 100% of the run; got ${v.raw}${hint}`) };
      }
      return { value: v.value };
    }
    case 'string': {
      if (v.kind === 'identifier-value' && t.role === 'column') {
        return {
          problem: error(v.span, 'wrong-type', `'${key.name}' expects a quoted column name; got ${got(v)}`, {
            fix: { span: v.span, newText: JSON.stringify(v.name), title: `Quote it: "${v.name}"` },
          }),
        };
      }
      if (v.kind !== 'string') return wrong(key, v, family);
      if (v.value === '') return { problem: error(v.span, 'empty-string', `'${key.name}' must not be empty`) };
      return { value: v.value };
    }
    case 'boolean': {
      if (v.kind === 'identifier-value' && (v.name === 'true' || v.name === 'false')) return { value: v.name === 'true' };
      if (v.kind === 'identifier-value') {
        const u = unknownName('value', v.name, ['true', 'false'], v.span);
        return { problem: error(v.span, 'unknown-value', `'${key.name}' expects true or false; ${u.message}`, { fix: u.fix }) };
      }
      return wrong(key, v, family);
    }
    case 'enum': {
      const allowed = allowedChoices(key, family);
      if (v.kind === 'string' && allowed.includes(v.value)) {
        return {
          problem: error(v.span, 'wrong-type', `'${key.name}' takes the identifier ${v.value} without quotes`, {
            fix: { span: v.span, newText: v.value, title: `Remove the quotes` },
          }),
        };
      }
      if (v.kind !== 'identifier-value') return wrong(key, v, family);
      if (allowed.includes(v.name)) return { value: v.name };
      const everywhere = t.choices.map((c) => c.name);
      if (everywhere.includes(v.name) && family !== undefined) {
        return {
          problem: error(v.span, 'not-for-this-kind', `'${v.name}' cannot be used in '${key.name}' with method ${family}; there it takes ${listOf(allowed)}`),
        };
      }
      const u = unknownName(`${key.name.replace(/_/g, ' ')} value`, v.name, allowed, v.span);
      return { problem: error(v.span, 'unknown-value', u.message, { fix: u.fix }) };
    }
    case 'selector': {
      if (v.kind === 'string') {
        if (v.value === '') return { problem: error(v.span, 'empty-string', `'${key.name}' needs a non-empty pattern`) };
        return { value: { glob: v.value } };
      }
      if (v.kind === 'regex') {
        try {
          new RegExp(v.pattern);
        } catch (e) {
          return { problem: error(v.span, 'invalid-regex', `invalid regular expression ${v.raw}: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`) };
        }
        return { value: { regex: v.pattern } };
      }
      return wrong(key, v, family);
    }
    case 'label': {
      if (v.kind === 'identifier-value') return { value: v.name };
      if (v.kind === 'number') return { value: v.raw };
      if (v.kind === 'string') return { value: v.value };
      return wrong(key, v, family);
    }
    case 'blocks':
      // Handled as a whole list by checkBlocks before single values are looked at.
      return wrong(key, v, family);
  }
}

function wrong(key: KeySpec, v: Value, family: string | undefined, extra = ''): One {
  return { problem: error(v.span, 'wrong-type', `'${key.name}' expects ${describeType(key, family)}; got ${got(v)}${extra}`) };
}

function numberRange(key: KeySpec, t: Extract<ValueType, { kind: 'number' }>, n: number, v: Value): Diagnostic | undefined {
  if (t.integer && !Number.isInteger(n)) return error(v.span, 'out-of-range', `'${key.name}' must be ${numberText(t)}; got ${got(v)}`);
  const below = t.min !== undefined && (n < t.min || (t.minExclusive && n === t.min));
  const above = t.max !== undefined && (n > t.max || (t.maxExclusive && n === t.max));
  return below || above ? error(v.span, 'out-of-range', `'${key.name}' must be ${numberText(t)}; got ${got(v)}`) : undefined;
}

function durationProblem(key: KeySpec, amount: number, unit: string, span: Span, raw: string, allowZero: boolean): Diagnostic | undefined {
  if (unit === 'steps' && !Number.isInteger(amount)) {
    return error(span, 'out-of-range', `'${key.name}' counts whole steps; got ${raw}`);
  }
  if (amount < 0 || (!allowZero && amount === 0)) {
    return error(span, 'out-of-range', `'${key.name}' must be a duration ${allowZero ? '≥ 0' : '> 0'}; got ${raw}`);
  }
  return undefined;
}

function checkBlocks(key: KeySpec, values: readonly Value[]): CheckedValues {
  const problems: Diagnostic[] = [];
  const blocks = new Set<number>();
  const all = values.find((v) => v.kind === 'identifier-value' && v.name === 'all');
  if (all && values.length > 1) {
    problems.push(error(spanOf(values[0], values[values.length - 1]), 'wrong-type', `'all' stands alone in '${key.name}'; remove the other values or 'all'`));
    return { problems };
  }
  if (all) return { value: 'all', problems };
  for (const v of values) {
    if (v.kind === 'number' && Number.isInteger(v.value) && v.value >= 0) blocks.add(v.value);
    else if (v.kind === 'range') {
      if (v.from > v.to) {
        problems.push(error(v.span, 'out-of-range', `the range ${v.raw} is empty: write the smaller block first (${v.to}..${v.from})`, {
          fix: { span: v.span, newText: `${v.to}..${v.from}`, title: `Change to ${v.to}..${v.from}` },
        }));
      } else if (v.from < 0 || !Number.isInteger(v.from) || !Number.isInteger(v.to)) {
        problems.push(error(v.span, 'out-of-range', `block numbers are whole numbers ≥ 0; got ${v.raw}`));
      } else {
        for (let b = v.from; b <= v.to && b - v.from < 100_000; b++) blocks.add(b);
      }
    } else if (v.kind === 'identifier-value') {
      const u = unknownName('block selection', v.name, ['all'], v.span);
      problems.push(error(v.span, 'unknown-value', `${u.message} (or block numbers and ranges such as 2..11)`, { fix: u.fix }));
    } else if (v.kind === 'number') {
      problems.push(error(v.span, 'out-of-range', `block numbers are whole numbers ≥ 0 (blocks count from 0); got ${v.raw}`));
    } else if (v.kind !== 'missing') {
      problems.push(error(v.span, 'wrong-type', `'${key.name}' expects ${describeType(key, undefined)}; got ${got(v)}`));
    }
  }
  if (problems.length > 0 || values.some((v) => v.kind === 'missing')) return { problems };
  return { value: { blocks: [...blocks].sort((a, b) => a - b) }, problems };
}

function intervalText(t: { min: number; max: number; minExclusive?: boolean; maxExclusive?: boolean }): string {
  const pct = (n: number) => `${formatNumber(n * 100)}%`;
  return `in ${t.minExclusive ? '(' : '['}${t.min}, ${t.max}${t.maxExclusive ? ')' : ']'}, i.e. ${pct(t.min)} ${t.minExclusive ? '<' : '≤'} x ${t.maxExclusive ? '<' : '≤'} ${pct(t.max)}`;
}

function numberText(t: Extract<ValueType, { kind: 'number' }>): string {
  const noun = t.integer ? 'an integer' : 'a number';
  if (t.min !== undefined && t.max !== undefined) {
    if (t.integer && !t.minExclusive && !t.maxExclusive) return `${noun} in ${t.min}..${t.max}`;
    return `${noun} in ${t.minExclusive ? '(' : '['}${t.min}, ${t.max}${t.maxExclusive ? ')' : ']'}`;
  }
  if (t.min !== undefined) return `${noun} ${t.minExclusive ? '>' : '≥'} ${t.min}`;
  if (t.max !== undefined) return `${noun} ${t.maxExclusive ? '<' : '≤'} ${t.max}`;
  return noun;
}

/** What a key accepts, in words, for messages, hover and docs. */
export function describeType(key: KeySpec, family: string | undefined): string {
  const t = key.type;
  let text: string;
  switch (t.kind) {
    case 'number':
      text = numberText(t);
      break;
    case 'fraction':
      text = `a percentage or fraction ${intervalText(t)}`;
      break;
    case 'duration':
      text = `a duration such as '60 steps' or '1 epochs'`;
      break;
    case 'runPoint':
      text = `a percentage of the run ('10%') or a duration ('500 steps', '1 epochs')`;
      break;
    case 'string':
      text = t.role === 'column' ? 'a quoted column name' : t.role === 'file' ? 'a quoted file path' : t.role === 'folder' ? 'a quoted folder path' : 'a quoted folder path or "hf:owner/name"';
      break;
    case 'boolean':
      text = 'true or false';
      break;
    case 'enum':
      text = key.many ? `a list of ${listOf(allowedChoices(key, family))}` : `one of ${listOf(allowedChoices(key, family))}`;
      return key.nullable ? `${text}, or none` : text;
    case 'blocks':
      text = `'all', block numbers or ranges such as '2..11'`;
      break;
    case 'selector':
      text = key.many ? `quoted globs over parameter names or re"regex"` : `a quoted glob over parameter names or re"regex"`;
      break;
    case 'label':
      text = 'label values (identifiers, numbers or strings)';
      break;
  }
  if (key.many) text = `${text}, comma-separated`;
  return key.nullable ? `${text}, or none` : text;
}
