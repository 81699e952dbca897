// "Did you mean …?" for misspelled keywords and keys. Shared by the parser (keywords) and the
// analyser (keys, method names, metric names).

/**
 * Edit distance with adjacent transpositions counting as one edit (the "optimal string
 * alignment" form of Damerau-Levenshtein), which catches the commonest typo, swapped letters.
 * Returns `limit + 1` as soon as the distance is known to exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length];
}

/** How many edits a word of this length may be away from a suggestion: 1 up to 5 letters, then a third. */
export function suggestionThreshold(length: number): number {
  return Math.max(1, Math.floor(length / 3));
}

/**
 * The candidate closest to `word`, or undefined when none is close enough. Case is ignored when
 * measuring; on a tie the earlier candidate wins, so callers list the likelier names first.
 * A candidate is never suggested when reaching it would rewrite the whole word (`ab` → `of`).
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const limit = suggestionThreshold(word.length);
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase(), Math.min(limit, bestDistance - 1));
    if (d < bestDistance && d < word.length && d < candidate.length) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
