// The WordPiece vocabulary of the example model, built from the example data. Some words are
// deliberately left out and present only as pieces ("unwatchable" = un ##watch ##able, "moments"
// = moment ##s) so the data exercises real WordPiece splitting; single characters and ##
// characters are always present, so any lower-case ASCII word tokenizes without [UNK].

/** [PAD] = 0 … [MASK] = 4, the ids the trainer and the config rely on. */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

/** Words stored only as pieces, and the pieces greedy longest-match WordPiece must produce. */
export const SPLIT_WORDS: Readonly<Record<string, readonly string[]>> = {
  unwatchable: ['un', '##watch', '##able'],
  forgettable: ['forget', '##table'],
  lifeless: ['life', '##less'],
  pointless: ['point', '##less'],
  heartfelt: ['heart', '##felt'],
  thoughtful: ['thought', '##ful'],
  predictable: ['predict', '##able'],
  enjoyable: ['enjoy', '##able'],
  tiresome: ['tire', '##some'],
  remarkably: ['remark', '##ably'],
  genuinely: ['genuine', '##ly'],
  utterly: ['utter', '##ly'],
  deeply: ['deep', '##ly'],
  extremely: ['extreme', '##ly'],
  really: ['real', '##ly'],
  moments: ['moment', '##s'],
  brothers: ['brother', '##s'],
  friends: ['friend', '##s'],
  costs: ['cost', '##s'],
  years: ['year', '##s'],
  hours: ['hour', '##s'],
  appreciated: ['appreciate', '##d'],
  loathed: ['loathe', '##d'],
  disliked: ['dislike', '##d'],
  resented: ['resent', '##ed'],
  documentary: ['document', '##ary'],
  stunning: ['stun', '##ning'],
};

/** Common English suffixes, so later text (e.g. for pretraining) splits into meaningful pieces. */
const COMMON_SUFFIXES = ['##s', '##es', '##ed', '##d', '##ing', '##ly', '##er', '##est', '##ness', '##ful', '##less', '##able', '##ment', '##y', '##ion'];

const PUNCTUATION = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];
const DIGITS = [...'0123456789'];
const LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];

function isPunctuation(char: string): boolean {
  return PUNCTUATION.includes(char) || /\p{P}/u.test(char);
}

/** BERT's basic tokenization for lower-cased ASCII text: split on spaces, punctuation on its own. */
export function basicTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const word of text.toLowerCase().split(/\s+/)) {
    let current = '';
    for (const char of word) {
      if (isPunctuation(char)) {
        if (current) tokens.push(current);
        tokens.push(char);
        current = '';
      } else {
        current += char;
      }
    }
    if (current) tokens.push(current);
  }
  return tokens;
}

/** Greedy longest-match-first WordPiece, as BERT's tokenizer does it; [UNK] when a word cannot be covered. */
export function wordPieces(word: string, vocabulary: ReadonlySet<string>): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < word.length) {
    let end = word.length;
    let piece: string | undefined;
    while (end > start) {
      const candidate = (start > 0 ? '##' : '') + word.slice(start, end);
      if (vocabulary.has(candidate)) {
        piece = candidate;
        break;
      }
      end--;
    }
    if (piece === undefined) return ['[UNK]'];
    pieces.push(piece);
    start = end;
  }
  return pieces;
}

/**
 * The vocabulary, in id order: specials, punctuation, digits, letters, whole words by falling
 * frequency in `sentences` (ties alphabetical), then ## pieces. Throws if a word of the data would
 * tokenize to [UNK] or a split word would not split as SPLIT_WORDS says.
 */
export function buildVocabulary(sentences: readonly string[]): string[] {
  const frequency = new Map<string, number>();
  const pieces = new Set<string>(COMMON_SUFFIXES);
  const count = (word: string): void => {
    frequency.set(word, (frequency.get(word) ?? 0) + 1);
  };
  const dataWords = new Set<string>();
  for (const sentence of sentences) {
    for (const token of basicTokens(sentence)) {
      dataWords.add(token);
      const split = SPLIT_WORDS[token];
      if (!split) {
        count(token);
        continue;
      }
      for (const piece of split) {
        if (piece.startsWith('##')) pieces.add(piece);
        else count(piece);
      }
    }
  }
  const fixed = new Set([...SPECIAL_TOKENS, ...PUNCTUATION, ...DIGITS, ...LETTERS]);
  const words = [...frequency.entries()]
    .filter(([word]) => !fixed.has(word))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([word]) => word);
  const suffixes = [...pieces].sort();
  const characterPieces = [...LETTERS, ...DIGITS].map((c) => `##${c}`).filter((p) => !pieces.has(p));
  const vocabulary = [...SPECIAL_TOKENS, ...PUNCTUATION, ...DIGITS, ...LETTERS, ...words, ...suffixes, ...characterPieces];

  const lookup = new Set(vocabulary);
  if (lookup.size !== vocabulary.length) throw new Error('the example vocabulary has a duplicate entry');
  for (const word of dataWords) {
    const got = wordPieces(word, lookup);
    const expected = SPLIT_WORDS[word] ?? [word];
    if (got.join(' ') !== expected.join(' ')) {
      throw new Error(`"${word}" tokenizes as ${got.join(' ')} but should be ${expected.join(' ')}; adjust SPLIT_WORDS in vocabulary.ts`);
    }
  }
  return vocabulary;
}
