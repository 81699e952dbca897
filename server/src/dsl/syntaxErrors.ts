// Stable codes for syntax errors, and the sink that collects them. Codes are part of the
// contract: quick fixes and tests match on them, so never rename one.

import type { Span, SyntaxError } from './ast';

export const SyntaxErrorCode = {
  unexpectedCharacter: 'unexpected-character',
  invalidNumber: 'invalid-number',
  invalidRange: 'invalid-range',
  numberOutOfRange: 'number-out-of-range',
  unterminatedString: 'unterminated-string',
  unterminatedRegex: 'unterminated-regex',
  invalidEscape: 'invalid-escape',
  unterminatedComment: 'unterminated-comment',
  expectedDeclaration: 'expected-declaration',
  unknownKeyword: 'unknown-keyword',
  expectedName: 'expected-name',
  expectedBrace: 'expected-brace',
  unclosedBrace: 'unclosed-brace',
  unmatchedBrace: 'unmatched-brace',
  unexpectedToken: 'unexpected-token',
  expectedValue: 'expected-value',
  tooDeep: 'too-deep',
  tooManyErrors: 'too-many-errors',
} as const;

export type SyntaxErrorCode = (typeof SyntaxErrorCode)[keyof typeof SyntaxErrorCode];

/** Past this many errors the rest are dropped: binary junk would otherwise produce millions. */
export const MAX_SYNTAX_ERRORS = 1000;

export class SyntaxErrorSink {
  readonly errors: SyntaxError[] = [];
  private full = false;

  report(span: Span, code: SyntaxErrorCode, message: string, replacement?: string): void {
    if (this.full) return;
    if (this.errors.length >= MAX_SYNTAX_ERRORS) {
      this.full = true;
      this.errors.push({
        span: { start: span.start, end: span.start },
        code: SyntaxErrorCode.tooManyErrors,
        message: `more than ${MAX_SYNTAX_ERRORS} syntax errors; the rest are not reported (is this a .masklab file?)`,
      });
      return;
    }
    const error: SyntaxError = { span, code, message };
    if (replacement !== undefined) error.replacement = replacement;
    this.errors.push(error);
  }

  /** Errors in text order; lexer and parser report slightly out of order because of look-ahead. */
  sorted(): SyntaxError[] {
    const ordered = this.errors
      .filter((e) => e.code !== SyntaxErrorCode.tooManyErrors)
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.span.start - b.e.span.start || a.i - b.i)
      .map((x) => x.e);
    // The cut-off notice stays last, where a reader of the list looks for it.
    return this.full ? [...ordered, ...this.errors.filter((e) => e.code === SyntaxErrorCode.tooManyErrors)] : ordered;
  }
}

/** Shows user text inside a message: short, and with invisible characters made visible. */
export function quote(text: string, max = 30): string {
  let shown = '';
  for (const ch of text) {
    if (shown.length >= max) {
      shown += '…';
      break;
    }
    const code = ch.codePointAt(0) ?? 0;
    const isSurrogate = code >= 0xd800 && code <= 0xdfff;
    shown += code < 0x20 || code === 0x7f || isSurrogate || (code >= 0x80 && code <= 0x9f) ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : ch;
  }
  return `'${shown}'`;
}
