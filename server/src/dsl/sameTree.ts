// Structural equality of two syntax trees, ignoring where things are: positions and the
// layout inside a duration (`3   epochs` and `3 epochs` mean the same). The formatter uses it
// to prove it changed only layout; tests use it too.

import type { MasklabDocument } from './ast';

const LAYOUT_FIELDS = new Set(['span', 'open', 'close', 'keyword', 'extendsKeyword', 'ofKeyword', 'unitSpan']);

/** The tree as plain data without positions or comments, for comparison and snapshots. */
export function treeShape(doc: MasklabDocument): unknown {
  return strip(doc.declarations);
}

export function sameTree(a: MasklabDocument, b: MasklabDocument): boolean {
  return JSON.stringify(treeShape(a)) === JSON.stringify(treeShape(b));
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    if (LAYOUT_FIELDS.has(key)) continue;
    if (key === 'raw' && record.kind === 'duration') continue;
    out[key] = strip(record[key]);
  }
  // Which optional keywords were present still matters.
  for (const key of ['extendsKeyword', 'ofKeyword', 'close']) if (key in record) out[`has_${key}`] = record[key] !== undefined;
  return out;
}
