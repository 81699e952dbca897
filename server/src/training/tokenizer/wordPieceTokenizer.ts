// BERT's WordPiece tokenizer: basic tokenisation (bertBasicTokenizer.ts), then each word is cut
// greedily into the longest vocabulary entries from the left, continuation pieces carrying "##".
// A word with a part no entry covers, or longer than 100 characters, becomes a single [UNK].
// Template: [CLS] text [SEP] (pair [SEP]), segment ids 0 then 1.

import { AddedTokenSplitter, type AddedToken } from './addedTokens';
import { bertBasicTokenize, type BertNormalization } from './bertBasicTokenizer';
import { joinEncodingParts, TokenizerError, type DecodeOptions, type Encoding, type Tokenizer } from './tokenizer';
import { truncateLongestFirst, truncationBudget } from './truncation';

export interface WordPieceSpecialTokens {
  cls: string;
  sep: string;
  pad: string;
  unk: string;
  mask?: string;
}

export interface WordPieceOptions {
  /** Vocabulary entries; the index of an entry is its id. */
  vocab: readonly string[];
  normalization: BertNormalization;
  specialTokens?: Partial<WordPieceSpecialTokens>;
  continuingSubwordPrefix?: string;
  maxInputCharsPerWord?: number;
  modelMaxLength?: number;
  /** The file the vocabulary came from, named in errors. */
  source: string;
}

const DEFAULT_SPECIAL_TOKENS: WordPieceSpecialTokens = {
  cls: '[CLS]',
  sep: '[SEP]',
  pad: '[PAD]',
  unk: '[UNK]',
  mask: '[MASK]',
};

interface Pieces {
  tokens: string[];
  ids: number[];
}

export class WordPieceTokenizer implements Tokenizer {
  readonly kind = 'wordpiece' as const;
  readonly vocabSize: number;
  readonly clsId: number;
  readonly sepId: number;
  readonly padId: number;
  readonly unkId: number;
  readonly maskId?: number;
  readonly modelMaxLength?: number;

  private readonly vocab: readonly string[];
  private readonly ids = new Map<string, number>();
  private readonly normalization: BertNormalization;
  private readonly prefix: string;
  private readonly maxInputCharsPerWord: number;
  private readonly unkToken: string;
  private readonly specialIds: ReadonlySet<number>;
  private readonly addedTokens: AddedTokenSplitter;

  constructor(options: WordPieceOptions) {
    this.vocab = options.vocab;
    // Later duplicates win, as in Hugging Face's load_vocab.
    options.vocab.forEach((token, id) => this.ids.set(token, id));
    this.vocabSize = options.vocab.length;
    this.normalization = options.normalization;
    this.prefix = options.continuingSubwordPrefix ?? '##';
    this.maxInputCharsPerWord = options.maxInputCharsPerWord ?? 100;
    this.modelMaxLength = options.modelMaxLength;

    const special = { ...DEFAULT_SPECIAL_TOKENS, ...definedOnly(options.specialTokens ?? {}) };
    const required = (role: string, token: string): number => {
      const id = this.ids.get(token);
      if (id === undefined) {
        throw new TokenizerError(
          options.source,
          `${options.source} has no ${role} token "${token}"; a BERT vocabulary needs one (or name the right token as ${role}_token in tokenizer_config.json).`,
        );
      }
      return id;
    };
    this.clsId = required('cls', special.cls);
    this.sepId = required('sep', special.sep);
    this.padId = required('pad', special.pad);
    this.unkId = required('unk', special.unk);
    this.unkToken = special.unk;
    this.maskId = special.mask === undefined ? undefined : this.ids.get(special.mask);

    const added: AddedToken[] = [];
    for (const content of [special.cls, special.sep, special.pad, special.unk, special.mask]) {
      const id = content === undefined ? undefined : this.ids.get(content);
      if (content !== undefined && id !== undefined) added.push({ content, id, lstrip: false, rstrip: false });
    }
    this.addedTokens = new AddedTokenSplitter(added);
    this.specialIds = new Set(added.map((token) => token.id));
  }

  tokenize(text: string): string[] {
    return this.pieces(text).tokens;
  }

  encode(text: string, pair?: string, maxLength?: number): Encoding {
    const first = this.pieces(text);
    const second = pair === undefined ? undefined : this.pieces(pair);
    const budget = truncationBudget(maxLength, second === undefined ? 2 : 3);
    const ids = truncateLongestFirst(first.ids, second?.ids, budget);
    const cls = { tokens: [this.vocab[this.clsId]], ids: [this.clsId] };
    const sep = { tokens: [this.vocab[this.sepId]], ids: [this.sepId] };
    const parts = [
      { ...cls, typeId: 0 },
      { tokens: first.tokens.slice(0, ids.first.length), ids: ids.first, typeId: 0 },
      { ...sep, typeId: 0 },
    ];
    if (second !== undefined && ids.second !== undefined) {
      parts.push({ tokens: second.tokens.slice(0, ids.second.length), ids: ids.second, typeId: 1 }, { ...sep, typeId: 1 });
    }
    return joinEncodingParts(parts);
  }

  idToToken(id: number): string {
    const token = this.vocab[id];
    if (token === undefined) throw new RangeError(`Token id ${id} is outside the vocabulary (0…${this.vocabSize - 1}).`);
    return token;
  }

  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const skip = options.skipSpecialTokens ?? true;
    const words: string[] = [];
    for (const id of ids) {
      if (skip && this.specialIds.has(id)) continue;
      const token = this.idToToken(id);
      if (token.startsWith(this.prefix) && words.length > 0) words[words.length - 1] += token.slice(this.prefix.length);
      else words.push(token);
    }
    return words.join(' ');
  }

  private pieces(text: string): Pieces {
    const result: Pieces = { tokens: [], ids: [] };
    for (const segment of this.addedTokens.split(text)) {
      if ('added' in segment) {
        result.tokens.push(segment.added.content);
        result.ids.push(segment.added.id);
        continue;
      }
      for (const word of bertBasicTokenize(segment.text, this.normalization)) this.wordPieces(word, result);
    }
    return result;
  }

  /** Greedy longest-match-first over code points (not UTF-16 units), as Hugging Face does. */
  private wordPieces(word: string, into: Pieces): void {
    const whole = this.ids.get(word);
    if (whole !== undefined) {
      into.tokens.push(word);
      into.ids.push(whole);
      return;
    }
    // Offsets of code-point boundaries, so slices never split a surrogate pair.
    const bounds: number[] = [0];
    for (const char of word) bounds.push(bounds[bounds.length - 1] + char.length);
    const chars = bounds.length - 1;
    if (chars > this.maxInputCharsPerWord) {
      into.tokens.push(this.unkToken);
      into.ids.push(this.unkId);
      return;
    }
    const tokens: string[] = [];
    const ids: number[] = [];
    let start = 0;
    while (start < chars) {
      let end = chars;
      let found: number | undefined;
      let piece = '';
      while (start < end) {
        piece = word.slice(bounds[start], bounds[end]);
        if (start > 0) piece = this.prefix + piece;
        found = this.ids.get(piece);
        if (found !== undefined) break;
        end--;
      }
      if (found === undefined) {
        into.tokens.push(this.unkToken);
        into.ids.push(this.unkId);
        return;
      }
      tokens.push(piece);
      ids.push(found);
      start = end;
    }
    into.tokens.push(...tokens);
    into.ids.push(...ids);
  }
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
