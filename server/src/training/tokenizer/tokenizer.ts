// The contract between a checkpoint's tokenizer and the trainer. Both tokenizers (BERT WordPiece,
// RoBERTa byte-level BPE) implement it, so the engine never asks which one it holds. Encodings are
// unpadded on purpose: the engine pads each batch only to that batch's longest row.

/** One encoded input, special tokens included; all four arrays have the same length. */
export interface Encoding {
  ids: number[];
  /** Segment of each token: 0 for the first text, 1 for the pair (always 0 for RoBERTa). */
  tokenTypeIds: number[];
  /** 1 for every token (no padding here); the engine appends 0s when it pads. */
  attentionMask: number[];
  /** The vocabulary entries behind `ids`, for display and debugging. */
  tokens: string[];
}

export type TokenizerKind = 'wordpiece' | 'bpe';

export interface DecodeOptions {
  /** Leave out [CLS], [SEP], [PAD], <s>, … (default true). */
  skipSpecialTokens?: boolean;
}

export interface Tokenizer {
  readonly kind: TokenizerKind;
  /** Number of ids the vocabulary defines (the embedding matrix needs at least this many rows). */
  readonly vocabSize: number;
  readonly clsId: number;
  readonly sepId: number;
  readonly padId: number;
  readonly unkId: number;
  readonly maskId?: number;
  /** `model_max_length` from tokenizer_config.json, when it gives a sensible one. */
  readonly modelMaxLength?: number;
  /**
   * Tokenises `text` (and `pair`), adds the model's special tokens and, when `maxLength` is
   * given, truncates longest-first so the whole encoding fits in `maxLength` tokens.
   */
  encode(text: string, pair?: string, maxLength?: number): Encoding;
  /** The sub-word pieces of `text`, without special tokens. */
  tokenize(text: string): string[];
  idToToken(id: number): string;
  tokenToId(token: string): number | undefined;
  /** Text back from ids (WordPiece `##` joins undone, byte-level bytes decoded). */
  decode(ids: readonly number[], options?: DecodeOptions): string;
}

/** A tokenizer file that is missing, unreadable or not in a format we understand. */
export class TokenizerError extends Error {
  override readonly name = 'TokenizerError';
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One run of tokens that ends up in an encoding with the same segment id. */
export interface EncodingPart {
  tokens: readonly string[];
  ids: readonly number[];
  typeId: number;
}

/** Concatenates template parts ([CLS], text, [SEP], …) into an unpadded encoding. */
export function joinEncodingParts(parts: readonly EncodingPart[]): Encoding {
  const encoding: Encoding = { ids: [], tokenTypeIds: [], attentionMask: [], tokens: [] };
  for (const part of parts) {
    for (let i = 0; i < part.ids.length; i++) {
      encoding.ids.push(part.ids[i]);
      encoding.tokens.push(part.tokens[i]);
      encoding.tokenTypeIds.push(part.typeId);
      encoding.attentionMask.push(1);
    }
  }
  return encoding;
}
