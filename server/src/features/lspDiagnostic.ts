// The analyser's diagnostic as LSP sends it. Code actions attach the diagnostics they fix, and
// the editor matches them against the published ones, so both must be built by this function.

import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver-types';
import type { Diagnostic, Severity } from '../analysis/diagnostics';
import type { LineIndex } from '../dsl/lineIndex';
import { toRange } from './ranges';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toLspDiagnostic(d: Diagnostic, uri: string, lines: LineIndex): LspDiagnostic {
  return {
    range: toRange(lines, d.span),
    severity: severities[d.severity],
    code: d.code,
    source: 'masklab',
    message: d.message,
    relatedInformation: d.related?.map((r) => ({
      location: { uri: r.uri ?? uri, range: toRange(lines, r.span) },
      message: r.message,
    })),
  };
}
