// The ways the run commands are called (code lens, sweep lens, menus, Runs view, status bar, palette).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellPickItems, readRunCommandArguments } from '../../../client/src/commands/runCommandArguments';

const URI = 'file:///p/exp.masklab';
const run = (id: string) => ({ kind: 'run', runDir: `/p/.masklab/runs/q/${id}`, runId: id, label: id });

test('code lenses, menus and the palette', () => {
  assert.deepEqual(readRunCommandArguments([URI, 'quick']), { sourceUri: URI, experiment: 'quick' });
  assert.deepEqual(readRunCommandArguments([URI, 'seeds', 2]), { sourceUri: URI, experiment: 'seeds', index: 2 });
  const cells = { cellCount: 2, cellLabels: ['seed=1', 'seed=2'] };
  assert.deepEqual(readRunCommandArguments([URI, 'seeds', null, cells]), { sourceUri: URI, experiment: 'seeds', cells });
  assert.deepEqual(readRunCommandArguments([{ scheme: 'file', toString: () => URI }]), { sourceUri: URI });
  assert.deepEqual(readRunCommandArguments([]), {});
});

test('the Runs view passes the clicked node and the selection; a group stands for its runs', () => {
  assert.deepEqual(readRunCommandArguments([run('a')]), { runs: [{ runDir: '/p/.masklab/runs/q/a', runId: 'a' }] });
  assert.deepEqual(readRunCommandArguments([run('a'), [run('a'), run('b')]]), { runs: [{ runDir: '/p/.masklab/runs/q/a', runId: 'a' }, { runDir: '/p/.masklab/runs/q/b', runId: 'b' }] });
  assert.deepEqual(readRunCommandArguments([{ kind: 'group', runs: [run('c'), run('c')] }]), { runs: [{ runDir: '/p/.masklab/runs/q/c', runId: 'c' }] });
  assert.deepEqual(readRunCommandArguments(['20250101-000000-aaaa']), { runId: '20250101-000000-aaaa' }, 'a lens or the status bar cancels by run id');
});

test('wrong arguments say what was expected', () => {
  for (const [args, expected] of [
    [[42], /first argument/],
    [[URI, 7], /experiment name/],
    [[URI, 'seeds', -1], /whole number/],
    [[URI, 'seeds', null, { cellCount: 'two' }], /fourth argument/],
  ] as const) {
    const result = readRunCommandArguments(args);
    assert.ok('error' in result, JSON.stringify(args));
    assert.match(result.error, expected);
  }
});

test('sweep cells are offered with their values', () => {
  assert.deepEqual(cellPickItems({ cellCount: 2, cellLabels: ['seed=1, lr=1e-4', 'seed=1, lr=1e-3'] }), [
    { label: 'cell 0', description: 'seed=1, lr=1e-4', index: 0 },
    { label: 'cell 1', description: 'seed=1, lr=1e-3', index: 1 },
  ]);
});
