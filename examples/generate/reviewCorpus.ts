// The unlabelled pretraining corpus: short film reviews (one to three sentences, ≤ 30 word
// pieces) whose sentences agree in sentiment. That agreement is what masked-language modelling
// can learn sentiment from: to fill "the plot is not very [MASK] . i walked out after an hour ."
// the model must read "not" and the second sentence, and its representation of the first
// sentence must carry a polarity. The sentences mix
// - sentences of the classification grammar (sentimentGrammar.ts), so every construction of the
//   task (negation, "but", "although", "the least …", "neither … nor", …) appears in contexts
//   that reveal its polarity;
// - a richer grammar over a larger lexicon (reviewLexicon.ts): more adjectives, aspects, ratings,
//   verdicts, contrasts, performers;
// - neutral sentences (plot, setting, when and with whom it was seen) that carry no polarity.
// No review contains a sentence of the classification data (train or dev), so the task's dev
// set stays unseen.

import {
  CLOSERS,
  COPULAS,
  INTENSIFIERS,
  LATER_SUBJECTS,
  NEGATIVE_ADJECTIVES,
  NEGATIVE_VERBS,
  OPENERS,
  POSITIVE_ADJECTIVES,
  POSITIVE_VERBS,
  SUBJECTS,
  sentimentSentence,
  type Polarity,
} from './sentimentGrammar';
import {
  ACTIONS,
  ASPECTS,
  PLURAL_ASPECTS,
  PLURAL_COPULAS,
  DAYS,
  DECADES,
  GENRES,
  MORE_INTENSIFIERS,
  MORE_NEGATIVE_ADJECTIVES,
  MORE_NEGATIVE_VERBS,
  MORE_POSITIVE_ADJECTIVES,
  MORE_POSITIVE_VERBS,
  NEGATIVE_RATINGS,
  NEGATIVE_VERDICTS,
  NUMBER_WORDS,
  PLACES,
  PLOT_TOPICS,
  POSITIVE_RATINGS,
  POSITIVE_VERDICTS,
  RELATIVES,
  ROLES,
  inventedNames,
} from './reviewLexicon';
import type { SeededRandom } from './seededRandom';

/** Longest review in words (before WordPiece); the pretraining step drops any that exceed 30 pieces. */
export const MAX_REVIEW_WORDS = 28;

const unique = (words: readonly string[]) => [...new Set(words)];
const POSITIVE = unique([...POSITIVE_ADJECTIVES, ...MORE_POSITIVE_ADJECTIVES]);
const NEGATIVE = unique([...NEGATIVE_ADJECTIVES, ...MORE_NEGATIVE_ADJECTIVES]).filter((w) => !POSITIVE.includes(w));
const EXTRA_POSITIVE = POSITIVE.filter((w) => !POSITIVE_ADJECTIVES.includes(w));
const EXTRA_NEGATIVE = NEGATIVE.filter((w) => !NEGATIVE_ADJECTIVES.includes(w));
/**
 * Share of adjectives drawn from the classification grammar's 48: most, so pretraining spends
 * its updates on the words the task uses, while the larger lexicon still appears.
 */
const CORE_ADJECTIVE_SHARE = 0.7;

/**
 * Share of clauses negated ("is not dull"). Kept well below one half: masked-LM learns sentiment
 * from words of one polarity occurring together, and every inversion (negation, contrast, "the
 * least …") blurs that co-occurrence, so the corpus has enough plain agreement for the polarity
 * of words to be learned, and enough inversions for their effect to be learned from it.
 */
const NEGATION_SHARE = 0.15;

type EvaluativeKind = 'task' | 'judgement' | 'found' | 'exclamation' | 'list' | 'pair' | 'rating' | 'verdict' | 'contrast' | 'performer' | 'liking' | 'nothing' | 'notOnly';

/** How often each kind of evaluative sentence is drawn (relative weights). */
const EVALUATIVE_KINDS: ReadonlyArray<[number, EvaluativeKind]> = [
  [18, 'task'],
  [22, 'judgement'],
  [4, 'found'],
  [5, 'exclamation'],
  [9, 'list'],
  [8, 'pair'],
  [6, 'rating'],
  [10, 'verdict'],
  [6, 'contrast'],
  [5, 'performer'],
  [4, 'liking'],
  [2, 'nothing'],
  [1, 'notOnly'],
];
const EVALUATIVE_WEIGHT = EVALUATIVE_KINDS.reduce((sum, [weight]) => sum + weight, 0);
const ALL_INTENSIFIERS = unique([...INTENSIFIERS, ...MORE_INTENSIFIERS]);
const ALL_POSITIVE_VERBS = [...POSITIVE_VERBS, ...MORE_POSITIVE_VERBS];
const ALL_NEGATIVE_VERBS = [...NEGATIVE_VERBS, ...MORE_NEGATIVE_VERBS];
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'];

export interface Review {
  text: string;
  /** The review's sentiment (0 for the few purely descriptive ones); kept for probes, never written. */
  polarity: Polarity | 0;
}

type Words = string[];

interface Subject {
  words: Words;
  plural: boolean;
}

/** Aspects that read well after "its" (not "its film"). */
const OWNED_ASPECTS = ASPECTS.filter((a) => !['movie', 'film', 'sequel', 'remake', 'trailer'].includes(a));

export class ReviewGrammar {
  private readonly names: string[];

  /**
   * @param excluded sentences (as written in the classification data) that no review may contain
   */
  constructor(
    private readonly random: SeededRandom,
    private readonly excluded: ReadonlySet<string>,
  ) {
    const lexicon = new Set([...POSITIVE, ...NEGATIVE, ...ASPECTS, ...PLURAL_ASPECTS, ...GENRES, ...ROLES, ...PLACES, ...PLOT_TOPICS, ...ACTIONS].flatMap((p) => p.split(' ')));
    this.names = inventedNames(1200, (items) => random.pick(items), (p) => random.chance(p)).filter((n) => !lexicon.has(n));
  }

  private pick<T>(items: readonly T[]): T {
    return this.random.pick(items);
  }

  private chance(p: number): boolean {
    return this.random.chance(p);
  }

  private maybe(p: number, items: readonly string[]): Words {
    return this.chance(p) ? this.pick(items).split(' ') : [];
  }

  private adjective(polarity: Polarity): string {
    const core = this.chance(CORE_ADJECTIVE_SHARE);
    if (polarity === 1) return this.pick(core ? POSITIVE_ADJECTIVES : EXTRA_POSITIVE);
    return this.pick(core ? NEGATIVE_ADJECTIVES : EXTRA_NEGATIVE);
  }

  /** A closing verdict or rating of polarity `p`: the words most directly tied to a review's sentiment. */
  private verdict(p: Polarity): Words {
    if (this.chance(0.5)) return [...this.pick(p === 1 ? POSITIVE_VERDICTS : NEGATIVE_VERDICTS).split(' '), '.'];
    const rating = this.pick(p === 1 ? POSITIVE_RATINGS : NEGATIVE_RATINGS);
    return this.chance(0.5) ? ['i', 'give', 'it', ...rating, '.'] : [...rating, '.'];
  }

  private name(): string {
    return this.pick(this.names);
  }

  private article(next: string): string {
    return /^[aeiou]/.test(next) ? 'an' : 'a';
  }

  /** "the pacing", "its score", "the fight scenes", "this thriller", "<name> 's performance". */
  private subject(): Subject {
    const choice = this.random.int(12);
    if (choice < 5) return { words: ['the', ...this.pick(ASPECTS).split(' ')], plural: false };
    if (choice < 7) return { words: ['its', ...this.pick(OWNED_ASPECTS).split(' ')], plural: false };
    if (choice < 9) return { words: [this.pick(['the', 'its']), ...this.pick(PLURAL_ASPECTS).split(' ')], plural: true };
    if (choice < 11) return { words: [this.pick(['this', 'the']), ...this.pick(GENRES).split(' ')], plural: false };
    return { words: [this.name(), "'s", this.pick(['performance', 'direction', 'script', 'score'])], plural: false };
  }

  /** subject + (negated) linking verb + [intensifier] + adjective, with the clause's polarity `wanted`. */
  private judgement(wanted: Polarity, subject: Subject = this.subject()): Words {
    const copula = this.pick(subject.plural ? PLURAL_COPULAS : COPULAS);
    const negated = this.chance(NEGATION_SHARE);
    const adjectivePolarity = (negated ? -wanted : wanted) as Polarity;
    return [...subject.words, ...(negated ? this.pick(copula.negated) : copula.plain).split(' '), ...this.maybe(0.35, ALL_INTENSIFIERS), this.adjective(adjectivePolarity)];
  }

  private laterSubject(): Subject {
    return { words: this.pick(LATER_SUBJECTS).split(' '), plural: false };
  }

  /** One sentence of polarity `p`, words and final punctuation included. */
  private evaluative(p: Polarity): Words {
    let ticket = this.random.uniform() * EVALUATIVE_WEIGHT;
    for (const [weight, kind] of EVALUATIVE_KINDS) {
      if (ticket < weight) return this.sentenceOf(kind, p);
      ticket -= weight;
    }
    return this.sentenceOf('judgement', p);
  }

  private sentenceOf(kind: EvaluativeKind, p: Polarity): Words {
    const other = -p as Polarity;
    switch (kind) {
      case 'task': {
        // The classification grammar itself, with its label as polarity.
        for (;;) {
          const { sentence, label } = sentimentSentence(this.random);
          if ((label === 1 ? 1 : -1) === p) return sentence.split(' ');
        }
      }
      case 'judgement':
        return [...this.maybe(0.2, OPENERS), ...this.judgement(p), ...this.maybe(0.15, CLOSERS), '.'];
      case 'found': {
        const negated = this.chance(NEGATION_SHARE);
        return ['i', ...(negated ? ['did', 'not', 'find'] : ['found']), ...this.subject().words, ...this.maybe(0.3, ALL_INTENSIFIERS), this.adjective(negated ? other : p), '.'];
      }
      case 'exclamation': {
        const adjective = this.adjective(p);
        const intensifier = this.maybe(0.3, ['truly', 'really', 'genuinely', 'remarkably', 'deeply', 'utterly']);
        const second = this.chance(0.4) ? ['and', this.adjective(p)] : [];
        return ['what', this.article(intensifier[0] ?? adjective), ...intensifier, adjective, ...second, ...this.pick(GENRES).split(' '), '!'];
      }
      case 'list': {
        const subject = this.subject();
        const verb = this.pick(subject.plural ? ['are', 'were', 'feel'] : ['is', 'was', 'feels']);
        const adjectives = this.chance(0.5) ? [this.adjective(p), ',', this.adjective(p), 'and', this.adjective(p)] : [this.adjective(p), 'and', this.adjective(p)];
        return [...subject.words, verb, ...adjectives, '.'];
      }
      case 'pair':
        return [...this.judgement(p), 'and', ...this.judgement(p), '.'];
      case 'rating': {
        const rating = this.pick(p === 1 ? POSITIVE_RATINGS : NEGATIVE_RATINGS);
        const frame = this.random.int(3);
        if (frame === 0) return ['i', 'give', 'it', ...rating, '.'];
        if (frame === 1) return [...rating, 'from', 'me', '.'];
        return [...rating, '.'];
      }
      case 'verdict':
        return [...this.pick(p === 1 ? POSITIVE_VERDICTS : NEGATIVE_VERDICTS).split(' '), '.'];
      case 'contrast': {
        // The clause after "but" / "yet", or the main clause after "although" / "despite", decides.
        const frame = this.random.int(4);
        if (frame === 0) return [...this.judgement(other), ',', 'but', ...this.judgement(p, this.laterSubject()), '.'];
        if (frame === 1) return ['although', ...this.judgement(other), ',', ...this.judgement(p, this.laterSubject()), '.'];
        if (frame === 2) return ['despite', 'its', this.adjective(other), ...this.pick(ASPECTS).split(' '), ',', 'the', 'film', 'is', this.adjective(p), '.'];
        const [past] = this.pick(p === 1 ? ALL_POSITIVE_VERBS : ALL_NEGATIVE_VERBS);
        return [...this.judgement(other), ',', 'yet', 'i', past, 'it', '.'];
      }
      case 'performer': {
        const frame = this.random.int(3);
        const adjective = this.adjective(p);
        if (frame === 0) return [this.name(), 'is', adjective, 'as', 'the', this.pick(ROLES), '.'];
        if (frame === 1) return [this.name(), 'gives', this.article(adjective), adjective, 'performance', '.'];
        return [this.name(), "'s", 'direction', 'is', ...this.maybe(0.3, ALL_INTENSIFIERS), adjective, '.'];
      }
      case 'liking': {
        const negated = this.chance(NEGATION_SHARE);
        const [past, base] = this.pick((negated ? other : p) === 1 ? ALL_POSITIVE_VERBS : ALL_NEGATIVE_VERBS);
        return ['i', ...(negated ? this.pick([['did', 'not', base], ['did', "n't", base], ['never', past]]) : [past]), ...this.subject().words, '.'];
      }
      case 'nothing':
        return ['there', 'is', 'nothing', this.adjective(other), 'about', 'it', '.'];
      case 'notOnly': {
        const subject = this.subject();
        const verb = subject.plural ? 'are' : 'is';
        return ['not', 'only', verb, ...subject.words, this.adjective(p), ',', subject.plural ? 'they' : 'it', verb, 'also', this.adjective(p), '.'];
      }
    }
  }

  /** A sentence without polarity: plot, setting, circumstances. */
  private neutral(): Words {
    switch (this.random.int(10)) {
      case 0:
        return ['it', 'follows', ...this.pick(PLOT_TOPICS).split(' '), 'in', ...this.pick(PLACES).split(' '), '.'];
      case 1:
        return ['the', 'story', 'is', 'about', ...this.pick(PLOT_TOPICS).split(' '), '.'];
      case 2: {
        const role = this.pick(ROLES);
        return [this.name(), 'plays', this.article(role), role, 'who', ...this.pick(ACTIONS).split(' '), '.'];
      }
      case 3:
        return ['set', 'in', ...this.pick(PLACES).split(' '), 'in', 'the', this.pick(DECADES), ',', 'it', 'is', 'a', ...this.pick(GENRES).split(' '), 'about', ...this.pick(PLOT_TOPICS).split(' '), '.'];
      case 4:
        return [this.name(), 'directed', 'it', 'from', 'a', 'script', 'by', this.name(), '.'];
      case 5:
        return this.chance(0.5) ? ['i', 'saw', 'it', 'with', ...this.pick(RELATIVES).split(' '), 'on', this.pick(DAYS), '.'] : ['we', 'watched', 'it', 'at', 'home', 'on', this.pick(DAYS), 'night', '.'];
      case 6:
        return ['it', 'runs', this.pick(['about', 'just under', 'just over', 'almost']).split(' '), this.pick(['two', 'three']), 'hours', '.'].flat();
      case 7:
        return ['it', 'is', 'the', this.pick(ORDINALS), ...this.pick(GENRES).split(' '), 'by', this.name(), '.'];
      case 8:
        return ['the', 'film', 'was', 'shot', 'in', ...this.pick(PLACES).split(' '), 'in', this.pick(NUMBER_WORDS), 'weeks', '.'];
      default:
        return this.chance(0.5) ? ['it', 'is', 'based', 'on', 'a', 'novel', 'by', this.name(), '.'] : [this.name(), 'and', this.name(), 'star', 'as', 'a', this.pick(ROLES), 'and', 'a', this.pick(ROLES), '.'];
    }
  }

  /** A sentence that is not one of the classification data's. */
  private fresh(make: () => Words): Words {
    for (;;) {
      const words = make();
      if (!this.excluded.has(words.join(' '))) return words;
    }
  }

  /** One review of at most MAX_REVIEW_WORDS words. */
  review(): Review {
    for (;;) {
      if (this.chance(0.04)) {
        const words = [...this.neutral(), ...(this.chance(0.5) ? this.neutral() : [])];
        if (words.length <= MAX_REVIEW_WORDS) return { text: words.join(' '), polarity: 0 };
        continue;
      }
      const polarity: Polarity = this.chance(0.5) ? 1 : -1;
      const count = this.pick([1, 2, 2, 3, 3, 3]);
      const sentences: Words[] = [];
      for (let i = 0; i < count; i++) sentences.push(this.fresh(() => this.evaluative(polarity)));
      if (this.chance(0.4)) sentences.push(this.fresh(() => this.verdict(polarity)));
      if (this.chance(0.2)) {
        const neutral = this.fresh(() => this.neutral());
        if (this.chance(0.7)) sentences.unshift(neutral);
        else sentences.push(neutral);
      }
      const words = sentences.flat();
      if (words.length <= MAX_REVIEW_WORDS) return { text: words.join(' '), polarity };
    }
  }
}

/** `count` reviews, deterministic from `random`; duplicates allowed (as in real text), sentences of `excluded` never. */
export function reviewCorpus(random: SeededRandom, count: number, excluded: ReadonlySet<string>): Review[] {
  const grammar = new ReviewGrammar(random, excluded);
  return Array.from({ length: count }, () => grammar.review());
}
