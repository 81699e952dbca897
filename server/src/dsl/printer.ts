// The formatter. It re-lays out a syntactically valid document from its tree, keeping every
// comment where it was (trailing comments stay trailing), user blank lines inside bodies
// (collapsed to one), and literals exactly as written. A document with syntax errors is
// returned unchanged: reformatting a half-typed file must never destroy what the user typed.

import type { Body, Comment, Declaration, Entry, MasklabDocument, Span, Value } from './ast';
import { isLineBreak } from './lexer';
import { parse } from './parser';
import { sameTree } from './sameTree';

export interface FormatOptions {
  /** Spaces per indentation level (default 2). */
  indent?: number;
}

/** Formats `text`; returns it unchanged if it has syntax errors. */
export function format(text: string, options: FormatOptions = {}): string {
  const doc = parse(text);
  if (doc.errors.length > 0) return text;
  const printed = printDocument(doc, text, options);
  // Belt and braces: never hand back a text that means something else.
  const reparsed = parse(printed);
  const sameComments = reparsed.comments.length === doc.comments.length && reparsed.comments.every((c, i) => c.text === doc.comments[i].text);
  if (reparsed.errors.length > 0 || !sameComments || !sameTree(doc, reparsed)) return text;
  return printed;
}

/**
 * Whether a blank line goes before a line: never (right after `{`, before `}`), keep (if the
 * user left one), top (keep, and always one right after a declaration).
 */
type BlankRule = 'never' | 'keep' | 'top';

/** How the next token is placed relative to what came before it. */
type Layout =
  /** Starts a line of its own (an entry, a declaration, a closing brace of a multi-line body). */
  | { kind: 'line'; indent: number; blank: BlankRule; commentIndent: number; commentBlank: BlankRule }
  /** Continues the current line after `gap`; if a line comment forces a break, continues at `indent`. */
  | { kind: 'inline'; gap: string; indent: number };

/** Prints an error-free document. Exposed for tests; use `format`. */
export function printDocument(doc: MasklabDocument, text: string, options: FormatOptions = {}): string {
  return new Printer(doc, text, Math.max(0, Math.floor(options.indent ?? 2))).print();
}

class Printer {
  private readonly lines: string[] = [];
  private current: string | undefined;
  private currentHasContent = false;
  /** Source offset just past the last token or comment written. */
  private lastEnd = 0;
  private nextComment = 0;
  /** A line comment was written: whatever follows must start a new line. */
  private mustBreak = false;
  /** The last thing written was a top-level declaration's end (forces the blank line between declarations). */
  private afterDeclaration = false;
  private readonly commentsByStart = new Map<number, Comment>();
  private readonly eol: string;

  constructor(
    private readonly doc: MasklabDocument,
    private readonly text: string,
    private readonly indentWidth: number,
  ) {
    for (const c of doc.comments) this.commentsByStart.set(c.span.start, c);
    this.eol = this.detectEol();
  }

  print(): string {
    for (const decl of this.doc.declarations) this.declaration(decl);
    this.flushComments(this.text.length, this.topLevelLayout());
    if (this.current !== undefined) this.lines.push(this.current);
    return this.lines.length === 0 ? '' : this.lines.join(this.eol) + this.eol;
  }

  private topLevelLayout(): Layout {
    return { kind: 'line', indent: 0, blank: 'top', commentIndent: 0, commentBlank: 'top' };
  }

  private declaration(decl: Declaration): void {
    this.token(decl.kind, decl.keyword, this.topLevelLayout());
    const header: Layout = { kind: 'inline', gap: ' ', indent: this.indentWidth };
    if (decl.name) this.token(decl.name.name, decl.name.span, header);
    if (decl.kind === 'experiment') {
      if (decl.extendsKeyword) this.token('extends', decl.extendsKeyword, header);
      if (decl.base) this.token(decl.base.name, decl.base.span, header);
    } else {
      if (decl.ofKeyword) this.token('of', decl.ofKeyword, header);
      if (decl.target) this.token(decl.target.name, decl.target.span, header);
    }
    if (decl.body) this.body(decl.body, 0, false);
    this.afterDeclaration = true;
  }

  /**
   * A body at nesting `level` (its braces are at `level`, its entries one deeper). Blocks the
   * user wrote on one line with only properties inside stay on one line.
   */
  private body(body: Body, level: number, isBlock: boolean): void {
    const outer = level * this.indentWidth;
    const inner = outer + this.indentWidth;
    const close = body.close as Span;
    this.token('{', body.open, { kind: 'inline', gap: ' ', indent: inner });
    const hasComments = this.hasCommentBefore(close.start);
    if (body.entries.length === 0 && !hasComments) {
      this.token('}', close, { kind: 'inline', gap: '', indent: outer });
      return;
    }
    const oneLine = isBlock && !this.hasLineBreak(body.open.start, close.end) && body.entries.every((e) => e.kind === 'property');
    if (oneLine) {
      body.entries.forEach((entry, i) => this.entry(entry, { kind: 'inline', gap: i === 0 ? ' ' : '  ', indent: inner }, level + 1));
      this.token('}', close, { kind: 'inline', gap: ' ', indent: outer });
      return;
    }
    body.entries.forEach((entry, i) =>
      this.entry(entry, { kind: 'line', indent: inner, blank: i === 0 ? 'never' : 'keep', commentIndent: inner, commentBlank: 'keep' }, level + 1),
    );
    this.token('}', close, { kind: 'line', indent: outer, blank: 'never', commentIndent: inner, commentBlank: 'keep' });
  }

  /** An entry whose key is placed by `first`; its own lines (if any) are at `level`. */
  private entry(entry: Entry, first: Layout, level: number): void {
    this.token(entry.key.text, entry.key.span, first);
    const continuation: Layout = { kind: 'inline', gap: ' ', indent: (level + 1) * this.indentWidth };
    const values = entry.kind === 'property' ? entry.values : entry.args;
    values.forEach((value, i) => {
      if (i > 0) {
        const comma = this.commaBetween(values[i - 1].span.end, value.span.start);
        this.token(',', { start: comma, end: comma + 1 }, { ...continuation, gap: '' });
      }
      this.token(this.valueText(value), value.span, continuation);
    });
    if (entry.kind === 'block') this.body(entry.body, level, true);
  }

  private valueText(value: Value): string {
    switch (value.kind) {
      case 'identifier-value':
        return value.name;
      case 'duration': {
        // Amount and unit as written, with exactly one space between them.
        const amount = this.text.slice(value.span.start, value.unitSpan.start).trimEnd();
        return `${amount} ${this.text.slice(value.unitSpan.start, value.unitSpan.end)}`;
      }
      case 'missing':
        return '';
      default:
        return value.raw;
    }
  }

  /** The `,` between two values: the only character there that is neither space nor comment. */
  private commaBetween(from: number, to: number): number {
    let i = from;
    while (i < to) {
      const comment = this.commentsByStart.get(i);
      if (comment) i = comment.span.end;
      else if (this.text.charCodeAt(i) === 44) return i;
      else i++;
    }
    return from;
  }

  // ---- output -------------------------------------------------------------------------------

  private token(text: string, span: Span, layout: Layout): void {
    this.flushComments(span.start, layout);
    if (layout.kind === 'line') {
      this.newLine(layout.indent, this.blankBefore(layout.blank, span.start));
      this.write(text, '');
    } else if (this.mustBreak) {
      this.newLine(layout.indent, false);
      this.write(text, '');
    } else {
      this.write(text, layout.gap);
    }
    this.mustBreak = false;
    this.lastEnd = span.end;
    if (layout.kind === 'line' && layout.indent === 0) this.afterDeclaration = false;
  }

  /** Writes the comments that start before `offset`, trailing ones on the current line. */
  private flushComments(offset: number, layout: Layout): void {
    const comments = this.doc.comments;
    while (this.nextComment < comments.length && comments[this.nextComment].span.start < offset) {
      const comment = comments[this.nextComment++];
      const trailing = this.currentHasContent && !this.mustBreak && !this.hasLineBreak(this.lastEnd, comment.span.start);
      if (trailing) {
        this.write(comment.text, ' ');
      } else if (layout.kind === 'line') {
        this.newLine(layout.commentIndent, this.blankBefore(layout.commentBlank, comment.span.start));
        this.write(comment.text, '');
        if (layout.commentIndent === 0) this.afterDeclaration = false;
      } else {
        this.newLine(layout.indent, false);
        this.write(comment.text, '');
      }
      this.lastEnd = comment.span.end;
      this.mustBreak = comment.line;
    }
  }

  private blankBefore(rule: BlankRule, offset: number): boolean {
    if (this.current === undefined || rule === 'never') return false;
    if (rule === 'top' && this.afterDeclaration) return true;
    return this.countLineBreaks(this.lastEnd, offset) >= 2;
  }

  private newLine(indent: number, blank: boolean): void {
    if (this.current !== undefined) this.lines.push(this.current);
    if (blank && this.lines.length > 0) this.lines.push('');
    this.current = ' '.repeat(indent);
    this.currentHasContent = false;
  }

  private write(text: string, gap: string): void {
    if (this.current === undefined) this.current = '';
    this.current += this.currentHasContent ? gap + text : text;
    this.currentHasContent = true;
  }

  // ---- source inspection --------------------------------------------------------------------

  private hasCommentBefore(offset: number): boolean {
    const c = this.doc.comments[this.nextComment];
    return c !== undefined && c.span.start < offset;
  }

  private hasLineBreak(from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (isLineBreak(this.text.charCodeAt(i))) return true;
    return false;
  }

  private countLineBreaks(from: number, to: number): number {
    let count = 0;
    for (let i = from; i < to; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 13 && this.text.charCodeAt(i + 1) === 10) i++;
      if (isLineBreak(c)) count++;
    }
    return count;
  }

  /** \r\n if the first line break outside comments is one, else \n (stable under formatting). */
  private detectEol(): string {
    let i = 0;
    for (const comment of this.doc.comments) {
      const found = this.firstBreak(i, comment.span.start);
      if (found !== undefined) return found;
      i = comment.span.end;
    }
    return this.firstBreak(i, this.text.length) ?? '\n';
  }

  private firstBreak(from: number, to: number): string | undefined {
    for (let i = from; i < to; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 13) return this.text.charCodeAt(i + 1) === 10 ? '\r\n' : '\n';
      if (c === 10) return '\n';
    }
    return undefined;
  }
}
