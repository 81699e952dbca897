// Writes checked values back in the language's own syntax (hover, docs, messages, quick fixes),
// so what the editor shows can be pasted into a file.

import type { Duration, Selector } from '../../../schemas/src/experimentConfig';
import type { BlocksValue, TypedValue, ValueType } from './keys/types';

export function formatNumber(n: number): string {
  if (n !== 0 && Math.abs(n) < 0.01) return n.toExponential().replace(/\.?0+e/, 'e');
  return String(Number(n.toPrecision(12)));
}

export function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(12))}%`;
}

export function formatDuration(d: Duration): string {
  return `${formatNumber(d.amount)} ${d.unit}`;
}

export function isDuration(v: unknown): v is Duration {
  return typeof v === 'object' && v !== null && 'amount' in v && 'unit' in v;
}

export function isSelector(v: unknown): v is Selector {
  return typeof v === 'object' && v !== null && ('glob' in v || 'regex' in v);
}

export function isBlockList(v: unknown): v is { blocks: number[] } {
  return typeof v === 'object' && v !== null && 'blocks' in v && Array.isArray((v as { blocks: unknown }).blocks);
}

/** `0, 2..11` — consecutive numbers folded back into ranges. */
export function formatBlocks(v: BlocksValue): string {
  if (v === 'all') return 'all';
  const parts: string[] = [];
  const sorted = v.blocks;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j - i >= 2 ? `${sorted[i]}..${sorted[j]}` : sorted.slice(i, j + 1).join(', '));
    i = j + 1;
  }
  return parts.join(', ');
}

/** A string literal with the language's escapes: \" \\ \n \t, and \u{…} for other control characters. */
export function quoteString(s: string): string {
  const body = s.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === '"') return '\\"';
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return `\\u{${c.charCodeAt(0).toString(16)}}`;
  });
  return `"${body}"`;
}

/** In `re"…"` only a quote is escaped: everything else is the pattern as written. */
export function formatSelector(s: Selector): string {
  return 'glob' in s ? quoteString(s.glob) : `re"${s.regex.replace(/"/g, '\\"')}"`;
}

/** A value in source syntax; `type` decides how numbers and strings are written. */
export function formatValue(value: TypedValue, type?: ValueType): string {
  if (value === null) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map((v) => formatValue(v, type)).join(', ');
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (type?.kind === 'fraction' || type?.kind === 'runPoint') return formatPercent(value);
    return formatNumber(value);
  }
  if (typeof value === 'string') {
    if (value === 'all' && type?.kind === 'blocks') return 'all';
    return type?.kind === 'string' ? quoteString(value) : value;
  }
  if (isDuration(value)) return formatDuration(value);
  if (isSelector(value)) return formatSelector(value);
  if (isBlockList(value)) return formatBlocks(value);
  return String(value);
}
