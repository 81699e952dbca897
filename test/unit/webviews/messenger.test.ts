import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readMetricsViewState } from '../../../schemas/src/webviewMessageSchema';
import type { MetricsViewState } from '../../../schemas/src/webviewMessages';
import { Messenger, type PanelMessage } from '../../../webviews/src/shared/messenger';
import { ViewState } from '../../../webviews/src/shared/viewState';
import type { VsCodeApi } from '../../../webviews/src/shared/vscodeApi';

function fakeApi(state?: unknown): VsCodeApi & { posted: unknown[]; state: unknown } {
  const api = {
    posted: [] as unknown[],
    state,
    postMessage: (m: unknown) => void api.posted.push(m),
    getState: () => api.state,
    setState: (s: unknown) => void (api.state = s),
  };
  return api;
}

/** A messenger whose handler records what reaches the panel code (console.warn silenced). */
function messenger() {
  const api = fakeApi();
  const handled: PanelMessage[] = [];
  const m = new Messenger(api, 'metrics');
  (m as unknown as { handler: (x: PanelMessage) => void }).handler = (x) => handled.push(x);
  return { api, m, handled };
}

test('a malformed message from the extension is logged back to it and never reaches the panel', (t) => {
  t.mock.method(console, 'warn', () => undefined);
  const { api, m, handled } = messenger();
  m.receive({ type: 'metrics/append', runDir: '/r', records: [{ step: 'one', epoch: 0, time: 0, split: 'train', values: {} }] });
  m.receive({ type: 'run/state', runDir: '/r', state: 'exploded', message: null });
  m.receive('<img src=x onerror=alert(1)>');
  assert.equal(handled.length, 0);
  assert.equal(api.posted.length, 3);
  for (const posted of api.posted as { type: string; level: string; message: string }[]) {
    assert.equal(posted.type, 'log');
    assert.equal(posted.level, 'warning');
    assert.match(posted.message, /^metrics panel rejected a message from the extension: /);
  }
});

test('a well-formed message reaches the panel; a handler that throws is reported, not fatal', (t) => {
  t.mock.method(console, 'warn', () => undefined);
  const { api, m, handled } = messenger();
  const deleted = { type: 'run/deleted', runDir: '/r' } as const;
  m.receive(deleted);
  assert.deepEqual(handled, [deleted]);
  (m as unknown as { handler: () => void }).handler = () => {
    throw new Error('boom');
  };
  m.receive(deleted);
  assert.equal((api.posted.at(-1) as { level: string }).level, 'error');
  assert.match((api.posted.at(-1) as { message: string }).message, /failed to handle 'run\/deleted': .*boom/);
});

test('requests carry ids; the matching response settles each; an unknown or mismatched one is refused', async (t) => {
  t.mock.method(console, 'warn', () => undefined);
  const { api, m } = messenger();
  const saved = m.request({ kind: 'save', format: 'csv', suggestedName: 'runs.csv', content: 'step\n1\n' });
  const snapshot = m.request({ kind: 'snapshot', runDir: '/r', step: 20 });
  const [first, second] = api.posted as { type: string; requestId: number }[];
  assert.equal(first.type, 'request');
  assert.notEqual(first.requestId, second.requestId);
  // Answered out of order; the second with an error.
  m.receive({ type: 'response', requestId: second.requestId, ok: false, error: 'no snapshot at step 20' });
  m.receive({ type: 'response', requestId: first.requestId, ok: true, result: { kind: 'save', saved: '/w/runs.csv' } });
  assert.deepEqual(await saved, { kind: 'save', saved: '/w/runs.csv' });
  await assert.rejects(snapshot, /no snapshot at step 20/);

  m.receive({ type: 'response', requestId: 999, ok: true, result: { kind: 'save', saved: null } });
  assert.match((api.posted.at(-1) as { message: string }).message, /response to unknown request 999/);

  const wrongKind = m.request({ kind: 'save', format: 'json', suggestedName: 'x.json', content: '{}' });
  const id = (api.posted.at(-1) as { requestId: number }).requestId;
  m.receive({ type: 'response', requestId: id, ok: true, result: { kind: 'snapshot', snapshot: { step: 1, matrices: [] } } });
  await assert.rejects(wrongKind, /expected a 'save' result, got 'snapshot'/);
});

test('a request the extension never answers fails after its timeout', async () => {
  const { m } = messenger();
  await assert.rejects(m.request({ kind: 'snapshot', runDir: '/r', step: 1 }, 20), /did not answer the 'snapshot' request/);
});

test('view state: a valid stored state is kept; an invalid one is replaced by defaults that keep its run folders', () => {
  const good: MetricsViewState = { panel: 'metrics', runDirs: ['/a'], smoothing: 0.3, xAxis: 'time', logScale: {}, hiddenRuns: [] };
  const fallback = (previous: unknown): MetricsViewState => ({ ...good, smoothing: 0.6, xAxis: 'step', runDirs: (previous as { runDirs?: string[] })?.runDirs ?? [] });
  const kept = new ViewState(fakeApi(good), readMetricsViewState, fallback);
  assert.deepEqual(kept.value, good);

  const api = fakeApi({ panel: 'metrics', runDirs: ['/b'], smoothing: 7 });
  const replaced = new ViewState(api, readMetricsViewState, fallback);
  assert.equal(replaced.value.smoothing, 0.6);
  assert.deepEqual(replaced.value.runDirs, ['/b']);
  assert.deepEqual(api.state, replaced.value, 'the replacement is stored at once');
  replaced.update({ hiddenRuns: ['/b'] });
  assert.deepEqual((api.state as MetricsViewState).hiddenRuns, ['/b']);
});
