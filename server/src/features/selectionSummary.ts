// What a selection matched, said three ways: a table for hover, `12 tensors · 1.2M params` for
// inlay hints, `mask · 14 matrices · 0.4M params` for the experiment's code lens.

import type { SelectionInfo } from '../analysis/analysis';
import { code } from './keyDocs';
import { compactNumber, groupDigits, plural } from './compactNumber';

/** Hover tables stop here: past this many rows nobody reads them, and the totals say the rest. */
export const MAX_TABLE_ROWS = 30;

/** `12 tensors · 1.2M params`. */
export function selectionHint(selection: SelectionInfo): string {
  return `${plural(selection.tensors, 'tensor')} · ${compactNumber(selection.parameters)} params`;
}

/** `14 matrices` when every target is a weight matrix (what mask, dsee and topk touch), else `N tensors`. */
export function targetCount(selection: SelectionInfo): string {
  const matrices = selection.matches.every((p) => p.role === 'weight' && p.matrix !== undefined);
  return matrices ? plural(selection.tensors, 'matrix', 'matrices') : plural(selection.tensors, 'tensor');
}

function shapeText(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join(' × ');
}

/** The matched tensors with shapes and counts, capped at MAX_TABLE_ROWS, with the totals above. */
export function selectionMarkdown(selection: SelectionInfo): string {
  const head = `**${selection.label}** in ${code(selection.experiment)}`;
  if (selection.tensors === 0) return `${head}: matches nothing`;
  const lines = [`${head}: ${plural(selection.tensors, 'tensor')} · ${groupDigits(selection.parameters)} parameters (${compactNumber(selection.parameters)})`];
  const rows: string[] = [];
  for (const p of selection.matches) rows.push(`| ${code(p.canonical)} | ${shapeText(p.shape)} | ${groupDigits(p.count)} |`);
  for (const c of selection.created) rows.push(`| ${code(c.canonical)} — ${c.note.replace(/\|/g, '\\|')} | ${shapeText(c.shape)} | ${groupDigits(c.count)} |`);
  lines.push('', '| tensor | shape | parameters |', '| --- | --- | ---: |');
  lines.push(...rows.slice(0, MAX_TABLE_ROWS));
  if (rows.length > MAX_TABLE_ROWS) lines.push(`| … and ${rows.length - MAX_TABLE_ROWS} more | | |`);
  return lines.join('\n');
}
