// WordPiece on a tiny hand-written vocabulary (always runs) and on the shared bert-base-uncased
// vocabulary (skips when ../shared is absent). Expected ids for the shared vocabulary are the
// well-known bert-base-uncased ids ([CLS]=101, [SEP]=102, [MASK]=103, [UNK]=100, "the"=1996,
// "hello"=7592, "world"=2088, ","=1010, "."=1012) plus cases checked once against Hugging Face
// `tokenizers` 0.22 (BertWordPieceTokenizer, lowercase, strip_accents unset); the whole dev text of
// six GLUE tasks (7,120 inputs) agreed with it token for token when this was written.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { bertNormalization, loadTokenizer, WordPieceTokenizer } from '../../../../server/src/training/tokenizer';
import { SKIP_SHARED, sharedModelDir } from '../sharedPaths';

// ids are line numbers: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4 …
const TINY_VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'un', '##aff', '##able', 'the', 'a', '##b', '##c', 'abc', 'ab', ',', '.', 'cafe', 'café', '北', 'x', '##y', 'Hello', 'hello'];

function tiny(options: Parameters<typeof bertNormalization>[0] = {}): WordPieceTokenizer {
  return new WordPieceTokenizer({ vocab: TINY_VOCAB, normalization: bertNormalization(options), source: 'tiny/vocab.txt' });
}

describe('WordPiece on a hand-written vocabulary', () => {
  test('greedy longest match first, continuation pieces carry ##', () => {
    const tokenizer = tiny();
    // "unaffable": longest prefix in the vocab is "un", then "##aff", then "##able".
    assert.deepEqual(tokenizer.tokenize('unaffable'), ['un', '##aff', '##able']);
    // "abc" is an entry itself; "abcb" takes "abc" first, then "##b".
    assert.deepEqual(tokenizer.tokenize('abc abcb'), ['abc', 'abc', '##b']);
    // "abd": "ab" matches, but no "##d" (nor "##…" for any suffix) → the whole word is [UNK].
    assert.deepEqual(tokenizer.tokenize('abd'), ['[UNK]']);
  });

  test('encode adds [CLS]/[SEP] with segment ids 0 then 1 and no padding', () => {
    const encoding = tiny().encode('the abc', 'a.');
    assert.deepEqual(encoding.tokens, ['[CLS]', 'the', 'abc', '[SEP]', 'a', '.', '[SEP]']);
    assert.deepEqual(encoding.ids, [2, 8, 12, 3, 9, 15, 3]);
    assert.deepEqual(encoding.tokenTypeIds, [0, 0, 0, 0, 1, 1, 1]);
    assert.deepEqual(encoding.attentionMask, [1, 1, 1, 1, 1, 1, 1]);
  });

  test('words over 100 characters become one [UNK]; 100 exactly still tokenizes', () => {
    const tokenizer = tiny();
    // "x" + 99 × "y" = 100 chars → x ##y ##y …; one more char → [UNK].
    assert.equal(tokenizer.tokenize('x' + 'y'.repeat(99)).length, 100);
    assert.deepEqual(tokenizer.tokenize('x' + 'y'.repeat(100)), ['[UNK]']);
  });

  test('strip_accents unset follows do_lower_case; explicit values win', () => {
    // Uncased, strip_accents unset ⇒ accents stripped: "Café" → "cafe".
    assert.deepEqual(tiny({ doLowerCase: true, stripAccents: null }).tokenize('Café'), ['cafe']);
    // Uncased but strip_accents false ⇒ "café" kept.
    assert.deepEqual(tiny({ doLowerCase: true, stripAccents: false }).tokenize('Café'), ['café']);
    // Cased, unset ⇒ neither lowercased nor stripped: "Hello" is its own entry, "Café" is not.
    assert.deepEqual(tiny({ doLowerCase: false }).tokenize('Hello Café'), ['Hello', '[UNK]']);
    // Cased with strip_accents true ⇒ "café" → "cafe" but case kept.
    assert.deepEqual(tiny({ doLowerCase: false, stripAccents: true }).tokenize('café'), ['cafe']);
  });

  test('cleaning drops control characters and splits on any whitespace; punctuation and CJK stand alone', () => {
    const tokenizer = tiny();
    // NUL and U+FFFD vanish (x + y join into one word), NBSP and tab separate words.
    assert.deepEqual(tokenizer.tokenize('x\u0000\uFFFDy\u00A0the\tabc'), ['x', '##y', 'the', 'abc']);
    // "," and "." split off; the ideograph is a word even without spaces around it.
    assert.deepEqual(tokenizer.tokenize('the,abc.北the'), ['the', ',', 'abc', '.', '北', 'the']);
  });

  test('special tokens written in the text map to their ids', () => {
    assert.deepEqual(tiny().encode('the [MASK].').ids, [2, 8, 4, 15, 3]);
  });

  test('longest-first truncation keeps the special tokens', () => {
    const tokenizer = tiny();
    // 4 + 1 text tokens, budget 7 - 3 = 4: the longer first text loses one token.
    const encoding = tokenizer.encode('the the the the', 'a', 7);
    assert.deepEqual(encoding.tokens, ['[CLS]', 'the', 'the', 'the', '[SEP]', 'a', '[SEP]']);
    assert.deepEqual(encoding.tokenTypeIds, [0, 0, 0, 0, 0, 1, 1]);
    assert.equal(tokenizer.encode('the the the the', undefined, 3).ids.length, 3);
    assert.throws(() => tokenizer.encode('the', 'a', 3), /max_length 3 leaves no room/);
  });

  test('decode joins ## pieces and skips special tokens', () => {
    const tokenizer = tiny();
    assert.equal(tokenizer.decode(tokenizer.encode('unaffable the').ids), 'unaffable the');
    assert.equal(tokenizer.decode(tokenizer.encode('the').ids, { skipSpecialTokens: false }), '[CLS] the [SEP]');
  });

  test('a vocabulary without [UNK] is refused with the file named', () => {
    assert.throws(
      () => new WordPieceTokenizer({ vocab: ['[PAD]', '[CLS]', '[SEP]', 'a'], normalization: bertNormalization({}), source: 'x/vocab.txt' }),
      /x\/vocab\.txt has no unk token "\[UNK\]"/,
    );
  });
});

describe('WordPiece with the shared bert-base-uncased vocabulary', { skip: SKIP_SHARED }, () => {
  const tokenizer = () => loadTokenizer(sharedModelDir);

  test('special ids and vocabulary size are the standard ones', () => {
    const t = tokenizer();
    assert.equal(t.kind, 'wordpiece');
    assert.equal(t.vocabSize, 30522);
    assert.deepEqual([t.padId, t.unkId, t.clsId, t.sepId, t.maskId], [0, 100, 101, 102, 103]);
    assert.equal(t.modelMaxLength, 512);
    assert.equal(path.basename(sharedModelDir), 'bert-tiny-glue-mlm');
  });

  test('well-known ids', () => {
    const t = tokenizer();
    assert.deepEqual(t.encode('hello world').ids, [101, 7592, 2088, 102]);
    assert.deepEqual(t.encode('Hello, world.').ids, [101, 7592, 1010, 2088, 1012, 102]);
    assert.deepEqual(t.encode('The [MASK] sat.').ids, [101, 1996, 103, 2938, 1012, 102]);
    const pair = t.encode('The cat sat.', 'It was happy.');
    assert.deepEqual(pair.ids, [101, 1996, 4937, 2938, 1012, 102, 2009, 2001, 3407, 1012, 102]);
    assert.deepEqual(pair.tokenTypeIds, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });

  test('"unaffable" is cut greedily: "una" is an entry, so it wins over "un"', () => {
    const t = tokenizer();
    // The BERT paper's "un ##aff ##able" was a different vocabulary; with this one the longest
    // prefix entry is "una", then "##ffa", then "##ble".
    assert.notEqual(t.tokenToId('una'), undefined);
    assert.equal(t.tokenToId('unaffable'), undefined);
    assert.deepEqual(t.encode('unaffable').tokens, ['[CLS]', 'una', '##ffa', '##ble', '[SEP]']);
    assert.deepEqual(t.encode('unaffable').ids, [101, 14477, 20961, 3468, 102]);
  });

  test('accents stripped, CJK split, punctuation split, controls cleaned (checked against Hugging Face)', () => {
    const t = tokenizer();
    assert.deepEqual(t.encode('Héllo Wörld CAFÉ naïve').ids, [101, 7592, 2088, 7668, 15743, 102]);
    assert.deepEqual(t.encode('I like 北京!').ids, [101, 1045, 2066, 1781, 1755, 999, 102]);
    assert.deepEqual(t.encode('x\u0000y\uFFFDz\u200Bw a\u00A0b').tokens, ['[CLS]', 'x', '##y', '##z', '##w', 'a', 'b', '[SEP]']);
    assert.deepEqual(t.encode('$100 + 5% = <tag> ^_^ `q` | ~').ids, [101, 1002, 2531, 1009, 1019, 1003, 1027, 1026, 6415, 1028, 1034, 1035, 1034, 1036, 1053, 1036, 1064, 1066, 102]);
    assert.deepEqual(t.encode('«quotes» — dash … ellipsis').ids, [101, 1077, 16614, 1090, 1517, 11454, 1529, 3449, 15000, 6190, 102]);
    assert.deepEqual(t.encode("don't").ids, [101, 2123, 1005, 1056, 102]);
    // Final capital sigma lowers to σ (not ς), as the fast tokenizer does.
    assert.deepEqual(t.encode('İstanbul ΣΊΣΥΦΟΣ').ids, [101, 9960, 1173, 18199, 29733, 29735, 29736, 29730, 29733, 102]);
    assert.deepEqual(t.encode('emoji 😀 ok').ids, [101, 7861, 29147, 2072, 100, 7929, 102]);
    assert.deepEqual(t.encode('a'.repeat(101)).ids, [101, 100, 102]);
  });
});
