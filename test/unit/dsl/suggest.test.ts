import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance, suggest } from '../../../server/src/dsl/suggest';

test('edit distance counts insertions, deletions, substitutions and adjacent swaps as one', () => {
  assert.equal(editDistance('experiment', 'experiment'), 0);
  assert.equal(editDistance('experimnt', 'experiment'), 1);
  assert.equal(editDistance('experimentt', 'experiment'), 1);
  assert.equal(editDistance('expariment', 'experiment'), 1);
  assert.equal(editDistance('expeirment', 'experiment'), 1, 'a transposition is one edit');
  assert.equal(editDistance('fo', 'of'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('kitten', 'sitting', 1), 2, 'stops early past the limit');
});

test('suggests the closest candidate within a threshold that grows with the word', () => {
  assert.equal(suggest('experimnt', ['experiment', 'sweep']), 'experiment');
  assert.equal(suggest('swep', ['experiment', 'sweep']), 'sweep');
  assert.equal(suggest('extend', ['extends']), 'extends');
  assert.equal(suggest('off', ['of']), 'of');
  assert.equal(suggest('Experiment', ['experiment']), 'experiment', 'case is ignored');
  assert.equal(suggest('model', ['experiment', 'sweep']), undefined);
  assert.equal(suggest('ab', ['of']), undefined, 'never rewrites the whole word');
  assert.equal(suggest('lr', ['lt']), 'lt');
  assert.equal(suggest('xyz', ['lr']), undefined);
  // Nine letters allow three edits; five allow one.
  assert.equal(suggest('exprmntss', ['experiments']), undefined);
  assert.equal(suggest('expermnts', ['experiments']), 'experiments');
  assert.equal(suggest('bach', ['batch']), 'batch');
  assert.equal(suggest('bqch', ['batch']), undefined);
});

test('ties go to the earlier candidate; a closer later one still wins', () => {
  assert.equal(suggest('cat', ['bat', 'cap']), 'bat');
  assert.equal(suggest('cat', ['cap', 'bat']), 'cap');
  assert.equal(suggest('query', ['quer', 'query']), 'query');
});
