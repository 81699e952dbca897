import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  declarationAt,
  declarationPickItems,
  findDeclarations,
  parseSweepIndex,
} from '../../../client/src/experimentDeclarations';

const FILE = `// experiment commented_out { }
/* sweep also_commented of x { } */
experiment sst2_mask {
  model "models/experiment fake"
  task glue.sst2 { data "data/sst2" }
  method mask { select re"experiment \\"q\\"" }
}

experiment sst2_finetune extends sst2_mask {
  method finetune { lr 2e-5 }
}

sweep seeds of sst2_mask {
  train.seed 1, 2, 3
}
`;

test('finds top-level experiments and sweeps in order, skipping comments and strings', () => {
  const found = findDeclarations(FILE).map((d) => `${d.kind} ${d.name}`);
  assert.deepEqual(found, ['experiment sst2_mask', 'experiment sst2_finetune', 'sweep seeds']);
});

test('a declaration spans from its keyword to its closing brace', () => {
  const [first, second] = findDeclarations(FILE);
  assert.equal(first.start, FILE.indexOf('experiment sst2_mask'));
  assert.equal(FILE[first.end - 1], '}');
  assert.ok(FILE.slice(first.start, first.end).includes('method mask'));
  assert.ok(!FILE.slice(first.start, first.end).includes('sst2_finetune'));
  assert.equal(second.start, FILE.indexOf('experiment sst2_finetune'));
});

test('keywords inside blocks are not declarations, and identifiers merely containing them are not either', () => {
  const text = 'experiment a {\n  note experiment\n  sweep_count 3\n}\nmy_experiment b { }\n';
  assert.deepEqual(findDeclarations(text).map((d) => d.name), ['a']);
});

test('unfinished text still yields the declarations typed so far', () => {
  const text = 'experiment a {\n  train { epochs 3\nexperiment';
  const found = findDeclarations(text);
  assert.deepEqual(found.map((d) => d.name), ['a']);
  assert.equal(found[0].end, text.length);
  // A keyword without a name is not offered.
  assert.deepEqual(findDeclarations('experiment {').map((d) => d.name), []);
  // Comments between the keyword and the name are allowed.
  assert.deepEqual(findDeclarations('experiment /* c */ named {}').map((d) => d.name), ['named']);
  // An unterminated string ends at its line, so the next declaration is still found.
  assert.deepEqual(findDeclarations('experiment a { model "x\n}\nexperiment b {}').map((d) => d.name), ['a', 'b']);
});

test('the declaration under the cursor is found, including on its braces', () => {
  const declarations = findDeclarations(FILE);
  assert.equal(declarationAt(declarations, FILE.indexOf('lr 2e-5'))?.name, 'sst2_finetune');
  assert.equal(declarationAt(declarations, FILE.indexOf('sweep seeds'))?.name, 'seeds');
  assert.equal(declarationAt(declarations, 3), undefined);
});

test('the pick list puts the declaration at the cursor first and marks sweeps', () => {
  const declarations = findDeclarations(FILE);
  const atSweep = declarationPickItems(declarations, FILE.indexOf('train.seed'));
  assert.deepEqual(atSweep.map((i) => i.label), ['seeds', 'sst2_mask', 'sst2_finetune']);
  assert.match(atSweep[0].description, /sweep/);
  assert.match(atSweep[0].description, /at cursor/);
  assert.doesNotMatch(atSweep[1].description, /at cursor/);

  const noCursor = declarationPickItems(declarations);
  assert.deepEqual(noCursor.map((i) => i.label), ['sst2_mask', 'sst2_finetune', 'seeds']);
  assert.ok(noCursor.every((i) => !i.description.includes('at cursor')));
});

test('a name declared twice is offered once', () => {
  const items = declarationPickItems(findDeclarations('experiment a {}\nexperiment b {}\nexperiment a {}'), 0);
  assert.deepEqual(items.map((i) => i.label), ['a', 'b']);
});

test('sweep cell indexes must be whole numbers', () => {
  assert.equal(parseSweepIndex('0'), 0);
  assert.equal(parseSweepIndex(' 12 '), 12);
  for (const bad of ['', '-1', '1.5', 'two', '1e3', '99999999999999999999']) {
    const parsed = parseSweepIndex(bad);
    assert.equal(typeof parsed, 'object', bad);
    assert.match((parsed as { message: string }).message, /whole number/);
  }
});
