// Documents for feature tests: analysed against the BERT-Tiny-shaped model stub of the analyser's
// tests (2 blocks, hidden 128, 2 heads, FFN 512), with the cursor taken from a `<|>` marker.

import { analyse } from '../../../server/src/analysis/analyse';
import type { Analysis } from '../../../server/src/analysis/analysis';
import type { ModelKnowledge } from '../../../server/src/checkpoint/modelKnowledge';
import { LineIndex } from '../../../server/src/dsl/lineIndex';
import { parse } from '../../../server/src/dsl/parser';
import { analyseText } from '../analysis/helpers';
import { cursorIn } from './cursor';

export interface Analysed {
  text: string;
  analysis: Analysis;
  lines: LineIndex;
}

export interface AtCursor extends Analysed {
  offset: number;
}

/** Analysed with the analyser tests' stub model and files (the document is /proj/experiments/exp.masklab). */
export function analysed(text: string): Analysed {
  return { text, analysis: analyseText(text), lines: new LineIndex(text) };
}

export function atCursor(marked: string): AtCursor {
  const { text, offset } = cursorIn(marked);
  return { ...analysed(text), offset };
}

/** Analysed as the file at `filePath`, reading models through `models` and files from disk. */
export function analysedAt(text: string, filePath: string, models: ModelKnowledge): Analysed {
  return { text, analysis: analyse(parse(text), { filePath, text, models }), lines: new LineIndex(text) };
}

/** The text a range covers, for readable expectations. */
export function textOf(analysis: { text: string }, lines: LineIndex, range: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  return analysis.text.slice(lines.offsetAt(range.start), lines.offsetAt(range.end));
}
