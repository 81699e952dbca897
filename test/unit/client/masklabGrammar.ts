// Tokenizes text with the extension's TextMate grammar through the same engine VS Code uses
// (vscode-textmate + the Oniguruma wasm), for the grammar tests.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

export interface Token {
  line: number;
  text: string;
  scopes: string[];
}

const GRAMMAR_PATH = path.join(__dirname, '../../../client/syntaxes/masklab.tmLanguage.json');

let grammarPromise: Promise<textmate.IGrammar> | undefined;

function loadGrammar(): Promise<textmate.IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
        createOnigString: (text: string) => new oniguruma.OnigString(text),
      }),
      loadGrammar: async (scopeName: string) =>
        scopeName === 'source.masklab' ? textmate.parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH) : null,
    });
    const grammar = await registry.loadGrammar('source.masklab');
    if (!grammar) throw new Error(`could not load ${GRAMMAR_PATH}`);
    return grammar;
  })();
  return grammarPromise;
}

export async function tokenize(text: string): Promise<Token[]> {
  const grammar = await loadGrammar();
  const tokens: Token[] = [];
  let state = textmate.INITIAL;
  text.split('\n').forEach((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, state);
    for (const token of result.tokens) {
      tokens.push({ line, text: lineText.slice(token.startIndex, token.endIndex), scopes: token.scopes });
    }
    state = result.ruleStack;
  });
  return tokens;
}

/** The innermost scope of the `occurrence`-th token whose text is exactly `text` (trimmed). */
export function scopeOf(tokens: readonly Token[], text: string, occurrence = 0): string {
  const matching = tokens.filter((t) => t.text.trim() === text.trim());
  const token = matching[occurrence];
  if (!token) {
    throw new Error(`no token ${JSON.stringify(text)} #${occurrence}; tokens: ${tokens.map((t) => JSON.stringify(t.text)).join(' ')}`);
  }
  return token.scopes[token.scopes.length - 1];
}
