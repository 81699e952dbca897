import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { URI } from 'vscode-uri';
import {
  parseResolvedConfigUri,
  resolvedConfigFileName,
  resolvedConfigKey,
  resolvedConfigUriParts,
  type ResolvedConfigTarget,
} from '../../../client/src/resolvedConfigUri';

// vscode-uri is the Uri implementation VS Code itself uses, so a round trip through its string
// form is the round trip a masklab-config document makes through the editor (and a reload).
function throughUriString(target: ResolvedConfigTarget): ResolvedConfigTarget | undefined {
  const text = URI.from(resolvedConfigUriParts(target)).toString();
  const parsed = URI.parse(text);
  return parseResolvedConfigUri({ scheme: parsed.scheme, path: parsed.path, query: parsed.query });
}

test('an experiment address names the experiment and carries the source document', () => {
  const source = 'file:///work/examples/quickstart.masklab';
  const parts = resolvedConfigUriParts({ sourceUri: source, experiment: 'sst2_mask' });
  assert.deepEqual(parts, { scheme: 'masklab-config', path: '/sst2_mask.json', query: source });
  assert.equal(URI.from(parts).toString(), 'masklab-config:/sst2_mask.json?file%3A%2F%2F%2Fwork%2Fexamples%2Fquickstart.masklab');
});

test('a sweep cell address shows the index in the tab name and survives the string form', () => {
  const target = { sourceUri: 'file:///w/s.masklab', experiment: 'seeds_and_rates', index: 4 };
  assert.equal(resolvedConfigFileName(target), 'seeds_and_rates #4.json');
  const text = URI.from(resolvedConfigUriParts(target)).toString();
  assert.ok(!text.includes('#4'), `"#" must be escaped or it would start a fragment: ${text}`);
  assert.deepEqual(throughUriString(target), target);
});

test('source uris with spaces, queries, fragments and non-ASCII names round-trip', () => {
  for (const sourceUri of [
    'file:///home/me/My%20Experiments/a%20b.masklab',
    'untitled:Untitled-1',
    'vscode-remote://ssh-remote%2Bbox/home/x/%C3%A9t%C3%A9.masklab',
    'file:///a/b.masklab?x=1#frag',
  ]) {
    const target = { sourceUri, experiment: 'e1' };
    assert.deepEqual(throughUriString(target), target, sourceUri);
  }
});

test('any experiment name and index round-trip (property)', () => {
  const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/);
  const index = fc.option(fc.nat({ max: 100_000 }), { nil: undefined });
  const source = fc.webUrl({ withQueryParameters: true, withFragments: true });
  fc.assert(
    fc.property(name, index, source, (experiment, cell, sourceUri) => {
      const target: ResolvedConfigTarget = cell === undefined ? { sourceUri, experiment } : { sourceUri, experiment, index: cell };
      assert.deepEqual(throughUriString(target), target);
    }),
    { numRuns: 200 },
  );
});

test('other uris are not mistaken for resolved configs', () => {
  const q = 'file:///a.masklab';
  assert.equal(parseResolvedConfigUri({ scheme: 'file', path: '/x.json', query: q }), undefined);
  assert.equal(parseResolvedConfigUri({ scheme: 'masklab-config', path: '/x.json', query: '' }), undefined);
  assert.equal(parseResolvedConfigUri({ scheme: 'masklab-config', path: '/x.txt', query: q }), undefined);
  assert.equal(parseResolvedConfigUri({ scheme: 'masklab-config', path: '/a/x.json', query: q }), undefined);
  assert.equal(parseResolvedConfigUri({ scheme: 'masklab-config', path: '/.json', query: q }), undefined);
});

test('a name with " #" but no digits is kept whole rather than misread as a cell', () => {
  const parsed = parseResolvedConfigUri({ scheme: 'masklab-config', path: '/odd #x.json', query: 'file:///a' });
  assert.deepEqual(parsed, { sourceUri: 'file:///a', experiment: 'odd #x' });
});

test('unaddressable names and indexes are refused with a reason', () => {
  assert.throws(() => resolvedConfigUriParts({ sourceUri: 'file:///a', experiment: '' }), /non-empty name/);
  assert.throws(() => resolvedConfigUriParts({ sourceUri: 'file:///a', experiment: 'a/b' }), /without "\/"/);
  assert.throws(() => resolvedConfigUriParts({ sourceUri: 'file:///a', experiment: 'a', index: -1 }), /whole number/);
  assert.throws(() => resolvedConfigUriParts({ sourceUri: 'file:///a', experiment: 'a', index: 1.5 }), /whole number/);
});

test('keys tell targets apart by source, name and cell', () => {
  const base = { sourceUri: 'file:///a.masklab', experiment: 'e' };
  const keys = new Set([
    resolvedConfigKey(base),
    resolvedConfigKey({ ...base, index: 0 }),
    resolvedConfigKey({ ...base, index: 1 }),
    resolvedConfigKey({ ...base, experiment: 'f' }),
    resolvedConfigKey({ ...base, sourceUri: 'file:///b.masklab' }),
  ]);
  assert.equal(keys.size, 5);
  assert.equal(resolvedConfigKey({ ...base }), resolvedConfigKey(base));
});
