// BERT's "basic" tokenisation, the step before WordPiece: clean the text, space out CJK
// ideographs, strip accents and lowercase (uncased models), then split on whitespace and around
// every punctuation character. It follows Hugging Face's fast (Rust) BertNormalizer +
// BertPreTokenizer, which agree with the Python BasicTokenizer on everything but exotic
// corner cases; where they differ (the Python one applies NFC first) we follow the Rust one,
// since that is what `AutoTokenizer` loads by default.

export interface BertNormalization {
  /** Drop NUL, U+FFFD and control characters; turn every whitespace character into a space. */
  cleanText: boolean;
  /** Put spaces around CJK ideographs so each becomes its own word. */
  handleChineseChars: boolean;
  /** NFD, then drop non-spacing marks (Mn): "café" → "cafe". */
  stripAccents: boolean;
  lowercase: boolean;
}

/**
 * Hugging Face's rule for `strip_accents`: when it is unset (null/undefined), accents are stripped
 * exactly when the text is lowercased; an explicit true/false wins.
 */
export function bertNormalization(options: {
  doLowerCase?: boolean;
  stripAccents?: boolean | null;
  tokenizeChineseChars?: boolean;
  cleanText?: boolean;
}): BertNormalization {
  const lowercase = options.doLowerCase ?? true;
  return {
    cleanText: options.cleanText ?? true,
    handleChineseChars: options.tokenizeChineseChars ?? true,
    stripAccents: options.stripAccents ?? lowercase,
    lowercase,
  };
}

// Control = Unicode category C* except tab, newline and carriage return (those count as whitespace).
const DROPPED_BY_CLEANING = /[\0\uFFFD]|(?![\t\n\r])\p{C}/gu;
const WHITESPACE = /\p{White_Space}/gu;
// The CJK Unified Ideograph blocks BERT treats as words of their own (not Hangul or kana, which
// are written with spaces).
const CJK_IDEOGRAPH =
  /[\u{4E00}-\u{9FFF}\u{3400}-\u{4DBF}\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B820}-\u{2CEAF}\u{F900}-\u{FAFF}\u{2F800}-\u{2FA1F}]/gu;
const NON_SPACING_MARK = /\p{Mn}/gu;
// Punctuation = Unicode P* plus the ASCII symbols BERT also splits on ($, +, <, =, >, ^, `, |, ~),
// i.e. every non-alphanumeric printable ASCII character.
const PUNCTUATION = String.raw`\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E\p{P}`;
// A word is a run of non-space, non-punctuation characters; each punctuation character stands alone.
const BASIC_TOKEN = new RegExp(String.raw`[${PUNCTUATION}]|[^${PUNCTUATION}\p{White_Space}]+`, 'gu');

export function normalizeBertText(text: string, normalization: BertNormalization): string {
  let normalized = text;
  if (normalization.cleanText) normalized = normalized.replace(DROPPED_BY_CLEANING, '').replace(WHITESPACE, ' ');
  if (normalization.handleChineseChars) normalized = normalized.replace(CJK_IDEOGRAPH, ' $& ');
  if (normalization.stripAccents) normalized = normalized.normalize('NFD').replace(NON_SPACING_MARK, '');
  // Capital sigma is lowered to σ explicitly: toLowerCase alone would apply the final-sigma rule
  // (ς at a word end), which Hugging Face's fast tokenizers, lowering char by char, do not.
  if (normalization.lowercase) normalized = normalized.replace(/\u03A3/g, '\u03C3').toLowerCase();
  return normalized;
}

/** Normalises `text` and splits it into the words WordPiece then cuts into pieces. */
export function bertBasicTokenize(text: string, normalization: BertNormalization): string[] {
  return normalizeBertText(text, normalization).match(BASIC_TOKEN) ?? [];
}
