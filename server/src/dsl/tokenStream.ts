// The parser's view of the lexer: a few tokens of look-ahead (the duration rule needs three)
// over a lexer that produces tokens on demand, plus how to name a token in a message.

import { Lexer, type Token } from './lexer';
import { quote } from './syntaxErrors';

export class TokenStream {
  private readonly ahead: Token[] = [];
  /** End offset of the last consumed token. */
  lastEnd = 0;

  constructor(
    private readonly text: string,
    private readonly lexer: Lexer,
  ) {}

  peek(k = 0): Token {
    while (this.ahead.length <= k) this.ahead.push(this.lexer.next());
    return this.ahead[k];
  }

  /** Consumes the next token; at the end it keeps returning the end-of-file token. */
  take(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') {
      this.ahead.shift();
      this.lastEnd = token.end;
    }
    return token;
  }

  /** The token as a message shows it: `'{'`, `'lr'`, `the end of the file`. */
  describe(token: Token): string {
    switch (token.kind) {
      case 'eof':
        return 'the end of the file';
      case 'lbrace':
        return "'{'";
      case 'rbrace':
        return "'}'";
      case 'comma':
        return "','";
      case 'dot':
        return "'.'";
      default:
        return quote(this.text.slice(token.start, token.end));
    }
  }
}
