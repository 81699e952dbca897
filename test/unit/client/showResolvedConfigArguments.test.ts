import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readShowResolvedConfigArguments } from '../../../client/src/commands/showResolvedConfigArguments';
import { readResolvedConfigResult } from '../../../schemas/src/resolvedConfigRequest';

test('code lens arguments [uri, experiment, index] are taken as given', () => {
  assert.deepEqual(readShowResolvedConfigArguments(['file:///a.masklab', 'sst2_mask']), {
    sourceUri: 'file:///a.masklab',
    experiment: 'sst2_mask',
  });
  assert.deepEqual(readShowResolvedConfigArguments(['file:///a.masklab', 'seeds', 3]), {
    sourceUri: 'file:///a.masklab',
    experiment: 'seeds',
    index: 3,
  });
});

test('a Uri object from an editor menu becomes its string form, and no experiment means ask', () => {
  const uri = { scheme: 'file', toString: () => 'file:///w/q.masklab' };
  assert.deepEqual(readShowResolvedConfigArguments([uri]), { sourceUri: 'file:///w/q.masklab' });
});

test('from the palette there are no arguments: use the active editor and ask', () => {
  assert.deepEqual(readShowResolvedConfigArguments([]), {});
  assert.deepEqual(readShowResolvedConfigArguments([undefined, null]), {});
});

test('malformed arguments are reported, naming the position and what was expected', () => {
  const cases: [unknown[], RegExp][] = [
    [[42], /first argument/],
    [['file:///a', 7], /experiment name as the second/],
    [['file:///a', ''], /experiment name as the second/],
    [['file:///a', 'e', -1], /whole number ≥ 0\) as the third/],
    [['file:///a', 'e', '2'], /third argument, got "2"/],
  ];
  for (const [args, expected] of cases) {
    const result = readShowResolvedConfigArguments(args);
    assert.ok('error' in result, JSON.stringify(args));
    assert.match(result.error, expected);
  }
});

test('server answers are narrowed to { json } or { error }', () => {
  assert.deepEqual(readResolvedConfigResult({ json: '{}' }), { json: '{}' });
  assert.deepEqual(readResolvedConfigResult({ error: 'unknown experiment "x"' }), { error: 'unknown experiment "x"' });
  for (const odd of [null, undefined, 'text', { json: 3 }, {}]) {
    const result = readResolvedConfigResult(odd);
    assert.ok('error' in result);
    assert.match(result.error, /masklab\/resolvedConfig.*expected \{ json \} or \{ error \}/);
  }
});
