// Turns text into tokens on demand. Pulling one token at a time (rather than building an
// array) keeps memory flat on pathological input such as 10 MB of `{`; `tokenize` collects
// them all for callers that want a list. Comments are not tokens: they are collected on the side.

import type { Comment } from './ast';
import { SyntaxErrorCode, SyntaxErrorSink, quote } from './syntaxErrors';

export type TokenKind =
  | 'identifier'
  | 'number'
  | 'percent'
  | 'range'
  | 'string'
  | 'regex'
  | 'lbrace'
  | 'rbrace'
  | 'comma'
  | 'dot'
  /** Text no token can start with, or a malformed literal; the lexer has already reported it. */
  | 'invalid'
  | 'eof';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** No other token precedes this one on its line (a line break or the start of the text comes first). */
  firstOnLine: boolean;
  /** number and percent: the value (a percent already divided by 100); range: the first bound. */
  number?: number;
  /** range: the last bound (inclusive). */
  to?: number;
  /** identifier: the name; string: the decoded value; regex: the pattern. */
  text?: string;
}

/** Token kinds that are literal values (used by the duration rule: `batch 32 epochs 10`). */
export const LITERAL_KINDS: ReadonlySet<TokenKind> = new Set(['number', 'percent', 'range', 'string', 'regex']);

const CH_TAB = 9, CH_LF = 10, CH_VT = 11, CH_FF = 12, CH_CR = 13, CH_SPACE = 32;
const CH_QUOTE = 34, CH_PERCENT = 37, CH_STAR = 42, CH_PLUS = 43, CH_COMMA = 44, CH_MINUS = 45;
const CH_DOT = 46, CH_SLASH = 47, CH_0 = 48, CH_9 = 57, CH_BACKSLASH = 92, CH_UNDERSCORE = 95;
const CH_LBRACE = 123, CH_RBRACE = 125;

export function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

export function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === CH_UNDERSCORE;
}

export function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

export function isLineBreak(c: number): boolean {
  return c === CH_LF || c === CH_CR;
}

/** Whitespace that does not end a line. Unicode spaces (no-break space, BOM, …) count too. */
export function isInlineSpace(c: number): boolean {
  if (c === CH_SPACE || c === CH_TAB || c === CH_VT || c === CH_FF) return true;
  if (c < 0x80) return false;
  return c === 0xa0 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

export class Lexer {
  private pos = 0;
  private sawLineBreak = true;
  readonly comments: Comment[] = [];

  constructor(
    private readonly text: string,
    private readonly errors: SyntaxErrorSink,
  ) {}

  next(): Token {
    this.skipTrivia();
    const { text } = this;
    const start = this.pos;
    const firstOnLine = this.sawLineBreak;
    this.sawLineBreak = false;
    if (start >= text.length) return { kind: 'eof', start: text.length, end: text.length, firstOnLine };
    const c = text.charCodeAt(start);
    const punctuation = c === CH_LBRACE ? 'lbrace' : c === CH_RBRACE ? 'rbrace' : c === CH_COMMA ? 'comma' : c === CH_DOT ? 'dot' : undefined;
    if (punctuation) {
      this.pos = start + 1;
      return { kind: punctuation, start, end: start + 1, firstOnLine };
    }
    if (c === CH_QUOTE) return this.string(start, firstOnLine);
    if (isDigit(c) || (c === CH_MINUS && isDigit(text.charCodeAt(start + 1)))) return this.number(start, firstOnLine);
    if (isIdentStart(c)) {
      let end = start + 1;
      while (end < text.length && isIdentPart(text.charCodeAt(end))) end++;
      if (end === start + 2 && text.startsWith('re"', start)) return this.regex(start, firstOnLine);
      this.pos = end;
      return { kind: 'identifier', start, end, firstOnLine, text: text.slice(start, end) };
    }
    return this.invalidRun(start, firstOnLine);
  }

  /** Skips whitespace and comments, recording the comments and noting line breaks. */
  private skipTrivia(): void {
    const { text } = this;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (isLineBreak(c)) {
        this.sawLineBreak = true;
        this.pos++;
      } else if (isInlineSpace(c)) {
        this.pos++;
      } else if (c === CH_SLASH && text.charCodeAt(this.pos + 1) === CH_SLASH) {
        const start = this.pos;
        let end = start + 2;
        while (end < text.length && !isLineBreak(text.charCodeAt(end))) end++;
        this.comments.push({ span: { start, end }, text: text.slice(start, end), line: true });
        this.pos = end;
      } else if (c === CH_SLASH && text.charCodeAt(this.pos + 1) === CH_STAR) {
        const start = this.pos;
        const close = text.indexOf('*/', start + 2);
        const end = close < 0 ? text.length : close + 2;
        if (close < 0) {
          this.errors.report({ start, end: start + 2 }, SyntaxErrorCode.unterminatedComment, "this '/*' comment is never closed: add '*/' where it should end");
        }
        const body = text.slice(start, end);
        if (/[\r\n]/.test(body)) this.sawLineBreak = true;
        this.comments.push({ span: { start, end }, text: body, line: false });
        this.pos = end;
      } else {
        return;
      }
    }
  }

  private number(start: number, firstOnLine: boolean): Token {
    const { text } = this;
    let i = start;
    if (text.charCodeAt(i) === CH_MINUS) i++;
    while (isDigit(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === CH_DOT && text.charCodeAt(i + 1) === CH_DOT) return this.range(start, i, firstOnLine);
    if (text.charCodeAt(i) === CH_DOT) {
      if (!isDigit(text.charCodeAt(i + 1))) {
        const raw = text.slice(start, i + 1);
        return this.invalid(start, i + 1, firstOnLine, SyntaxErrorCode.invalidNumber, `a number cannot end with '.': write ${quote(raw.slice(0, -1))} or ${quote(raw + '0')}`);
      }
      i++;
      while (isDigit(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (e === 69 || e === 101) {
      const sign = text.charCodeAt(i + 1);
      const digitsAt = sign === CH_PLUS || sign === CH_MINUS ? i + 2 : i + 1;
      if (isDigit(text.charCodeAt(digitsAt))) {
        i = digitsAt;
        while (isDigit(text.charCodeAt(i))) i++;
      }
    }
    const numberEnd = i;
    const isPercent = text.charCodeAt(i) === CH_PERCENT;
    if (isPercent) i++;
    if (isIdentPart(text.charCodeAt(i))) {
      let wordEnd = i;
      while (isIdentPart(text.charCodeAt(wordEnd))) wordEnd++;
      // `60steps`: the unit is lexed as its own word and the parser decides it is a duration.
      if (!isPercent && isUnitWord(text.slice(i, wordEnd))) return this.finishNumber(start, numberEnd, firstOnLine, false);
      return this.invalid(start, wordEnd, firstOnLine, SyntaxErrorCode.invalidNumber, `invalid number ${quote(text.slice(start, wordEnd))}: expected digits, an exponent like 1e-3, '%', or a unit (steps, epochs) after a space`);
    }
    return this.finishNumber(start, numberEnd, firstOnLine, isPercent);
  }

  private finishNumber(start: number, numberEnd: number, firstOnLine: boolean, isPercent: boolean): Token {
    const raw = this.text.slice(start, numberEnd);
    const value = Number(raw);
    const end = isPercent ? numberEnd + 1 : numberEnd;
    this.pos = end;
    if (!Number.isFinite(value)) {
      this.errors.report({ start, end }, SyntaxErrorCode.numberOutOfRange, `the number ${quote(raw)} is too large to represent`);
    }
    return { kind: isPercent ? 'percent' : 'number', start, end, firstOnLine, number: isPercent ? value / 100 : value };
  }

  /** `2..11`: `dots` is the offset of the first dot. */
  private range(start: number, dots: number, firstOnLine: boolean): Token {
    const { text } = this;
    let i = dots + 2;
    const toStart = i;
    if (text.charCodeAt(i) === CH_MINUS) i++;
    const digitsStart = i;
    while (isDigit(text.charCodeAt(i))) i++;
    if (i === digitsStart) {
      return this.invalid(start, dots + 2, firstOnLine, SyntaxErrorCode.invalidRange, `a range needs both ends, e.g. '${text.slice(start, dots)}..11'`);
    }
    let end = i;
    if (isIdentPart(text.charCodeAt(end)) || text.charCodeAt(end) === CH_DOT || text.charCodeAt(end) === CH_PERCENT) {
      while (isIdentPart(text.charCodeAt(end)) || text.charCodeAt(end) === CH_DOT || text.charCodeAt(end) === CH_PERCENT) end++;
      return this.invalid(start, end, firstOnLine, SyntaxErrorCode.invalidRange, `invalid range ${quote(text.slice(start, end))}: a range is two whole numbers, e.g. '2..11'`);
    }
    const from = Number(text.slice(start, dots));
    const to = Number(text.slice(toStart, end));
    this.pos = end;
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) {
      this.errors.report({ start, end }, SyntaxErrorCode.numberOutOfRange, `the range ${quote(text.slice(start, end))} has a bound too large to represent`);
    }
    return { kind: 'range', start, end, firstOnLine, number: from, to };
  }

  private string(start: number, firstOnLine: boolean): Token {
    const { text } = this;
    let i = start + 1;
    let value = '';
    let chunkStart = i;
    for (;;) {
      if (i >= text.length || isLineBreak(text.charCodeAt(i))) {
        value += text.slice(chunkStart, i);
        this.errors.report({ start, end: i }, SyntaxErrorCode.unterminatedString, `unterminated string: add '"' before the end of the line`);
        break;
      }
      const c = text.charCodeAt(i);
      if (c === CH_QUOTE) {
        value += text.slice(chunkStart, i);
        i++;
        break;
      }
      if (c !== CH_BACKSLASH) {
        i++;
        continue;
      }
      value += text.slice(chunkStart, i);
      const escaped = this.escape(i);
      value += escaped.value;
      i = escaped.end;
      chunkStart = i;
    }
    this.pos = i;
    return { kind: 'string', start, end: i, firstOnLine, text: value };
  }

  /** Decodes the escape whose backslash is at `at`; reports and keeps it literally if unknown. */
  private escape(at: number): { value: string; end: number } {
    const { text } = this;
    const c = text.charCodeAt(at + 1);
    if (c === CH_QUOTE) return { value: '"', end: at + 2 };
    if (c === CH_BACKSLASH) return { value: '\\', end: at + 2 };
    if (c === 110) return { value: '\n', end: at + 2 };
    if (c === 116) return { value: '\t', end: at + 2 };
    if (c === 117 && text.charCodeAt(at + 2) === CH_LBRACE) {
      let i = at + 3;
      while (i < text.length && isHexDigit(text.charCodeAt(i)) && i - (at + 3) < 6) i++;
      const hex = text.slice(at + 3, i);
      const code = hex ? parseInt(hex, 16) : NaN;
      if (text.charCodeAt(i) === CH_RBRACE && code <= 0x10ffff) return { value: String.fromCodePoint(code), end: i + 1 };
      const end = text.charCodeAt(i) === CH_RBRACE ? i + 1 : i;
      this.errors.report({ start: at, end }, SyntaxErrorCode.invalidEscape, `invalid unicode escape ${quote(text.slice(at, end))}: write \\u{` + `1F600} with 1 to 6 hex digits up to 10FFFF`);
      return { value: text.slice(at, end), end };
    }
    if (at + 1 >= text.length || isLineBreak(c)) return { value: '', end: at + 1 };
    const width = c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    const written = text.slice(at, at + 1 + width);
    this.errors.report(
      { start: at, end: at + 1 + width },
      SyntaxErrorCode.invalidEscape,
      `unknown escape ${quote(written)} in a string: the escapes are \\" \\\\ \\n \\t \\u{…}; write \\\\ for a backslash, or use re"…" for a regular expression`,
    );
    return { value: written, end: at + 1 + width };
  }

  /** `re"…"`: contents are raw except that `\"` stands for a quote (and `\\` stays two characters). */
  private regex(start: number, firstOnLine: boolean): Token {
    const { text } = this;
    let i = start + 3;
    let pattern = '';
    for (;;) {
      if (i >= text.length || isLineBreak(text.charCodeAt(i))) {
        this.errors.report({ start, end: i }, SyntaxErrorCode.unterminatedRegex, `unterminated regular expression: add '"' before the end of the line`);
        break;
      }
      const c = text.charCodeAt(i);
      if (c === CH_QUOTE) {
        i++;
        break;
      }
      if (c === CH_BACKSLASH && i + 1 < text.length && !isLineBreak(text.charCodeAt(i + 1))) {
        pattern += text.charCodeAt(i + 1) === CH_QUOTE ? '"' : text.slice(i, i + 2);
        i += 2;
        continue;
      }
      pattern += text[i];
      i++;
    }
    this.pos = i;
    return { kind: 'regex', start, end: i, firstOnLine, text: pattern };
  }

  /** A run of characters no token starts with, reported once as a whole. */
  private invalidRun(start: number, firstOnLine: boolean): Token {
    const { text } = this;
    let end = start;
    if (text.charCodeAt(start) === 35) {
      // `# note`: someone used another language's comment; one error for the line, not one per word.
      while (end < text.length && !isLineBreak(text.charCodeAt(end))) end++;
      return this.invalid(start, end, firstOnLine, SyntaxErrorCode.unexpectedCharacter, "'#' does not start a comment here: comments start with '//' or '/*'");
    }
    while (end < text.length) {
      const c = text.charCodeAt(end);
      if (end > start && startsToken(text, end)) break;
      if (isLineBreak(c) || isInlineSpace(c)) break;
      // Keep surrogate pairs whole so the span never splits a character.
      end += c >= 0xd800 && c <= 0xdbff && end + 1 < text.length && text.charCodeAt(end + 1) >= 0xdc00 && text.charCodeAt(end + 1) <= 0xdfff ? 2 : 1;
    }
    const written = text.slice(start, end);
    const hint = written === '/' ? "; comments start with '//' or '/*'" : '';
    const noun = [...written].length === 1 ? 'character' : 'characters';
    return this.invalid(start, end, firstOnLine, SyntaxErrorCode.unexpectedCharacter, `unexpected ${noun} ${quote(written)}${hint}`);
  }

  private invalid(start: number, end: number, firstOnLine: boolean, code: SyntaxErrorCode, message: string): Token {
    this.errors.report({ start, end }, code, message);
    this.pos = end;
    return { kind: 'invalid', start, end, firstOnLine };
  }
}

function startsToken(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (c === CH_LBRACE || c === CH_RBRACE || c === CH_COMMA || c === CH_DOT || c === CH_QUOTE) return true;
  if (isIdentStart(c) || isDigit(c)) return true;
  if (c === CH_MINUS) return isDigit(text.charCodeAt(at + 1));
  if (c === CH_SLASH) return text.charCodeAt(at + 1) === CH_SLASH || text.charCodeAt(at + 1) === CH_STAR;
  return false;
}

const UNIT_WORDS = new Set(['step', 'steps', 'epoch', 'epochs']);

export function isUnitWord(word: string): boolean {
  return UNIT_WORDS.has(word);
}

/** Every token, comment and lexical error of `text` (for semantic tokens and tests). */
export function tokenize(text: string): { tokens: Token[]; comments: Comment[]; errors: SyntaxErrorSink['errors'] } {
  const sink = new SyntaxErrorSink();
  const lexer = new Lexer(text, sink);
  const tokens: Token[] = [];
  for (;;) {
    const token = lexer.next();
    if (token.kind === 'eof') break;
    tokens.push(token);
  }
  return { tokens, comments: lexer.comments, errors: sink.sorted() };
}
