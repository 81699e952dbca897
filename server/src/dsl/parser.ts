// Recursive-descent parser for `*.masklab` files. It never throws: every problem becomes a
// SyntaxError in the document and parsing resumes at the next place an entry or declaration
// can start, so one mistake does not hide the rest of the file. Nesting is capped so that
// hostile input cannot exhaust the stack.

import type {
  Block,
  Body,
  Declaration,
  DurationUnit,
  Entry,
  ExperimentDecl,
  Identifier,
  Key,
  MasklabDocument,
  Property,
  Span,
  SweepDecl,
  Value,
} from './ast';
import { LITERAL_KINDS, Lexer, isInlineSpace, type Token } from './lexer';
import { suggest } from './suggest';
import { TokenStream } from './tokenStream';
import { SyntaxErrorCode, SyntaxErrorSink, quote } from './syntaxErrors';

/** Blocks nested deeper than this are reported and skipped; real files use three or four levels. */
export const MAX_NESTING = 64;

/** Words that only ever start a declaration; they cannot be keys or values, so a missing `}` is caught at the next declaration. */
export const DECLARATION_KEYWORDS = ['experiment', 'sweep'] as const;

const UNITS: Record<string, DurationUnit> = { step: 'steps', steps: 'steps', epoch: 'epochs', epochs: 'epochs' };

export function parse(text: string): MasklabDocument {
  return new Parser(text).parseDocument();
}

function isDeclarationKeyword(token: Token): boolean {
  return token.kind === 'identifier' && (token.text === 'experiment' || token.text === 'sweep');
}

class Parser {
  private readonly sink = new SyntaxErrorSink();
  private readonly lexer: Lexer;
  private readonly tokens: TokenStream;

  constructor(private readonly text: string) {
    this.lexer = new Lexer(text, this.sink);
    this.tokens = new TokenStream(text, this.lexer);
  }

  parseDocument(): MasklabDocument {
    const declarations: Declaration[] = [];
    for (;;) {
      const token = this.tokens.peek();
      if (token.kind === 'eof') break;
      if (isDeclarationKeyword(token)) {
        this.tokens.take();
        declarations.push(token.text === 'experiment' ? this.experiment(token) : this.sweep(token));
      } else if (token.kind === 'identifier') {
        const word = token.text ?? '';
        const meant = suggest(word, DECLARATION_KEYWORDS);
        if (meant) {
          // Parse the rest as the declaration the user meant, so its body is still checked.
          this.error(token, SyntaxErrorCode.unknownKeyword, `unknown keyword '${word}', did you mean '${meant}'?`, meant);
          this.tokens.take();
          declarations.push(meant === 'experiment' ? this.experiment(token) : this.sweep(token));
        } else {
          this.error(token, SyntaxErrorCode.expectedDeclaration, `expected 'experiment' or 'sweep' at the top level, found ${quote(word)}: entries go inside an experiment's '{ … }'`);
          this.skipToDeclaration();
        }
      } else if (token.kind === 'rbrace') {
        this.error(token, SyntaxErrorCode.unmatchedBrace, "this '}' closes nothing: remove it, or add the '{' it should close");
        this.tokens.take();
      } else if (token.kind === 'invalid') {
        this.tokens.take();
      } else {
        this.error(token, SyntaxErrorCode.expectedDeclaration, `expected 'experiment' or 'sweep' at the top level, found ${this.tokens.describe(token)}`);
        this.skipToDeclaration();
      }
    }
    return {
      kind: 'document',
      span: { start: 0, end: this.text.length },
      declarations,
      comments: this.lexer.comments,
      errors: this.sink.sorted(),
    };
  }

  // ---- declarations -------------------------------------------------------------------------

  private experiment(keyword: Token): ExperimentDecl {
    const decl: ExperimentDecl = { kind: 'experiment', span: spanOf(keyword), keyword: spanOf(keyword) };
    decl.name = this.name("the experiment's name after 'experiment', e.g. 'experiment sst2_mask {'");
    const next = this.tokens.peek();
    if (next.kind === 'identifier' && !isDeclarationKeyword(next)) {
      if (next.text === 'extends' || this.misspelt(next, 'extends')) {
        this.tokens.take();
        decl.extendsKeyword = spanOf(next);
        decl.base = this.name("the name of the experiment to extend after 'extends'");
      }
    }
    decl.body = this.declarationBody(decl.name ? `experiment '${decl.name.name}'` : 'the experiment', decl.base ? "'{'" : "'extends' or '{'");
    decl.span = { start: keyword.start, end: Math.max(this.tokens.lastEnd, decl.body?.span.end ?? 0) };
    return decl;
  }

  private sweep(keyword: Token): SweepDecl {
    const decl: SweepDecl = { kind: 'sweep', span: spanOf(keyword), keyword: spanOf(keyword) };
    decl.name = this.name("the sweep's name after 'sweep', e.g. 'sweep seeds of sst2_mask {'");
    const next = this.tokens.peek();
    if (next.kind === 'identifier' && (next.text === 'of' || this.misspelt(next, 'of'))) {
      this.tokens.take();
      decl.ofKeyword = spanOf(next);
      decl.target = this.name("the name of the experiment to sweep over after 'of'");
    } else {
      this.error(next, SyntaxErrorCode.unexpectedToken, `expected 'of' and the experiment to sweep over, e.g. 'sweep seeds of sst2_mask {', found ${this.tokens.describe(next)}`);
    }
    decl.body = this.declarationBody(decl.name ? `sweep '${decl.name.name}'` : 'the sweep', "'{'");
    decl.span = { start: keyword.start, end: Math.max(this.tokens.lastEnd, decl.body?.span.end ?? 0) };
    return decl;
  }

  /** Reports `extend` for `extends` (and the like) with a quick fix; true if the word was meant. */
  private misspelt(token: Token, keyword: string): boolean {
    const word = token.text ?? '';
    if (suggest(word, [keyword]) !== keyword) return false;
    this.error(token, SyntaxErrorCode.unknownKeyword, `unknown keyword '${word}', did you mean '${keyword}'?`, keyword);
    return true;
  }

  private name(expected: string): Identifier | undefined {
    const token = this.tokens.peek();
    // `experiment extends base {`: the name is missing, not called "extends".
    const isHeaderKeyword = (token.text === 'extends' || token.text === 'of') && this.tokens.peek(1).kind === 'identifier';
    if (token.kind === 'identifier' && !isDeclarationKeyword(token) && !isHeaderKeyword) {
      this.tokens.take();
      return identifier(token);
    }
    this.error(token, SyntaxErrorCode.expectedName, `expected ${expected}, found ${this.tokens.describe(token)}`);
    return undefined;
  }

  /** The `{ … }` of a declaration; junk before the brace is reported once and skipped. */
  private declarationBody(what: string, expected: string): Body | undefined {
    let token = this.tokens.peek();
    if (token.kind !== 'lbrace') {
      this.error(token, SyntaxErrorCode.expectedBrace, `expected ${expected} to start the body of ${what}, found ${this.tokens.describe(token)}`);
      while (token.kind !== 'lbrace' && token.kind !== 'eof' && !isDeclarationKeyword(token)) {
        this.tokens.take();
        if (token.kind === 'rbrace') return undefined;
        token = this.tokens.peek();
      }
      if (token.kind !== 'lbrace') return undefined;
    }
    return this.body(1);
  }

  // ---- bodies and entries -------------------------------------------------------------------

  /** Parses `{ entries }` starting at the `{`, which must be the next token. */
  private body(depth: number): Body {
    const openToken = this.tokens.take();
    const body: Body = { kind: 'body', span: spanOf(openToken), open: spanOf(openToken), entries: [] };
    if (depth > MAX_NESTING) {
      this.error(openToken, SyntaxErrorCode.tooDeep, `blocks are nested more than ${MAX_NESTING} deep here; the contents of this block are skipped`);
      const close = this.skipBalanced();
      if (close) body.close = spanOf(close);
      body.span = { start: openToken.start, end: close ? close.end : this.text.length };
      return body;
    }
    for (;;) {
      const token = this.tokens.peek();
      if (token.kind === 'rbrace') {
        this.tokens.take();
        body.close = spanOf(token);
        body.span = { start: openToken.start, end: token.end };
        return body;
      }
      if (token.kind === 'eof' || isDeclarationKeyword(token)) {
        this.error(openToken, SyntaxErrorCode.unclosedBrace, "this '{' is never closed: add '}' after its last entry");
        body.span = { start: openToken.start, end: token.kind === 'eof' ? this.text.length : this.tokens.lastEnd };
        return body;
      }
      if (token.kind === 'identifier') {
        body.entries.push(this.entry(depth));
      } else if (token.kind === 'invalid') {
        this.tokens.take();
      } else {
        this.error(token, SyntaxErrorCode.unexpectedToken, `expected a key or '}', found ${this.tokens.describe(token)}`);
        this.skipInBody();
      }
    }
  }

  private entry(depth: number): Entry {
    const key = this.key();
    const values = this.values(key);
    if (this.tokens.peek().kind === 'lbrace') {
      const body = this.body(depth + 1);
      const block: Block = { kind: 'block', span: { start: key.span.start, end: body.span.end }, key, args: values, body };
      return block;
    }
    if (values.length === 0) {
      const next = this.tokens.peek();
      // When the line simply ends, point at the key rather than at whatever the next line holds.
      const at = next.firstOnLine ? { start: key.span.start, end: key.span.end } : spanOf(next);
      const found = next.firstOnLine ? 'nothing on its line' : this.tokens.describe(next);
      this.sink.report(at, SyntaxErrorCode.expectedValue, `expected a value or '{' after '${key.text}', found ${found}`);
      values.push({ kind: 'missing', span: { start: key.span.end, end: key.span.end } });
    }
    const property: Property = { kind: 'property', span: { start: key.span.start, end: values[values.length - 1].span.end }, key, values };
    return property;
  }

  private key(): Key {
    const first = this.tokens.take();
    const parts = this.dottedParts(first);
    const last = parts[parts.length - 1];
    return { kind: 'key', span: { start: first.start, end: last.span.end }, parts, text: parts.map((p) => p.name).join('.') };
  }

  /** `a.b.c` — dots must touch the names on both sides, so `train.` at the end of a line stays incomplete. */
  private dottedParts(first: Token): Identifier[] {
    const parts = [identifier(first)];
    while (this.tokens.peek().kind === 'dot' && this.tokens.peek().start === this.tokens.lastEnd) {
      const dot = this.tokens.take();
      const next = this.tokens.peek();
      if (next.kind === 'identifier' && next.start === dot.end) {
        this.tokens.take();
        parts.push(identifier(next));
      } else {
        this.error(dot, SyntaxErrorCode.expectedName, `expected a name right after '${parts.map((p) => p.name).join('.')}.', e.g. 'method.lr'`);
        parts.push({ kind: 'identifier', name: '', span: { start: dot.end, end: dot.end } });
        break;
      }
    }
    return parts;
  }

  /** `value (, value)*`; empty when the next token cannot start a value (e.g. `train {`). */
  private values(key: Key): Value[] {
    const values: Value[] = [];
    if (!this.startsValue(this.tokens.peek()) && this.tokens.peek().kind !== 'comma') return values;
    if (this.looksLikeNextEntry()) return values;
    for (;;) {
      const token = this.tokens.peek();
      if (this.startsValue(token)) {
        values.push(this.value());
      } else {
        const after = values.length === 0 ? `'${key.text}'` : "','";
        this.error(token, SyntaxErrorCode.expectedValue, `expected a value after ${after}, found ${this.tokens.describe(token)}`);
        values.push({ kind: 'missing', span: { start: this.tokens.lastEnd, end: this.tokens.lastEnd } });
      }
      if (this.tokens.peek().kind !== 'comma') return values;
      this.tokens.take();
    }
  }

  /**
   * `lr` left without a value, then `batch 32` on the next line: strictly `batch` would be lr's
   * value and `32` junk, but that input is an error either way, and reporting the missing value
   * of `lr` is the message that helps. Valid documents never take this path.
   */
  private looksLikeNextEntry(): boolean {
    const first = this.tokens.peek();
    if (first.kind !== 'identifier' || !first.firstOnLine) return false;
    let k = 1;
    while (this.tokens.peek(k).kind === 'dot' && this.tokens.peek(k + 1).kind === 'identifier') k += 2;
    const after = this.tokens.peek(k);
    return LITERAL_KINDS.has(after.kind) && !after.firstOnLine;
  }

  private startsValue(token: Token): boolean {
    if (token.kind === 'identifier') return !isDeclarationKeyword(token);
    return LITERAL_KINDS.has(token.kind) || token.kind === 'invalid';
  }

  private value(): Value {
    const token = this.tokens.take();
    const raw = this.text.slice(token.start, token.end);
    const span = spanOf(token);
    switch (token.kind) {
      case 'number': {
        const unit = this.durationUnit(token);
        if (unit) {
          this.tokens.take();
          return {
            kind: 'duration',
            span: { start: token.start, end: unit.end },
            amount: token.number ?? NaN,
            unit: UNITS[unit.text ?? ''],
            unitSpan: spanOf(unit),
            raw: this.text.slice(token.start, unit.end),
          };
        }
        return { kind: 'number', span, value: token.number ?? NaN, raw };
      }
      case 'percent':
        return { kind: 'percent', span, value: token.number ?? NaN, raw };
      case 'range':
        return { kind: 'range', span, from: token.number ?? NaN, to: token.to ?? NaN, raw };
      case 'string':
        return { kind: 'string', span, value: token.text ?? '', raw };
      case 'regex':
        return { kind: 'regex', span, pattern: token.text ?? '', raw };
      case 'identifier': {
        const parts = this.dottedParts(token);
        const end = parts[parts.length - 1].span.end;
        return { kind: 'identifier-value', span: { start: token.start, end }, name: parts.map((p) => p.name).join('.'), parts };
      }
      default:
        // An invalid token: the lexer has reported it; keep its place so features can point at it.
        return { kind: 'missing', span };
    }
  }

  /**
   * The unit word after `amount` if together they form a duration: the unit is on the same
   * line and is not followed by a literal (`batch 32 epochs 10` is two properties) or a dot
   * (`epochs.x` would be a dotted key).
   */
  private durationUnit(amount: Token): Token | undefined {
    const unit = this.tokens.peek();
    if (unit.kind !== 'identifier' || !Object.prototype.hasOwnProperty.call(UNITS, unit.text ?? '')) return undefined;
    for (let i = amount.end; i < unit.start; i++) {
      if (!isInlineSpace(this.text.charCodeAt(i))) return undefined;
    }
    const after = this.tokens.peek(1);
    if (LITERAL_KINDS.has(after.kind)) return undefined;
    if (after.kind === 'dot' && after.start === unit.end) return undefined;
    return unit;
  }

  // ---- recovery -----------------------------------------------------------------------------

  /** After junk at the top level: skip to the next `experiment` / `sweep`. */
  private skipToDeclaration(): void {
    this.tokens.take();
    for (;;) {
      const token = this.tokens.peek();
      if (token.kind === 'eof' || isDeclarationKeyword(token)) return;
      this.tokens.take();
    }
  }

  /**
   * After junk inside a body: skip it (and any `{ … }` it opens) up to the `}` closing this body,
   * an identifier that starts a line (the next entry), or a declaration keyword.
   */
  private skipInBody(): void {
    let depth = 0;
    let first = true;
    for (;;) {
      const token = this.tokens.peek();
      if (token.kind === 'eof' || isDeclarationKeyword(token)) return;
      if (!first) {
        if (token.kind === 'rbrace' && depth === 0) return;
        if (token.kind === 'identifier' && token.firstOnLine && depth === 0) return;
      }
      first = false;
      if (token.kind === 'lbrace') depth++;
      else if (token.kind === 'rbrace') depth--;
      this.tokens.take();
    }
  }

  /** Skips the contents of a too-deep block, counting braces; returns its `}` if there is one. */
  private skipBalanced(): Token | undefined {
    let depth = 0;
    for (;;) {
      const token = this.tokens.take();
      if (token.kind === 'eof') return undefined;
      if (token.kind === 'lbrace') depth++;
      else if (token.kind === 'rbrace') {
        if (depth === 0) return token;
        depth--;
      }
    }
  }

  // ---- errors -----------------------------------------------------------------------------

  private error(at: Token, code: SyntaxErrorCode, message: string, replacement?: string): void {
    this.sink.report(spanOf(at), code, message, replacement);
  }
}

function spanOf(token: Token): Span {
  return { start: token.start, end: token.end };
}

function identifier(token: Token): Identifier {
  return { kind: 'identifier', name: token.text ?? '', span: spanOf(token) };
}
