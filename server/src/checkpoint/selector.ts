// Parameter selectors of the experiment language, matched against canonical parameter names
// (prefix stripped; a selector written with the checkpoint's prefix matches too).
//
// Globs are anchored (they must match the whole name) and dot-aware, so `encoder.layer.1.*`
// never reaches block 10 — the classic layer1/layer10 trap of unanchored regexes:
//   *        any run of characters inside one dot-separated segment
//   **       a whole segment: any number of segments (zero or more; at the end, one or more)
//   {2..11}  an integer in the range, inclusive
//   {a,b}    either alternative (each may itself use * and {…})
//   .        a literal dot
// `re"…"` selectors are JavaScript regular expressions, also anchored (full match).

import type { ParameterInfo } from './parameterNames';

// What a method's blocks / matrices / also keys select lives beside the selectors.
export { selectionFor } from './methodSelection';
export type { CreatedMatrix, Selection, SelectionModel, SelectionProblem, SelectionRequest } from './methodSelection';

export type SelectorKind = 'glob' | 'regex';

export interface CompiledSelector {
  ok: true;
  kind: SelectorKind;
  text: string;
  /** The anchored regular expression the selector compiled to. */
  pattern: RegExp;
  test(name: string): boolean;
}

export interface InvalidSelector {
  ok: false;
  /** One sentence saying what is wrong and how to write it instead. */
  message: string;
  /** Offset inside `text` of the offending character, when one can be pointed at. */
  offset?: number;
}

/** Compiles a selector; an invalid one gives a message (and offset), never an exception. */
export function compileSelector(text: string, kind: SelectorKind): CompiledSelector | InvalidSelector {
  if (text.length === 0) {
    return { ok: false, message: 'The selector is empty; write a parameter name pattern such as encoder.layer.*.attention.self.query.weight.' };
  }
  let source: string;
  if (kind === 'regex') {
    source = `^(?:${text})$`;
    try {
      new RegExp(source);
    } catch (error) {
      const detail = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
      return { ok: false, message: `This regular expression is invalid: ${detail}.` };
    }
  } else {
    try {
      source = `^${new GlobCompiler(text).compile()}$`;
    } catch (error) {
      if (error instanceof GlobSyntaxError) return { ok: false, message: error.message, offset: error.offset };
      throw error;
    }
  }
  const pattern = new RegExp(source);
  return { ok: true, kind, text, pattern, test: (name) => pattern.test(name) };
}

/** The parameters a selector matches, by canonical name or by name as in the file. */
export function matchSelector(selector: CompiledSelector, params: readonly ParameterInfo[]): ParameterInfo[] {
  return params.filter((p) => selector.test(p.canonical) || selector.test(p.name));
}

class GlobSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Largest integer range a selector may spell out (more than any real model's block count). */
const MAX_RANGE_SPAN = 10_000;

const NOT_GLOB = new Map<string, string>([
  ['?', "'?' is not a glob wildcard here; use * for any characters inside one segment"],
  ['[', "'[' is not glob syntax here; use {a,b} for alternatives or {2..11} for a range of numbers"],
  [']', "']' is not glob syntax here; use {a,b} for alternatives or {2..11} for a range of numbers"],
  ['(', "'(' is not glob syntax; write re\"…\" for a regular expression"],
  [')', "')' is not glob syntax; write re\"…\" for a regular expression"],
  ['|', "'|' is not glob syntax; use {a,b} for alternatives"],
  ['+', "'+' is not glob syntax; write re\"…\" for a regular expression"],
  ['^', "'^' is not needed: globs always match the whole name"],
  ['$', "'$' is not needed: globs always match the whole name"],
  ['\\', "'\\' is not glob syntax; dots in a glob are already literal"],
]);

/** Recursive-descent translation of one glob into regular-expression source. */
class GlobCompiler {
  private position = 0;

  constructor(private readonly text: string) {}

  compile(): string {
    const source = this.sequence(0);
    if (this.position < this.text.length) {
      const c = this.text[this.position];
      throw new GlobSyntaxError(
        c === '}' ? "This '}' has no matching '{'." : `A ',' outside {…}: to match either name, write {a,b}.`,
        this.position,
      );
    }
    return source;
  }

  /** A dot-separated run up to the end, or up to ',' / '}' inside braces (depth > 0). */
  private sequence(depth: number): string {
    let out = '';
    let segmentStart = this.position;
    while (this.position < this.text.length) {
      const c = this.text[this.position];
      // At depth 0 these are errors, which compile() reports with their offset.
      if (c === ',' || c === '}') break;
      if (c === '.') {
        if (this.position === segmentStart) throw this.emptySegment(this.position);
        out += '\\.';
        this.position++;
        segmentStart = this.position;
        if (this.position === this.text.length || this.text[this.position] === '}' || this.text[this.position] === ',') {
          throw this.emptySegment(this.position);
        }
      } else if (c === '*' && this.text[this.position + 1] === '*') {
        out += this.doubleStar(depth, segmentStart);
        segmentStart = this.position;
      } else if (c === '*') {
        out += '[^.]*';
        this.position++;
      } else if (c === '{') {
        out += this.braces(depth);
      } else if (/\s/.test(c)) {
        throw new GlobSyntaxError('Selectors contain no spaces; remove the space (parameter names have none).', this.position);
      } else if (NOT_GLOB.has(c)) {
        throw new GlobSyntaxError(`${NOT_GLOB.get(c)}.`, this.position);
      } else {
        out += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        this.position++;
      }
    }
    return out;
  }

  /** `**` standing for whole segments; `out` so far ends with a dot (or is empty). */
  private doubleStar(depth: number, segmentStart: number): string {
    const at = this.position;
    if (depth > 0) throw new GlobSyntaxError("'**' cannot be used inside {…}; use * there, or put ** outside the braces.", at);
    const after = this.text[at + 2];
    if (after === '*') throw new GlobSyntaxError("'***' is not a wildcard; use ** for any number of segments.", at);
    if (at !== segmentStart || (after !== undefined && after !== '.')) {
      throw new GlobSyntaxError("'**' must be a whole segment (e.g. encoder.**.weight); use * to match characters inside a segment.", at);
    }
    if (after === '.') {
      // `**.` : zero or more whole segments, each with its dot.
      this.position = at + 3;
      if (this.position === this.text.length) throw this.emptySegment(this.position);
      return '(?:[^.]+\\.)*';
    }
    this.position = at + 2;
    return '[^.]+(?:\\.[^.]+)*';
  }

  private braces(depth: number): string {
    const open = this.position;
    this.position++;
    const range = /^(-?\d+)\.\.(-?\d+)\}/.exec(this.text.slice(this.position));
    if (range) {
      this.position += range[0].length;
      return this.range(Number(range[1]), Number(range[2]), open);
    }
    if (/^\d*\.\.\d*\}/.test(this.text.slice(this.position))) {
      throw new GlobSyntaxError('A range needs both ends, e.g. {2..11}.', open);
    }
    const alternatives: string[] = [];
    for (;;) {
      const start = this.position;
      const alternative = this.sequence(depth + 1);
      if (this.position === this.text.length) throw new GlobSyntaxError("This '{' is never closed; add '}'.", open);
      if (this.position === start) throw new GlobSyntaxError('Empty alternative inside {…}; write {a,b} with a name on each side of the comma.', start);
      alternatives.push(alternative);
      const c = this.text[this.position];
      if (c === ',') {
        this.position++;
        continue;
      }
      if (c === '}') {
        this.position++;
        return `(?:${alternatives.join('|')})`;
      }
      throw new GlobSyntaxError("This '{' is never closed; add '}'.", open);
    }
  }

  private range(from: number, to: number, at: number): string {
    if (from < 0 || to < 0) throw new GlobSyntaxError('Ranges are of block numbers, which are ≥ 0.', at);
    if (from > to) throw new GlobSyntaxError(`The range starts at ${from}, after its end ${to}; write {${to}..${from}}.`, at);
    if (to - from >= MAX_RANGE_SPAN) throw new GlobSyntaxError(`The range {${from}..${to}} is too large (at most ${MAX_RANGE_SPAN} numbers).`, at);
    const numbers: string[] = [];
    for (let n = from; n <= to; n++) numbers.push(String(n));
    // Anchoring plus the segment structure around it keep "1" from matching inside "10".
    return `(?:${numbers.join('|')})`;
  }

  private emptySegment(at: number): GlobSyntaxError {
    return new GlobSyntaxError('Empty segment: two dots in a row, or a dot at the start or end; names look like encoder.layer.0.output.dense.weight.', at);
  }
}
