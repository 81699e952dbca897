// Longest-first truncation with Hugging Face's (Python `truncate_sequences`) semantics: remove one
// token at a time from the end of whichever text is currently longer; on a tie the pair loses the
// token. Written as a closed form because a 100k-token input must not loop 100k times.

export interface Truncated<T> {
  first: T[];
  second?: T[];
}

/**
 * Cuts `first` (and `second`) so that together they hold at most `budget` items.
 * `budget` is what remains of max_length after the special tokens.
 */
export function truncateLongestFirst<T>(first: readonly T[], second: readonly T[] | undefined, budget: number): Truncated<T> {
  if (budget < 0) throw new RangeError(`Truncation budget must not be negative, got ${budget}.`);
  if (second === undefined) return { first: first.slice(0, budget) };
  const excess = first.length + second.length - budget;
  if (excess <= 0) return { first: first.slice(), second: second.slice() };
  // The longer side first loses its lead over the shorter one; what is still to remove then
  // alternates, starting with the pair (the tie rule), so the pair takes the odd one.
  const lead = Math.min(Math.abs(first.length - second.length), excess);
  const shared = excess - lead;
  let fromFirst: number;
  let fromSecond: number;
  if (first.length > second.length) {
    fromFirst = lead + Math.floor(shared / 2);
    fromSecond = shared - Math.floor(shared / 2);
  } else {
    fromFirst = Math.floor(shared / 2);
    fromSecond = lead + shared - Math.floor(shared / 2);
  }
  return { first: first.slice(0, first.length - fromFirst), second: second.slice(0, second.length - fromSecond) };
}

/** Checks a caller's max_length against the special tokens a template adds. */
export function truncationBudget(maxLength: number | undefined, specialTokens: number): number {
  if (maxLength === undefined) return Number.POSITIVE_INFINITY;
  if (!Number.isInteger(maxLength) || maxLength < specialTokens + 1) {
    throw new RangeError(
      `max_length ${maxLength} leaves no room for text: this input needs ${specialTokens} special tokens, so max_length must be an integer of at least ${specialTokens + 1}.`,
    );
  }
  return maxLength - specialTokens;
}
