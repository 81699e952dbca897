// Hover over an experiment or sweep name: where the experiment inherits from (the whole `extends`
// chain, or where it breaks), what it runs; for a sweep, its axes and number of cells.

import type { Analysis } from '../analysis/analysis';
import { sweepCellCount } from '../analysis/sweepCells';
import type { Declaration, Identifier } from '../dsl/ast';
import { plural } from './compactNumber';
import { code } from './keyDocs';

export function declarationMarkdown(analysis: Analysis, decl: Declaration, id: Identifier): string | undefined {
  if (id.name === '') return undefined;
  if (decl.kind === 'sweep' && id === decl.name) return sweepMarkdown(analysis, id.name);
  return experimentMarkdown(analysis, id.name);
}

function experimentMarkdown(analysis: Analysis, name: string): string {
  const info = analysis.experiments.get(name);
  if (!info) {
    if (analysis.sweeps.has(name)) return sweepMarkdown(analysis, name);
    return `${code(name)} is not declared in this file`;
  }
  const lines = [`${code(name)} · experiment`, ''];
  if (info.cyclic) {
    lines.push(`\`extends\` goes round in a circle: ${cycleFrom(analysis, name).map(code).join(' → ')}`);
  } else if (info.base !== undefined) {
    const chain = info.chain.map(code);
    const last = info.chain[info.chain.length - 1];
    const lastBase = analysis.experiments.get(last)?.base;
    // The chain stops at a name that is not declared (reported as an error on it).
    if (lastBase !== undefined && !analysis.experiments.has(lastBase)) chain.push(`${code(lastBase)} (not declared)`);
    lines.push(`Extends: ${chain.join(' → ')}`);
  } else {
    lines.push('Extends nothing: every entry is its own.');
  }
  const effective = info.effective;
  const facts: string[] = [];
  const method = effective.blocks.get('method')?.kind?.name;
  const task = effective.blocks.get('task')?.kind?.name;
  const model = effective.properties.get('model')?.value;
  if (method) facts.push(`method ${code(method)}`);
  if (task) facts.push(`task ${code(task)}`);
  if (typeof model === 'string') facts.push(`model ${code(model)}`);
  if (facts.length > 0) lines.push('', facts.join(' · '));
  return lines.join('\n');
}

/** The names around a cycle that passes through `name`, first one repeated at the end. */
function cycleFrom(analysis: Analysis, name: string): string[] {
  const seen: string[] = [];
  let current: string | undefined = name;
  while (current !== undefined && !seen.includes(current)) {
    seen.push(current);
    current = analysis.experiments.get(current)?.base;
  }
  return current !== undefined ? [...seen.slice(seen.indexOf(current)), current] : seen;
}

function sweepMarkdown(analysis: Analysis, name: string): string {
  const sweep = analysis.sweeps.get(name);
  if (!sweep) return `${code(name)} · sweep`;
  const over = sweep.target ? ` of ${code(sweep.target)}` : '';
  const invalid = sweep.axes.some((a) => a.invalid);
  const cells = invalid ? 'cells unknown until its errors are fixed' : plural(sweepCellCount(sweep), 'cell');
  const lines = [`${code(name)} · sweep${over}: ${cells}`];
  if (sweep.axes.length > 0) {
    lines.push('');
    for (const axis of sweep.axes) {
      const values = axis.values.map((v) => v.text);
      const shown = values.length > 12 ? [...values.slice(0, 12), `… (${values.length} in all)`] : values;
      lines.push(`- ${code(axis.key)}: ${axis.invalid ? 'invalid' : shown.join(', ')}`);
    }
  }
  return lines.join('\n');
}
