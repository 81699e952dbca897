import { readFileSync } from 'node:fs';
import { parse } from '../dsl/parser';
import { LineIndex } from '../dsl/lineIndex';
import { analyse } from '../analysis/analyse';
import type { Analysis } from '../analysis/analysis';
import type { Diagnostic } from '../analysis/diagnostics';
import type { ModelKnowledge } from '../checkpoint/modelKnowledge';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Decodes an experiment file's bytes: UTF-8 (BOM or not) or UTF-16 with a BOM; bad bytes become U+FFFD. */
export function decodeSource(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return new TextDecoder('utf-8').decode(bytes.subarray(start));
}

export interface AnalysedFile {
  /** As given on the command line: diagnostics name it the way the user wrote it. */
  shownPath: string;
  analysis: Analysis;
  lines: LineIndex;
}

export type ReadResult = AnalysedFile | { shownPath: string; problem: string };

export function analyseFile(shownPath: string, cwd: string, models: ModelKnowledge): ReadResult {
  const filePath = path.resolve(cwd, shownPath);
  let text: string;
  try {
    text = decodeSource(readFileSync(filePath));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a .masklab file' : code === 'EACCES' ? 'permission denied' : String((error as Error).message);
    return { shownPath, problem };
  }
  const analysis = analyse(parse(text), { uri: pathToFileURL(filePath).href, filePath, text, models });
  return { shownPath, analysis, lines: new LineIndex(text) };
}

/** `path:line:col: severity: message`, line and column 1-based, the column in UTF-16 code units. */
export function diagnosticLine(file: AnalysedFile, d: Pick<Diagnostic, 'span' | 'severity' | 'message'>): string {
  const pos = file.lines.positionAt(d.span.start);
  return `${file.shownPath}:${pos.line + 1}:${pos.character + 1}: ${d.severity}: ${d.message}`;
}
