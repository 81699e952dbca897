// RoBERTa's byte-level BPE: GPT-2 pre-tokenisation, each pre-token's UTF-8 bytes written in the
// byte alphabet (byteLevel.ts), then the merge with the best (lowest) rank is applied to every
// occurrence, repeatedly, until no adjacent pair has a merge. Template: <s> A </s> and
// <s> A </s></s> B </s>; RoBERTa has no segment embeddings that matter, so every type id is 0.

import { AddedTokenSplitter, type AddedToken } from './addedTokens';
import { byteLevelPreTokenize, fromByteLevel, toByteLevel } from './byteLevel';
import { joinEncodingParts, TokenizerError, type DecodeOptions, type Encoding, type Tokenizer } from './tokenizer';
import { truncateLongestFirst, truncationBudget } from './truncation';

export interface BpeSpecialTokens {
  cls: string;
  sep: string;
  pad: string;
  unk: string;
  mask?: string;
}

export interface BpeOptions {
  /** Entry → id (vocab.json, or tokenizer.json's model.vocab). */
  vocab: Readonly<Record<string, number>>;
  /** Merges in rank order (earlier merges win). */
  merges: ReadonlyArray<readonly [string, string]>;
  /** Prepend a space to text that does not start with one (RoBERTa's default is false). */
  addPrefixSpace?: boolean;
  specialTokens?: Partial<BpeSpecialTokens>;
  /**
   * Tokens matched literally in raw text (tokenizer.json's added_tokens). The special tokens are
   * always added; this list can add more and set lstrip/rstrip.
   */
  addedTokens?: readonly AddedToken[];
  modelMaxLength?: number;
  /** The file the vocabulary came from, named in errors. */
  source: string;
}

const DEFAULT_SPECIAL_TOKENS: BpeSpecialTokens = { cls: '<s>', sep: '</s>', pad: '<pad>', unk: '<unk>', mask: '<mask>' };

// Words repeat a lot in task data; caching their merges keeps tokenising a 67k-row split cheap.
const CACHE_LIMIT = 50_000;

interface Pieces {
  tokens: string[];
  ids: number[];
}

export class BpeTokenizer implements Tokenizer {
  readonly kind = 'bpe' as const;
  readonly vocabSize: number;
  readonly clsId: number;
  readonly sepId: number;
  readonly padId: number;
  readonly unkId: number;
  readonly maskId?: number;
  readonly modelMaxLength?: number;

  private readonly ids = new Map<string, number>();
  private readonly tokensById: string[] = [];
  private readonly ranks = new Map<string, number>();
  private readonly addPrefixSpace: boolean;
  private readonly addedTokens: AddedTokenSplitter;
  private readonly specialIds: ReadonlySet<number>;
  private readonly cache = new Map<string, string[]>();

  constructor(options: BpeOptions) {
    for (const [token, id] of Object.entries(options.vocab)) this.register(token, id);
    options.merges.forEach(([left, right], rank) => {
      const key = `${left} ${right}`;
      // The first occurrence of a duplicated merge keeps its (better) rank.
      if (!this.ranks.has(key)) this.ranks.set(key, rank);
    });
    for (const token of options.addedTokens ?? []) this.register(token.content, token.id);
    this.addPrefixSpace = options.addPrefixSpace ?? false;
    this.modelMaxLength = options.modelMaxLength;

    const special = { ...DEFAULT_SPECIAL_TOKENS };
    for (const [role, token] of Object.entries(options.specialTokens ?? {})) {
      if (token !== undefined) special[role as keyof BpeSpecialTokens] = token;
    }
    const required = (role: string, token: string): number => {
      const id = this.ids.get(token);
      if (id === undefined) {
        throw new TokenizerError(
          options.source,
          `${options.source} has no ${role} token "${token}"; a RoBERTa vocabulary needs one (or name the right token as ${role === 'cls' ? 'bos' : role === 'sep' ? 'eos' : role}_token in tokenizer_config.json).`,
        );
      }
      return id;
    };
    this.clsId = required('cls', special.cls);
    this.sepId = required('sep', special.sep);
    this.padId = required('pad', special.pad);
    this.unkId = required('unk', special.unk);
    this.maskId = special.mask === undefined ? undefined : this.ids.get(special.mask);

    const added = new Map<string, AddedToken>();
    for (const content of [special.cls, special.sep, special.pad, special.unk, special.mask]) {
      const id = content === undefined ? undefined : this.ids.get(content);
      // RoBERTa's <mask> absorbs the space before it, so "a <mask>." predicts " word" pieces.
      if (content !== undefined && id !== undefined) added.set(content, { content, id, lstrip: content === special.mask, rstrip: false });
    }
    for (const token of options.addedTokens ?? []) added.set(token.content, token);
    this.addedTokens = new AddedTokenSplitter([...added.values()]);
    this.specialIds = new Set([this.clsId, this.sepId, this.padId, this.unkId, ...(this.maskId === undefined ? [] : [this.maskId])]);
    this.vocabSize = this.tokensById.length;
  }

  tokenize(text: string): string[] {
    return this.pieces(text).tokens;
  }

  encode(text: string, pair?: string, maxLength?: number): Encoding {
    const first = this.pieces(text);
    const second = pair === undefined ? undefined : this.pieces(pair);
    const budget = truncationBudget(maxLength, second === undefined ? 2 : 4);
    const ids = truncateLongestFirst(first.ids, second?.ids, budget);
    const cls = { tokens: [this.tokensById[this.clsId]], ids: [this.clsId], typeId: 0 };
    const sep = { tokens: [this.tokensById[this.sepId]], ids: [this.sepId], typeId: 0 };
    const parts = [cls, { tokens: first.tokens.slice(0, ids.first.length), ids: ids.first, typeId: 0 }, sep];
    if (second !== undefined && ids.second !== undefined) {
      parts.push(sep, { tokens: second.tokens.slice(0, ids.second.length), ids: ids.second, typeId: 0 }, sep);
    }
    return joinEncodingParts(parts);
  }

  idToToken(id: number): string {
    const token = this.tokensById[id];
    if (token === undefined) throw new RangeError(`Token id ${id} is not in the vocabulary (ids 0…${this.vocabSize - 1}).`);
    return token;
  }

  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const skip = options.skipSpecialTokens ?? true;
    let symbols = '';
    for (const id of ids) {
      if (skip && this.specialIds.has(id)) continue;
      symbols += this.idToToken(id);
    }
    return fromByteLevel(symbols);
  }

  private register(token: string, id: number): void {
    this.ids.set(token, id);
    this.tokensById[id] = token;
  }

  private pieces(text: string): Pieces {
    const result: Pieces = { tokens: [], ids: [] };
    for (const segment of this.addedTokens.split(text)) {
      if ('added' in segment) {
        result.tokens.push(segment.added.content);
        result.ids.push(segment.added.id);
        continue;
      }
      for (const word of byteLevelPreTokenize(segment.text, this.addPrefixSpace)) {
        for (const piece of this.merge(toByteLevel(word))) {
          result.tokens.push(piece);
          // Every single byte symbol is in a byte-level vocabulary; [unk] only guards against a
          // merges file that produces a symbol its vocabulary lacks.
          result.ids.push(this.ids.get(piece) ?? this.unkId);
        }
      }
    }
    return result;
  }

  /** GPT-2's merge loop: apply the lowest-ranked adjacent pair everywhere, until none is left. */
  private merge(word: string): string[] {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    let symbols = Array.from(word);
    while (symbols.length > 1) {
      let bestRank = Number.POSITIVE_INFINITY;
      let best = -1;
      for (let i = 0; i < symbols.length - 1; i++) {
        const rank = this.ranks.get(`${symbols[i]} ${symbols[i + 1]}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) break;
      const left = symbols[best];
      const right = symbols[best + 1];
      const merged: string[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i < symbols.length - 1 && symbols[i] === left && symbols[i + 1] === right) {
          merged.push(left + right);
          i++;
        } else {
          merged.push(symbols[i]);
        }
      }
      symbols = merged;
    }
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(word, symbols);
    return symbols;
  }
}
