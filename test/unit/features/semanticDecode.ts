// Decodes LSP semantic tokens (relative line/character deltas) back to absolute positions, so tests
// can name what each token covers and check that tokens are in order and inside their lines.

import type { SemanticTokens } from 'vscode-languageserver-types';
import { semanticTokensLegend } from '../../../server/src/features/semanticTokens';

export interface DecodedToken {
  line: number;
  character: number;
  length: number;
  type: string;
  modifiers: string[];
}

export function decodeTokens(tokens: SemanticTokens): DecodedToken[] {
  const out: DecodedToken[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i + 5 <= tokens.data.length; i += 5) {
    const [dLine, dChar, length, type, mods] = tokens.data.slice(i, i + 5);
    line += dLine;
    character = dLine === 0 ? character + dChar : dChar;
    const modifiers = semanticTokensLegend.tokenModifiers.filter((_, bit) => (mods >> bit) & 1);
    out.push({ line, character, length, type: semanticTokensLegend.tokenTypes[type], modifiers });
  }
  return out;
}

/** Throws unless every token lies inside its line, tokens are in order and none overlap. */
export function checkTokens(tokens: SemanticTokens, text: string): void {
  if (tokens.data.length % 5 !== 0) throw new Error('semantic token data is not a multiple of 5');
  const lines = text.split(/\r\n|\r|\n/);
  let previous: DecodedToken | undefined;
  for (const t of decodeTokens(tokens)) {
    if (t.line >= lines.length || t.length <= 0 || t.character + t.length > lines[t.line].length) {
      throw new Error(`token ${JSON.stringify(t)} is not inside its line`);
    }
    if (t.type === undefined) throw new Error(`token ${JSON.stringify(t)} has no type in the legend`);
    if (previous && (t.line < previous.line || (t.line === previous.line && t.character < previous.character + previous.length))) {
      throw new Error(`token ${JSON.stringify(t)} overlaps or precedes ${JSON.stringify(previous)}`);
    }
    previous = t;
  }
}
