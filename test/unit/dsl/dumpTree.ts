// A compact, position-free rendering of a syntax tree for inline snapshots in tests:
// one line per declaration or entry, values written as kind(value).

import type { Body, MasklabDocument, Value } from '../../../server/src/dsl/ast';

export function dumpValue(value: Value): string {
  switch (value.kind) {
    case 'number':
      return `num(${value.value})`;
    case 'percent':
      return `pct(${value.value})`;
    case 'duration':
      return `dur(${value.amount} ${value.unit})`;
    case 'string':
      return `str(${JSON.stringify(value.value)})`;
    case 'regex':
      return `re(${JSON.stringify(value.pattern)})`;
    case 'identifier-value':
      return `id(${value.name})`;
    case 'range':
      return `range(${value.from}..${value.to})`;
    case 'missing':
      return 'missing';
  }
}

function dumpBody(body: Body | undefined, indent: string, out: string[]): void {
  if (!body) {
    out.push(`${indent}<no body>`);
    return;
  }
  for (const entry of body.entries) {
    if (entry.kind === 'property') {
      out.push(`${indent}${entry.key.text} = ${entry.values.map(dumpValue).join(', ')}`);
    } else {
      const args = entry.args.length ? ' ' + entry.args.map(dumpValue).join(', ') : '';
      out.push(`${indent}${entry.key.text}${args} {`);
      dumpBody(entry.body, indent + '  ', out);
    }
  }
  if (!body.close) out.push(`${indent}<unclosed>`);
}

/** The declarations of `doc` as text (errors and comments are not included). */
export function dumpTree(doc: MasklabDocument): string {
  const out: string[] = [];
  for (const decl of doc.declarations) {
    const name = decl.name?.name ?? '<no name>';
    if (decl.kind === 'experiment') {
      out.push(`experiment ${name}${decl.extendsKeyword ? ` extends ${decl.base?.name ?? '<no base>'}` : ''}`);
    } else {
      out.push(`sweep ${name}${decl.ofKeyword ? ` of ${decl.target?.name ?? '<no target>'}` : ''}`);
    }
    dumpBody(decl.body, '  ', out);
  }
  return out.join('\n');
}

/** Errors as `code@line:col` strings (1-based, like an editor shows them), in order. */
export function dumpErrors(doc: MasklabDocument, text: string): string[] {
  return doc.errors.map((e) => {
    const before = text.slice(0, e.span.start);
    const line = before.split(/\r\n|\r|\n/).length;
    const col = e.span.start - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
    return `${e.code}@${line}:${col}`;
  });
}
