import type { Span } from '../dsl/ast';

export type Severity = 'error' | 'warning' | 'info';

/** A replacement a did-you-mean quick fix applies. */
export interface QuickFix {
  span: Span;
  newText: string;
  title: string;
}

export interface RelatedInformation {
  span: Span;
  message: string;
  /** Another document; absent means the analysed one. */
  uri?: string;
}

export interface Diagnostic {
  span: Span;
  severity: Severity;
  message: string;
  /** Stable machine-readable code, e.g. `unknown-key`, `out-of-range`, `selector-matches-nothing`. */
  code: string;
  related?: RelatedInformation[];
  fix?: QuickFix;
}

/** Where checks report to. */
export type Accept = (diagnostic: Diagnostic) => void;

export function error(span: Span, code: string, message: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { span, severity: 'error', code, message, ...extra };
}

export function warning(span: Span, code: string, message: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { span, severity: 'warning', code, message, ...extra };
}

export function spanOf(first: { span: Span }, last: { span: Span } = first): Span {
  return { start: first.span.start, end: last.span.end };
}
