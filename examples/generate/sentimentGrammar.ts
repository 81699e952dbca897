// A synthetic sentiment task in the style of GLUE SST-2 (lower-case, punctuation split off by
// spaces, label 1 = positive). Sentences come from a small template grammar in which the label
// is a function of the whole sentence, not of one word: negation flips a clause ("is not dull"),
// "but" / "although" make the main clause decide, "the least …", "neither … nor …" and "not a
// single … moment" invert, and fillers and intensifiers carry no signal. A bag-of-words model
// therefore plateaus well below a model that reads word order, which is what the examples want
// to show; a small BERT can still learn it.

import type { SeededRandom } from './seededRandom';

export interface LabelledSentence {
  sentence: string;
  /** 1 = positive, 0 = negative. */
  label: 0 | 1;
}

export type Polarity = 1 | -1;

export const POSITIVE_ADJECTIVES = [
  'good', 'great', 'wonderful', 'charming', 'moving', 'brilliant', 'funny', 'delightful', 'gripping', 'clever',
  'beautiful', 'fresh', 'memorable', 'touching', 'superb', 'enjoyable', 'thoughtful', 'powerful', 'witty',
  'stunning', 'engaging', 'heartfelt', 'excellent', 'lovely',
];
export const NEGATIVE_ADJECTIVES = [
  'bad', 'boring', 'dull', 'awful', 'tedious', 'clumsy', 'bland', 'predictable', 'forgettable', 'messy',
  'lifeless', 'painful', 'weak', 'silly', 'unwatchable', 'shallow', 'tiresome', 'pointless', 'lazy',
  'confusing', 'flat', 'stale', 'terrible', 'mediocre',
];

export const SUBJECTS = [
  'the movie', 'the film', 'this movie', 'this film', 'the story', 'the plot', 'the script', 'the acting',
  'the cast', 'the soundtrack', 'the ending', 'the dialogue', 'the direction', 'her performance',
  'his performance', 'the premise', 'the sequel', 'the documentary', 'the comedy', 'the thriller',
  'the first hour', 'the final act', 'every scene', "the director 's new film",
];
export const LATER_SUBJECTS = ['it', 'the rest', 'the whole thing', 'the second half', 'the film', 'the story'];
export const NOUNS = ['film', 'movie', 'comedy', 'drama', 'thriller', 'story', 'debut', 'sequel', 'documentary', 'romance'];
export const TOPICS = [
  'two brothers', 'a small town', 'love', 'war', 'growing up', 'a family', 'a lonely robot', 'an old singer',
  'friendship', 'a long summer',
];
export const INTENSIFIERS = ['very', 'really', 'truly', 'extremely', 'remarkably', 'so', 'incredibly', 'quite', 'rather', 'genuinely', 'deeply', 'utterly'];
/** Those that read well between "a" and an adjective ("a truly charming film", not "a so …"). */
const NOUN_PHRASE_INTENSIFIERS = INTENSIFIERS.filter((word) => word !== 'so');
export const OPENERS = ['honestly ,', 'overall ,', 'in the end ,', 'for the most part ,', 'to be fair ,', 'frankly ,', 'i think', 'as expected ,', 'on the whole ,', 'at two hours ,'];
export const CLOSERS = [', at least for me', 'from start to finish', ', if you ask me', 'in places', 'most of the time', 'on a second viewing'];

/** A linking verb in its plain form and the forms that negate it. */
export interface Copula {
  plain: string;
  negated: string[];
}
export const COPULAS: Copula[] = [
  { plain: 'is', negated: ['is not', "is n't", 'is never', 'is hardly', 'is far from', 'is anything but', 'is by no means'] },
  { plain: 'was', negated: ['was not', "was n't", 'was never', 'was hardly', 'was far from'] },
  { plain: 'feels', negated: ['does not feel', "does n't feel", 'never feels', 'hardly feels'] },
  { plain: 'seems', negated: ['does not seem', "does n't seem", 'never seems'] },
  { plain: 'felt', negated: ['did not feel', "did n't feel", 'never felt'] },
  { plain: 'looks', negated: ['does not look', "does n't look"] },
];

/** Verbs of liking: past tense for "i loved it", base form after "did not". */
export const POSITIVE_VERBS: Array<[string, string]> = [['loved', 'love'], ['enjoyed', 'enjoy'], ['liked', 'like'], ['admired', 'admire'], ['adored', 'adore'], ['appreciated', 'appreciate']];
export const NEGATIVE_VERBS: Array<[string, string]> = [['hated', 'hate'], ['disliked', 'dislike'], ['loathed', 'loathe'], ['resented', 'resent']];

function adjective(random: SeededRandom, polarity: Polarity): string {
  return random.pick(polarity === 1 ? POSITIVE_ADJECTIVES : NEGATIVE_ADJECTIVES);
}

function randomPolarity(random: SeededRandom): Polarity {
  return random.chance(0.5) ? 1 : -1;
}

function maybe(random: SeededRandom, p: number, words: readonly string[]): string[] {
  return random.chance(p) ? [random.pick(words)] : [];
}

/** "the plot is not very clever": returns the clause and its polarity. */
function copulaClause(random: SeededRandom, subject: string, wanted?: Polarity): { words: string[]; polarity: Polarity } {
  const copula = random.pick(COPULAS);
  const negated = random.chance(0.25);
  const adjectivePolarity: Polarity = wanted === undefined ? randomPolarity(random) : negated ? (-wanted as Polarity) : wanted;
  const words = [subject, negated ? random.pick(copula.negated) : copula.plain, ...maybe(random, 0.35, INTENSIFIERS), adjective(random, adjectivePolarity)];
  return { words, polarity: (negated ? -adjectivePolarity : adjectivePolarity) as Polarity };
}

type Template = (random: SeededRandom) => { words: string[]; polarity: Polarity };

const TEMPLATES: Array<[number, Template]> = [
  // [opener] subject copula [negation] [intensifier] adjective [closer] .
  [30, (r) => {
    const clause = copulaClause(r, r.pick(SUBJECTS));
    return { words: [...maybe(r, 0.25, OPENERS), ...clause.words, ...maybe(r, 0.2, CLOSERS), '.'], polarity: clause.polarity };
  }],
  // clause , but clause .   — the clause after "but" decides.
  [8, (r) => {
    const polarity = randomPolarity(r);
    const first = copulaClause(r, r.pick(SUBJECTS), -polarity as Polarity);
    const second = copulaClause(r, r.pick(LATER_SUBJECTS), polarity);
    return { words: [...first.words, ',', 'but', ...second.words, '.'], polarity };
  }],
  // although clause , clause .   — the main (second) clause decides.
  [4, (r) => {
    const polarity = randomPolarity(r);
    const first = copulaClause(r, r.pick(SUBJECTS), -polarity as Polarity);
    const second = copulaClause(r, r.pick(LATER_SUBJECTS), polarity);
    return { words: ['although', ...first.words, ',', ...second.words, '.'], polarity };
  }],
  // i [did not | never] loved / hated subject .
  [12, (r) => {
    const verbPolarity = randomPolarity(r);
    const [past, base] = r.pick(verbPolarity === 1 ? POSITIVE_VERBS : NEGATIVE_VERBS);
    const negation = r.chance(0.3) ? r.pick([['did', 'not', base], ['did', "n't", base], ['never', past]]) : [past];
    const polarity = (negation.length > 1 ? -verbPolarity : verbPolarity) as Polarity;
    return { words: ['i', ...negation, r.pick(SUBJECTS), ...maybe(r, 0.2, CLOSERS), '.'], polarity };
  }],
  // a [intensifier] adjective noun [about topic] .
  [10, (r) => {
    const polarity = randomPolarity(r);
    const about = r.chance(0.6) ? ['about', r.pick(TOPICS)] : [];
    const described = [...maybe(r, 0.4, NOUN_PHRASE_INTENSIFIERS), adjective(r, polarity), r.pick(NOUNS)];
    return { words: [/^[aeiou]/.test(described[0]) ? 'an' : 'a', ...described, ...about, '.'], polarity };
  }],
  // the most / least adjective noun of the year .   — "least" inverts.
  [6, (r) => {
    const adjectivePolarity = randomPolarity(r);
    const least = r.chance(0.4);
    const tail = r.pick([['of', 'the', 'year'], ['i', 'have', 'seen'], ['in', 'years']]);
    return {
      words: ['the', least ? 'least' : 'most', adjective(r, adjectivePolarity), r.pick(NOUNS), ...tail, '.'],
      polarity: (least ? -adjectivePolarity : adjectivePolarity) as Polarity,
    };
  }],
  // subject copula neither adjective nor adjective .   — inverts two same-polarity adjectives.
  [5, (r) => {
    const adjectivePolarity = randomPolarity(r);
    const copula = r.pick(COPULAS).plain;
    return {
      words: [r.pick(SUBJECTS), copula, 'neither', adjective(r, adjectivePolarity), 'nor', adjective(r, adjectivePolarity), '.'],
      polarity: -adjectivePolarity as Polarity,
    };
  }],
  // there is not a single adjective moment / there are plenty of adjective moments .
  [6, (r) => {
    const adjectivePolarity = randomPolarity(r);
    const single = r.chance(0.5);
    const words = single
      ? ['there', 'is', 'not', 'a', 'single', adjective(r, adjectivePolarity), 'moment', 'in', r.pick(SUBJECTS), '.']
      : ['there', 'are', 'plenty', 'of', adjective(r, adjectivePolarity), 'moments', 'in', r.pick(SUBJECTS), '.'];
    return { words, polarity: (single ? -adjectivePolarity : adjectivePolarity) as Polarity };
  }],
  // subject copula adjective and adjective .
  [8, (r) => {
    const polarity = randomPolarity(r);
    return {
      words: [r.pick(SUBJECTS), r.pick(COPULAS).plain, ...maybe(r, 0.3, INTENSIFIERS), adjective(r, polarity), 'and', adjective(r, polarity), '.'],
      polarity,
    };
  }],
  // recommendations.
  [8, (r) => {
    const choice = r.int(4);
    if (choice === 0) {
      const not = r.chance(0.5);
      const audience = r.pick([['anyone'], ['my', 'friends'], ['fans', 'of', 'the', 'genre']]);
      return { words: ['i', 'would', ...(not ? ['not'] : []), 'recommend', r.pick(SUBJECTS), 'to', ...audience, '.'], polarity: not ? -1 : 1 };
    }
    if (choice === 1) return { words: ['do', "n't", 'miss', 'it', '.'], polarity: 1 };
    if (choice === 2) return { words: ['avoid', r.pick(SUBJECTS), 'at', 'all', 'costs', '.'], polarity: -1 };
    return { words: ['skip', r.pick(SUBJECTS), 'and', 'read', 'a', 'book', 'instead', '.'], polarity: -1 };
  }],
];

const TOTAL_WEIGHT = TEMPLATES.reduce((sum, [weight]) => sum + weight, 0);

/** One random sentence of the grammar with its label. */
export function sentimentSentence(random: SeededRandom): LabelledSentence {
  let ticket = random.uniform() * TOTAL_WEIGHT;
  let template = TEMPLATES[TEMPLATES.length - 1][1];
  for (const [weight, candidate] of TEMPLATES) {
    if (ticket < weight) {
      template = candidate;
      break;
    }
    ticket -= weight;
  }
  const { words, polarity } = template(random);
  // Closers such as ", at least for me" carry their comma; joining with spaces gives SST-2's spacing.
  const sentence = words.join(' ').replace(/\s+/g, ' ').trim();
  return { sentence, label: polarity === 1 ? 1 : 0 };
}

/**
 * Disjoint, label-balanced train and dev splits of distinct sentences (a sentence never appears
 * in both, so dev accuracy measures generalisation, not memory).
 */
export function sentimentSplits(random: SeededRandom, trainSize: number, devSize: number): { train: LabelledSentence[]; dev: LabelledSentence[] } {
  const seen = new Set<string>();
  const take = (size: number): LabelledSentence[] => {
    const rows: LabelledSentence[] = [];
    const perLabel = [0, 0];
    let attempts = 0;
    while (rows.length < size) {
      if (++attempts > size * 200) throw new Error(`the grammar cannot produce ${size} more distinct sentences; enlarge it or ask for fewer`);
      const row = sentimentSentence(random);
      if (seen.has(row.sentence) || perLabel[row.label] >= Math.ceil(size / 2)) continue;
      seen.add(row.sentence);
      perLabel[row.label]++;
      rows.push(row);
    }
    return rows;
  };
  const dev = take(devSize);
  const train = take(trainSize);
  return { train, dev };
}

/** SST-2's file format: a `sentence<TAB>label` header, one row per line. */
export function toTsv(rows: readonly LabelledSentence[]): string {
  return `sentence\tlabel\n${rows.map((r) => `${r.sentence}\t${r.label}`).join('\n')}\n`;
}
