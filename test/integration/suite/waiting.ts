// Waiting on editor events with a bound, never on a fixed sleep.

import * as vscode from 'vscode';

export function withTimeout<T>(work: Thenable<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Resolves with the error diagnostics of `uri` as soon as it has any. */
export function waitForErrors(uri: vscode.Uri, ms: number): Promise<vscode.Diagnostic[]> {
  const errorsNow = () => vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
  const present = errorsNow();
  if (present.length > 0) return Promise.resolve(present);
  let subscription: vscode.Disposable | undefined;
  const appeared = new Promise<vscode.Diagnostic[]>((resolve) => {
    subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((changed) => changed.toString() === uri.toString())) return;
      const errors = errorsNow();
      if (errors.length > 0) resolve(errors);
    });
  });
  return withTimeout(appeared, ms, `error diagnostics on ${uri.fsPath}`).finally(() => subscription?.dispose());
}
