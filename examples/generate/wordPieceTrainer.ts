// Learns a WordPiece vocabulary from a corpus the way Hugging Face's WordPieceTrainer does:
// byte-pair merges over the corpus's words (a piece inside a word carries the "##" prefix),
// most frequent pair first, until the vocabulary has the requested size. Encoding then uses
// BERT's greedy longest-match-first WordPiece (vocabulary.ts, and the engine's tokenizer).
// Every letter, digit and punctuation mark is in the vocabulary both as a word start and as a
// "##" continuation, so any lower-case ASCII text encodes without [UNK].

import { SPECIAL_TOKENS, basicTokens } from './vocabulary';

const LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];
const DIGITS = [...'0123456789'];
const PUNCTUATION = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];

export interface WordPieceTrainingOptions {
  /** Entries of the finished vocabulary (specials and characters included). */
  vocabularySize: number;
  /** A pair must occur at least this often (weighted by word frequency) to be merged. */
  minFrequency: number;
}

/** Word frequencies after BERT's basic tokenization (lower-case, punctuation split off). */
export function wordFrequencies(texts: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) for (const word of basicTokens(text)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

function joinPieces(left: string, right: string): string {
  return left + (right.startsWith('##') ? right.slice(2) : right);
}

/**
 * The vocabulary in id order: [PAD] [UNK] [CLS] [SEP] [MASK], single characters (word-initial,
 * then "##" continuations), then merged pieces in the order they were learned. Deterministic:
 * ties between equally frequent pairs go to the alphabetically first.
 */
export function trainWordPiece(frequencies: ReadonlyMap<string, number>, options: WordPieceTrainingOptions): string[] {
  const characters = [...PUNCTUATION, ...DIGITS, ...LETTERS];
  const vocabulary: string[] = [...SPECIAL_TOKENS, ...characters, ...[...DIGITS, ...LETTERS].map((c) => `##${c}`)];
  const known = new Set(vocabulary);
  const words = [...frequencies.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const splits: string[][] = words.map(([word]) => [...word].map((c, i) => (i === 0 ? c : `##${c}`)));
  for (const split of splits) {
    for (const piece of split) {
      if (!known.has(piece)) {
        throw new Error(`the corpus has the character '${piece.replace(/^##/, '')}', outside lower-case ASCII; the example tokenizer only covers a–z, 0–9 and punctuation`);
      }
    }
  }
  while (vocabulary.length < options.vocabularySize) {
    const pairs = new Map<string, number>();
    splits.forEach((split, w) => {
      const count = words[w][1];
      for (let i = 0; i + 1 < split.length; i++) {
        const key = `${split[i]} ${split[i + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + count);
      }
    });
    let best: string | null = null;
    let bestCount = 0;
    for (const [key, count] of pairs) {
      if (count > bestCount || (count === bestCount && best !== null && key < best)) {
        best = key;
        bestCount = count;
      }
    }
    if (best === null || bestCount < options.minFrequency) break;
    const [left, right] = best.split(' ');
    const merged = joinPieces(left, right);
    if (!known.has(merged)) {
      known.add(merged);
      vocabulary.push(merged);
    }
    for (const split of splits) {
      for (let i = 0; i + 1 < split.length; i++) {
        if (split[i] === left && split[i + 1] === right) split.splice(i, 2, merged);
      }
    }
  }
  return vocabulary;
}
