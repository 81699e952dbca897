// Checks every parse must satisfy, whatever the input: spans inside the text, children inside
// their parents and in order, comments and errors inside the text. Throws with a description.

import type { MasklabDocument, Node } from '../../../server/src/dsl/ast';
import { childrenOf } from '../../../server/src/dsl/visit';

export function checkSpans(doc: MasklabDocument, text: string): void {
  const inText = (what: string, s: { start: number; end: number }) => {
    if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && 0 <= s.start && s.start <= s.end && s.end <= text.length)) {
      throw new Error(`${what} span ${s.start}..${s.end} is not inside 0..${text.length}`);
    }
  };
  if (doc.span.start !== 0 || doc.span.end !== text.length) throw new Error('document span must cover the text');
  const stack: Node[] = [doc];
  while (stack.length) {
    const node = stack.pop()!;
    inText(node.kind, node.span);
    const children = childrenOf(node);
    let previousEnd = node.span.start;
    for (const child of children) {
      inText(child.kind, child.span);
      if (child.span.start < node.span.start || child.span.end > node.span.end) {
        throw new Error(`${child.kind} ${child.span.start}..${child.span.end} lies outside its ${node.kind} ${node.span.start}..${node.span.end}`);
      }
      if (child.span.start < previousEnd) throw new Error(`${child.kind} at ${child.span.start} overlaps the sibling before it (ends ${previousEnd})`);
      previousEnd = child.span.end;
      stack.push(child);
    }
    for (const extra of extraSpans(node)) {
      inText(`${node.kind} part`, extra);
      if (extra.start < node.span.start || extra.end > node.span.end) throw new Error(`a part of ${node.kind} lies outside it`);
    }
  }
  let previousCommentEnd = 0;
  for (const c of doc.comments) {
    inText('comment', c.span);
    if (c.span.start < previousCommentEnd) throw new Error('comments overlap or are out of order');
    if (text.slice(c.span.start, c.span.end) !== c.text) throw new Error('comment text differs from the source');
    previousCommentEnd = c.span.end;
  }
  for (const e of doc.errors) {
    inText(`error ${e.code}`, e.span);
    if (!/^[a-z]+(-[a-z]+)*$/.test(e.code)) throw new Error(`error code ${e.code} is not kebab-case`);
    if (!e.message) throw new Error('error without a message');
  }
}

function extraSpans(node: Node): { start: number; end: number }[] {
  switch (node.kind) {
    case 'experiment':
      return [node.keyword, ...(node.extendsKeyword ? [node.extendsKeyword] : [])];
    case 'sweep':
      return [node.keyword, ...(node.ofKeyword ? [node.ofKeyword] : [])];
    case 'body':
      return [node.open, ...(node.close ? [node.close] : [])];
    case 'duration':
      return [node.unitSpan];
    default:
      return [];
  }
}
