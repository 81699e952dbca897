// Public face of the tokenizer module: the engine loads a checkpoint's tokenizer and encodes.
export type { Encoding, Tokenizer, TokenizerKind, DecodeOptions } from './tokenizer';
export { TokenizerError } from './tokenizer';
export { loadTokenizer } from './loadTokenizer';
export { WordPieceTokenizer, type WordPieceOptions } from './wordPieceTokenizer';
export { BpeTokenizer, type BpeOptions } from './bpeTokenizer';
export { bertNormalization, type BertNormalization } from './bertBasicTokenizer';
export { truncateLongestFirst } from './truncation';
