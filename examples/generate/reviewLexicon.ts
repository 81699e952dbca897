// Words of the pretraining corpus (reviewCorpus.ts): a film-review vocabulary several times
// larger than the classification grammar's, so that pretraining sees each sentiment word in many
// contexts and the WordPiece vocabulary has a few thousand entries. The classification grammar's
// own lists (sentimentGrammar.ts) are included by reviewCorpus.ts, so every word of the task is
// a word of the corpus. Everything is lower-case ASCII with SST-2's spacing ("does n't", "it 's").

/** Evaluative adjectives beyond the classification grammar's 24 + 24. */
export const MORE_POSITIVE_ADJECTIVES = [
  'amazing', 'fantastic', 'terrific', 'marvelous', 'magnificent', 'outstanding', 'remarkable', 'compelling', 'captivating',
  'riveting', 'absorbing', 'entertaining', 'exciting', 'thrilling', 'hilarious', 'smart', 'intelligent', 'inventive',
  'original', 'imaginative', 'creative', 'ambitious', 'bold', 'daring', 'confident', 'assured', 'elegant', 'graceful',
  'gorgeous', 'breathtaking', 'dazzling', 'vivid', 'rich', 'nuanced', 'subtle', 'sharp', 'tight', 'polished',
  'accomplished', 'masterful', 'sublime', 'splendid', 'warm', 'tender', 'sweet', 'uplifting', 'inspiring', 'joyful',
  'playful', 'lively', 'energetic', 'vibrant', 'fun', 'satisfying', 'rewarding', 'haunting', 'poignant', 'profound',
  'insightful', 'honest', 'authentic', 'sincere', 'likable', 'lovable', 'endearing', 'irresistible', 'charismatic',
  'stylish', 'solid', 'strong', 'impressive', 'admirable', 'perfect', 'flawless', 'wise', 'refreshing', 'affecting',
  'exhilarating', 'enchanting', 'magical', 'spellbinding', 'exquisite', 'luminous', 'tremendous', 'wonderful', 'nice',
  'pleasant', 'cheerful', 'fascinating', 'intriguing', 'suspenseful', 'gutsy', 'precise', 'crisp', 'confident',
  'unforgettable', 'extraordinary', 'beguiling', 'rousing', 'triumphant', 'sparkling', 'brave', 'generous', 'humane',
  'glorious', 'heartwarming', 'clever', 'dynamic', 'seamless', 'mesmerizing', 'harmonious', 'sensitive', 'sincere',
];

export const MORE_NEGATIVE_ADJECTIVES = [
  'dreadful', 'horrible', 'atrocious', 'abysmal', 'dismal', 'miserable', 'disappointing', 'underwhelming', 'uninspired',
  'unoriginal', 'derivative', 'generic', 'formulaic', 'cliched', 'trite', 'hackneyed', 'tired', 'stupid', 'dumb',
  'ridiculous', 'absurd', 'laughable', 'embarrassing', 'annoying', 'irritating', 'grating', 'obnoxious', 'unbearable',
  'insufferable', 'sluggish', 'plodding', 'overlong', 'bloated', 'sloppy', 'careless', 'incoherent', 'muddled',
  'convoluted', 'pretentious', 'smug', 'hollow', 'empty', 'vapid', 'soulless', 'cold', 'sterile', 'joyless', 'humorless',
  'lame', 'cheap', 'tacky', 'ugly', 'drab', 'murky', 'depressing', 'wooden', 'stiff', 'flimsy', 'thin', 'contrived',
  'implausible', 'ludicrous', 'clunky', 'leaden', 'listless', 'limp', 'monotonous', 'numbing', 'exhausting', 
  'sour', 'cynical', 'crude', 'vulgar', 'tasteless', 'cheesy', 'corny', 'sappy', 'mawkish', 'manipulative',
  'shoddy', 'amateurish', 'lousy', 'worthless', 'useless', 'awkward', 'inept', 'clueless', 'muddy', 'sloppy', 'uneven',
  'disjointed', 'aimless', 'meandering', 'repetitive', 'noisy', 'shrill', 'tepid', 'lukewarm', 'poor',
  'horrendous', 'unfunny', 'unconvincing', 'unpleasant', 'uninteresting', 'unremarkable', 'overwrought', 'overblown',
];

/** Things a review judges (singular; each takes "the"). */
export const ASPECTS = [
  'movie', 'film', 'story', 'plot', 'script', 'screenplay', 'acting', 'cast', 'soundtrack', 'score', 'music', 'ending',
  'opening', 'dialogue', 'direction', 'cinematography', 'camera work', 'editing', 'pacing', 'premise', 'sequel', 'remake',
  'villain', 'hero', 'heroine', 'lead', 'twist', 'finale', 'climax', 'first act', 'second act', 'third act', 'humor',
  'tone', 'atmosphere', 'mood', 'subplot', 'narrative', 'structure', 'writing', 'lead actress', 'lead actor',
  'supporting cast', 'love story', 'chase', 'animation', 'voice acting', 'photography', 'lighting', 'production',
  'ensemble', 'chemistry between the leads', 'final scene', 'opening scene', 'middle section', 'first half',
  'second half', 'running time', 'trailer', 'production design', 'central performance', 'main character',
];

/** Plural things a review judges (they take plural verbs). */
export const PLURAL_ASPECTS = [
  'characters', 'visuals', 'effects', 'special effects', 'costumes', 'sets', 'jokes', 'action scenes', 'fight scenes',
  'battle scenes', 'songs', 'performances', 'last twenty minutes', 'dialogue scenes', 'flashbacks', 'dance numbers',
];

/** Linking verbs for plural subjects, in the shape of the classification grammar's COPULAS. */
export const PLURAL_COPULAS = [
  { plain: 'are', negated: ['are not', "are n't", 'are never', 'are hardly', 'are far from', 'are anything but'] },
  { plain: 'were', negated: ['were not', "were n't", 'were never', 'were hardly'] },
  { plain: 'feel', negated: ['do not feel', "do n't feel", 'never feel'] },
  { plain: 'seem', negated: ['do not seem', "do n't seem", 'never seem'] },
  { plain: 'felt', negated: ['did not feel', "did n't feel", 'never felt'] },
  { plain: 'look', negated: ['do not look', "do n't look"] },
];

export const GENRES = [
  'film', 'movie', 'comedy', 'drama', 'thriller', 'romance', 'western', 'musical', 'documentary', 'horror film',
  'war film', 'crime drama', 'mystery', 'fantasy', 'adventure', 'biopic', 'satire', 'melodrama', 'cartoon', 'epic',
  'road movie', 'heist movie', 'family film', 'science fiction film', 'period piece', 'debut', 'sequel', 'remake',
  'love story', 'character study', 'coming of age story', 'ghost story', 'spy film', 'sports drama', 'courtroom drama',
];

/** Plot material for neutral sentences. */
export const PLOT_TOPICS = [
  'two brothers', 'a small town', 'a family', 'a lonely robot', 'an old singer', 'a young teacher', 'three sisters',
  'a retired boxer', 'a stolen painting', 'a missing child', 'a broken marriage', 'a group of students', 'a rock band',
  'a tired detective', 'a village doctor', 'an unlikely friendship', 'a summer camp', 'a chess player', 'a night shift',
  'a sailor and his dog', 'a widowed farmer', 'two rival chefs', 'a traveling circus', 'a young nurse', 'a bank robbery',
  'a failing restaurant', 'an old lighthouse', 'a city at war', 'a famous painter', 'a football team', 'a single mother',
  'a forgotten poet', 'a space station', 'a haunted house', 'a border town', 'a wedding weekend', 'a road trip',
  'a high school reunion', 'a music teacher', 'a fishing village', 'a secret letter', 'a factory strike', 'an election',
  'a mountain rescue', 'a talking cat', 'a jazz club', 'a royal family', 'a desert island', 'a train journey',
  'a dying king', 'a runaway bride', 'a small newspaper', 'a family farm', 'a ballet dancer', 'a prison break',
];

export const PLACES = [
  'paris', 'london', 'tokyo', 'new york', 'rome', 'berlin', 'mexico city', 'a quiet suburb', 'the desert', 'the mountains',
  'a coastal town', 'the countryside', 'a big city', 'the north', 'a tiny island', 'the south', 'chicago', 'madrid',
  'a mining town', 'the jungle', 'the arctic', 'a small village', 'the old west', 'outer space', 'the future', 'the past',
  'lisbon', 'dublin', 'seoul', 'cairo', 'havana', 'vienna', 'oslo', 'athens', 'bombay', 'sydney', 'toronto', 'prague',
];

export const DECADES = ['twenties', 'thirties', 'forties', 'fifties', 'sixties', 'seventies', 'eighties', 'nineties'];

export const ROLES = [
  'detective', 'mother', 'father', 'teacher', 'soldier', 'lawyer', 'doctor', 'nurse', 'thief', 'pilot', 'farmer',
  'writer', 'painter', 'singer', 'boxer', 'priest', 'spy', 'cook', 'reporter', 'mayor', 'student', 'widow', 'king',
  'queen', 'sailor', 'scientist', 'hunter', 'gambler', 'coach', 'musician', 'grandmother', 'stranger', 'villain',
];

/** Plot verbs: "…, a <role> who <action>." */
export const ACTIONS = [
  'returns home after many years', 'falls in love with a stranger', 'loses everything', 'tries to save the family farm',
  'plans one last job', 'searches for a missing sister', 'moves to the city', 'starts a new life', 'keeps a dark secret',
  'goes back to school', 'takes care of an old friend', 'wins the lottery', 'runs for mayor', 'opens a small bakery',
  'finds an old letter', 'leaves the army', 'joins a band', 'writes a novel', 'hides from the police', 'learns to sing',
  'travels across the country', 'teaches a class of teenagers', 'buys a haunted house', 'wakes up in the past',
];

export const RELATIVES = ['my sister', 'my brother', 'my wife', 'my husband', 'my parents', 'a friend', 'my friends', 'my kids', 'my mother', 'my father', 'my roommate', 'my girlfriend', 'my boyfriend', 'a colleague'];
export const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
export const NUMBER_WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** More intensifiers and hedges than the classification grammar's (no polarity of their own). */
export const MORE_INTENSIFIERS = ['pretty', 'fairly', 'surprisingly', 'strangely', 'mostly', 'simply', 'absolutely', 'totally', 'completely', 'thoroughly', 'somewhat', 'a bit', 'a little', 'largely'];

/** Whole-sentence verdicts, without the final period. */
export const POSITIVE_VERDICTS = [
  'i laughed the whole way through', 'i was moved to tears', 'i was on the edge of my seat', 'i could watch it again and again',
  'it stayed with me for days', 'i left the theater smiling', 'go see it', 'do not miss it', 'highly recommended',
  'worth every penny', 'well worth the ticket', 'a must see', 'i will see it again', 'everyone should see it',
  'it is a joy from start to finish', 'it never drags', 'i never got bored', 'i was never bored for a second',
  'it works on every level', 'i cannot wait to see it again', 'it deserves every award', 'i want to see it again',
  'it is one of the best films of the year', 'it is the best thing i have seen in years', 'it earns every tear',
  'the time flew by', 'the audience cheered at the end', 'it made my day', 'a real treat', 'bring the whole family',
  'it is even better than the first one', 'easily the best film of the summer', 'it gets everything right',
];

export const NEGATIVE_VERDICTS = [
  'i fell asleep halfway through', 'i walked out after an hour', 'i checked my watch every ten minutes',
  'i want my money back', 'i could not wait for it to end', 'i nearly walked out', 'skip it', 'avoid it at all costs',
  'not worth the ticket', 'save your money', 'wait for it on television', 'what a waste of time', 'a complete mess',
  'it is one of the worst films of the year', 'it is the worst thing i have seen in years', 'nothing about it works',
  'it never comes together', 'it drags on forever', 'i was bored to tears', 'half the audience left early',
  'i regret buying a ticket', 'it is far worse than the first one', 'it gets everything wrong', 'a total disaster',
  'what a letdown', 'i wanted to like it', 'nobody should see it', 'it falls apart in the second half', 'a new low',
  'i laughed at it , not with it', 'it feels twice as long as it is', 'it never finds its footing',
];

export const POSITIVE_RATINGS = [['four', 'stars'], ['five', 'stars'], ['four', 'out', 'of', 'five'], ['five', 'out', 'of', 'five'], ['eight', 'out', 'of', 'ten'], ['nine', 'out', 'of', 'ten'], ['ten', 'out', 'of', 'ten']];
export const NEGATIVE_RATINGS = [['one', 'star'], ['two', 'stars'], ['one', 'out', 'of', 'five'], ['two', 'out', 'of', 'five'], ['two', 'out', 'of', 'ten'], ['three', 'out', 'of', 'ten'], ['zero', 'stars']];

/** Verbs of liking beyond the classification grammar's: [past, base]. */
export const MORE_POSITIVE_VERBS: Array<[string, string]> = [['treasured', 'treasure'], ['cherished', 'cherish'], ['relished', 'relish'], ['savored', 'savor']];
export const MORE_NEGATIVE_VERBS: Array<[string, string]> = [['despised', 'despise'], ['detested', 'detest'], ['regretted', 'regret'], ['endured', 'endure']];

/** Syllables for invented names of actors, directors and characters (many rare words, so WordPiece splits some). */
const ONSETS = ['b', 'br', 'c', 'ch', 'd', 'dr', 'f', 'g', 'gr', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 'sh', 'st', 't', 'th', 'v', 'w', 'z'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ie', 'ou'];
const CODAS = ['', 'n', 'r', 'l', 's', 'm', 'nd', 'rt', 'x', 'ck', 'ng'];

/** `count` distinct invented names of 2–3 syllables, drawn with `pick` (a seeded chooser). */
export function inventedNames(count: number, pick: <T>(items: readonly T[]) => T, chance: (p: number) => boolean): string[] {
  const names = new Set<string>();
  let attempts = 0;
  while (names.size < count && attempts++ < count * 100) {
    const syllables = chance(0.35) ? 3 : 2;
    let name = '';
    for (let i = 0; i < syllables; i++) name += pick(ONSETS) + pick(VOWELS) + (i === syllables - 1 ? pick(CODAS) : '');
    if (name.length >= 4 && name.length <= 11) names.add(name);
  }
  return [...names].sort();
}
