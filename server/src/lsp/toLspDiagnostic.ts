import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver-types';
import type { Diagnostic, Severity } from '../analysis/diagnostics';
import type { LineIndex } from '../dsl/lineIndex';
import { toRange } from '../features/ranges';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** The analyser's diagnostic as LSP sends it; `data.fix` carries the did-you-mean for code actions. */
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
