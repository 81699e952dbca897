import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import type { Body, MasklabDocument, Span, Value } from '../dsl/ast';
import type { LineIndex } from '../dsl/lineIndex';

const tokenTypes = [
  'keyword',
  'class',
  'namespace',
  'property',
  'enumMember',
  'number',
  'string',
  'regexp',
  'comment',
  'operator',
] as const;
type TokenType = (typeof tokenTypes)[number];

const tokenModifiers = ['declaration', 'readonly'] as const;

export const semanticTokensLegend: SemanticTokensLegend = {
  tokenTypes: [...tokenTypes],
  tokenModifiers: [...tokenModifiers],
};

interface RawToken {
  span: Span;
  type: TokenType;
  modifiers: number;
}

const DECLARATION = 1;

/** Semantic tokens for the whole document, encoded relative to each other as LSP wants. */
export function semanticTokens(doc: MasklabDocument, text: string, lines: LineIndex): SemanticTokens {
  const raw: RawToken[] = [];
  const push = (span: Span | undefined, type: TokenType, modifiers = 0) => {
    if (span && span.end > span.start) raw.push({ span, type, modifiers });
  };
  const pushValue = (value: Value) => {
    switch (value.kind) {
      case 'number':
      case 'percent':
        push(value.span, 'number');
        break;
      case 'duration': {
        // `2 epochs`: the number ends before the space, which is not part of either token.
        let amountEnd = value.unitSpan.start;
        while (amountEnd > value.span.start && /\s/.test(text[amountEnd - 1])) amountEnd--;
        push({ start: value.span.start, end: amountEnd }, 'number');
        push(value.unitSpan, 'keyword');
        break;
      }
      case 'string':
        push(value.span, 'string');
        break;
      case 'regex':
        push(value.span, 'regexp');
        break;
      case 'identifier-value':
        push(value.span, value.name === 'true' || value.name === 'false' ? 'keyword' : 'enumMember');
        break;
      case 'range':
        push(value.span, 'number');
        break;
      case 'missing':
        break;
    }
  };
  const walkBody = (body: Body | undefined) => {
    if (!body) return;
    for (const entry of body.entries) {
      push(entry.key.span, entry.kind === 'block' ? 'namespace' : 'property');
      if (entry.kind === 'block') {
        entry.args.forEach(pushValue);
        walkBody(entry.body);
      } else {
        entry.values.forEach(pushValue);
      }
    }
  };
  for (const decl of doc.declarations) {
    push(decl.keyword, 'keyword');
    push(decl.name?.span, 'class', DECLARATION);
    if (decl.kind === 'experiment') {
      push(decl.extendsKeyword, 'keyword');
      push(decl.base?.span, 'class');
    } else {
      push(decl.ofKeyword, 'keyword');
      push(decl.target?.span, 'class');
    }
    walkBody(decl.body);
  }
  for (const comment of doc.comments) push(comment.span, 'comment');
  raw.sort((a, b) => a.span.start - b.span.start);

  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  for (const token of raw) {
    // A token may span lines (block comments): emit one piece per line.
    let start = token.span.start;
    while (start < token.span.end) {
      const pos = lines.positionAt(start);
      const lineEnd = lineEndOffset(text, start, token.span.end);
      const length = lineEnd - start;
      if (length > 0) {
        const deltaLine = pos.line - prevLine;
        const deltaChar = deltaLine === 0 ? pos.character - prevChar : pos.character;
        data.push(deltaLine, deltaChar, length, tokenTypes.indexOf(token.type), token.modifiers);
        prevLine = pos.line;
        prevChar = pos.character;
      }
      start = skipLineBreak(text, lineEnd);
    }
  }
  return { data };
}

function lineEndOffset(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

function skipLineBreak(text: string, at: number): number {
  if (text[at] === '\r' && text[at + 1] === '\n') return at + 2;
  return at + 1;
}
