// Quick fixes from diagnostics that carry a fix, for the range the editor asks about.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeActions } from '../../../server/src/features/codeActions';
import { analysed, textOf } from './documents';
import { rangeIn } from './cursor';

const DOC = `experiment a {
  modle "models/tiny"
  task glue.sst2 { data "data/SST-2" }
  method mask { variant treshold  schedule "linear" }
  trian { epochs 1 }
}
experimnt b extends a {}
`;

function actionsIn(marked: string) {
  const { text, start, end } = rangeIn(marked);
  const a = analysed(text);
  return { ...a, actions: codeActions(a.analysis, a.lines, { start, end }) };
}

test('every fix in the range becomes a preferred quick fix on the document, with its diagnostic', () => {
  const { actions, analysis, lines } = actionsIn(`<[>${DOC}<]>`);
  assert.deepEqual(
    actions.map((a) => {
      const [edit] = a.edit?.changes?.[analysis.uri] ?? [];
      return `${a.title}: ${textOf(analysis, lines, edit.range)} → ${edit.newText}`;
    }),
    [
      "Change to 'model': modle → model",
      "Change to 'threshold': treshold → threshold",
      'Remove the quotes: "linear" → linear',
      "Change to 'train': trian → train",
      "Change to 'experiment': experimnt → experiment",
    ],
  );
  for (const action of actions) {
    assert.equal(action.kind, 'quickfix');
    assert.equal(action.isPreferred, true);
    assert.equal(action.diagnostics?.length, 1);
    assert.equal(action.diagnostics?.[0].source, 'masklab');
    assert.deepEqual(Object.keys(action.edit?.changes ?? {}), ['file:///proj/experiments/exp.masklab']);
  }
  assert.equal(actions[0].diagnostics?.[0].message, "unknown block or key 'modle'; did you mean 'model'?");
});

test('only the diagnostics the range touches; an empty range at the cursor counts', () => {
  const at = (marked: string) => actionsIn(marked).actions.map((a) => a.title);
  assert.deepEqual(at(DOC.replace('treshold', 'tre<[><]>shold')), ["Change to 'threshold'"]);
  assert.deepEqual(at(DOC.replace('treshold', 'treshold<[><]>')), ["Change to 'threshold'"], 'just after the word');
  assert.deepEqual(at(DOC.replace('  task', '<[><]>  task')), []);
  assert.deepEqual(at(`<[>${DOC.slice(0, DOC.indexOf('schedule'))}<]>${DOC.slice(DOC.indexOf('schedule'))}`), ["Change to 'model'", "Change to 'threshold'"]);
});

test('diagnostics without a fix give no action', () => {
  const { actions, analysis } = actionsIn('<[>experiment a {\n  model "models/tiny"\n  method mask { lr -1 }\n}<]>');
  assert.ok(analysis.diagnostics.length > 0);
  assert.deepEqual(actions, []);
});
