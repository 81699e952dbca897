import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from '../../../server/src/dsl/lexer';

/** `kind:text` for each token, for compact assertions. */
function kinds(text: string): string[] {
  return tokenize(text).tokens.map((t) => `${t.kind}:${text.slice(t.start, t.end)}`);
}

test('numbers in every written form keep their values', () => {
  const { tokens } = tokenize('42 0.01 1e-3 2e-5 -1 3E+2 7');
  assert.deepEqual(tokens.map((t) => [t.kind, t.number]), [
    ['number', 42],
    ['number', 0.01],
    ['number', 0.001],
    ['number', 0.00002],
    ['number', -1],
    ['number', 300],
    ['number', 7],
  ]);
});

test('percentages are fractions; ranges are not numbers followed by dots', () => {
  const { tokens } = tokenize('5% 12.5% 2..11 0..0 -1..3');
  assert.deepEqual(tokens.map((t) => [t.kind, t.number, t.to]), [
    ['percent', 0.05, undefined],
    ['percent', 0.125, undefined],
    ['range', 2, 11],
    ['range', 0, 0],
    ['range', -1, 3],
  ]);
});

test('a unit written against its number is a separate word; other letters make a bad number', () => {
  assert.deepEqual(kinds('60steps 1epoch'), ['number:60', 'identifier:steps', 'number:1', 'identifier:epoch']);
  const { tokens, errors } = tokenize('10x 1e 2.');
  assert.deepEqual(tokens.map((t) => t.kind), ['invalid', 'invalid', 'invalid']);
  assert.deepEqual(errors.map((e) => e.code), ['invalid-number', 'invalid-number', 'invalid-number']);
  assert.match(errors[2].message, /'2' or '2.0'/);
});

test('strings decode their escapes', () => {
  const { tokens, errors } = tokenize(String.raw`"a\"b\\c\nd\te\u{1F600}f\u{41}"`);
  assert.deepEqual(errors, []);
  assert.equal(tokens[0].text, 'a"b\\c\nd\te😀fA');
});

test('unknown and malformed escapes are errors that keep the text as written', () => {
  const { tokens, errors } = tokenize(String.raw`"x\dy\u{110000}z"`);
  assert.equal(tokens[0].text, String.raw`x\dy\u{110000}z`);
  assert.deepEqual(errors.map((e) => [e.code, e.span.start, e.span.end]), [
    ['invalid-escape', 2, 4],
    ['invalid-escape', 5, 15],
  ]);
});

test('a string left open ends at its line, with an error', () => {
  const text = '"abc\nnext';
  const { tokens, errors } = tokenize(text);
  assert.deepEqual(tokens.map((t) => [t.kind, t.start, t.end]), [
    ['string', 0, 4],
    ['identifier', 5, 9],
  ]);
  assert.deepEqual(errors.map((e) => [e.code, e.span.start, e.span.end]), [['unterminated-string', 0, 4]]);
});

test('regular expressions are raw except for the escaped quote', () => {
  const { tokens, errors } = tokenize(String.raw`re"encoder\.layer\.\d+\"x\\" re "not regex"`);
  assert.deepEqual(errors, []);
  assert.equal(tokens[0].kind, 'regex');
  assert.equal(tokens[0].text, String.raw`encoder\.layer\.\d+"x\\`);
  assert.deepEqual(tokens.slice(1).map((t) => t.kind), ['identifier', 'string']);
});

test('comments are collected on the side, not tokens; # is not a comment', () => {
  const text = 'a // one\n/* two\n three */ b # three\nc';
  const { tokens, comments, errors } = tokenize(text);
  assert.deepEqual(tokens.map((t) => text.slice(t.start, t.end)), ['a', 'b', '# three', 'c']);
  assert.deepEqual(comments.map((c) => [c.text, c.line]), [
    ['// one', true],
    ['/* two\n three */', false],
  ]);
  assert.deepEqual(errors.map((e) => e.code), ['unexpected-character']);
  assert.match(errors[0].message, /'\/\/'/);
});

test('an unterminated block comment is reported at its opening', () => {
  const { comments, errors } = tokenize('a /* never\nclosed');
  assert.equal(comments[0].span.end, 17);
  assert.deepEqual(errors.map((e) => [e.code, e.span.start, e.span.end]), [['unterminated-comment', 2, 4]]);
});

test('a run of stray characters is one error and never splits a surrogate pair', () => {
  const text = 'a @😀$ b \u0000';
  const { tokens, errors } = tokenize(text);
  assert.deepEqual(tokens.map((t) => t.kind), ['identifier', 'invalid', 'identifier', 'invalid']);
  assert.deepEqual(errors.map((e) => [e.span.start, e.span.end]), [
    [2, 6],
    [9, 10],
  ]);
  assert.match(errors[1].message, /U\+0000/, 'control characters are shown by code point');
});

test('firstOnLine marks the first token of each line, across CRLF, CR and multi-line comments', () => {
  const { tokens } = tokenize('a b\r\nc\rd /*\n*/ e f');
  assert.deepEqual(tokens.map((t) => t.firstOnLine), [true, false, true, true, true, false]);
});
