import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { HostMessage, MetricsColumns, MetricsRunHistory } from '../../../schemas/src/webviewMessages';
import {
  columnsProblem,
  readHostMessage,
  readMasksViewState,
  readMetricsViewState,
  readWebviewMessage,
  runDirsOfState,
} from '../../../schemas/src/webviewMessageSchema';

const run = (over: Partial<MetricsRunHistory> = {}): MetricsRunHistory => ({
  runDir: '/runs/quickstart/20261123-130222-h4t9',
  runId: '20261123-130222-h4t9',
  name: 'quickstart',
  experiment: 'quickstart',
  state: 'running',
  message: null,
  sweep: null,
  primaryMetric: 'accuracy',
  train: { step: [1, 2], epoch: [0.01, 0.02], time: [0.3, 0.6], values: { loss: [0.69, 0.68], lr: [1e-3, 1e-3] } },
  dev: { step: [], epoch: [], time: [], values: {} },
  ...over,
});

const init = (runs = [run()]): HostMessage => ({ type: 'metrics/init', protocol: 1, runs, defaults: { smoothing: 0.6, xAxis: 'step', logScaleY: false } });

const snapshot = {
  step: 20,
  matrices: [
    { name: 'encoder.layer.0.attention.self.query.weight', block: 0, matrix: 'query', shape: [64, 64], kept: 0.95, image: { width: 2, height: 1, data: '/wA=' } },
  ],
};

test('well-formed host messages of every type pass, unchanged', () => {
  const messages: HostMessage[] = [
    init(),
    { type: 'metrics/append', runDir: '/r', records: [{ step: 3, epoch: 0.1, time: 1.2, split: 'train', values: { loss: 0.5 } }] },
    { type: 'masks/init', protocol: 1, runs: [{ ...run(), steps: [20, 40], threshold: 0.01 }].map(({ train: _t, dev: _d, ...r }) => r) },
    { type: 'masks/snapshot', runDir: '/r', snapshot: snapshot as never },
    { type: 'run/state', runDir: '/r', state: 'failed', message: 'out of memory' },
    { type: 'run/deleted', runDir: '/r' },
    { type: 'response', requestId: 3, ok: true, result: { kind: 'save', saved: null } },
    { type: 'response', requestId: 4, ok: true, result: { kind: 'snapshot', snapshot: snapshot as never } },
    { type: 'response', requestId: 5, ok: false, error: 'no such step' },
  ];
  for (const message of messages) {
    const read = readHostMessage(message);
    assert.ok(read.ok, `${message.type}: ${read.ok ? '' : read.problem}`);
    assert.equal(read.value, message);
  }
});

test('malformed host messages are rejected with a reason naming the message and the place', () => {
  const cases: [unknown, RegExp][] = [
    [null, /not a host message \(type missing/],
    ['metrics/init', /not a host message/],
    [{ type: 'metrics/explode' }, /type "metrics\/explode".*expected one of metrics\/init/],
    [{ ...init(), protocol: 2 }, /'metrics\/init' message/],
    [{ ...init(), extra: true }, /'metrics\/init' message/],
    [{ type: 'metrics/append', runDir: '/r', records: [{ step: -1, epoch: 0, time: 0, split: 'train', values: {} }] }, /'metrics\/append'/],
    [{ type: 'metrics/append', runDir: '/r', records: [{ step: 1, epoch: 0, time: 0, split: 'test', values: {} }] }, /'metrics\/append'/],
    [{ type: 'metrics/append', runDir: '', records: [] }, /'metrics\/append'/],
    [{ type: 'masks/snapshot', runDir: '/r', snapshot: { step: 20, matrices: [{ ...snapshot.matrices[0], kept: 1.5 }] } }, /'masks\/snapshot'/],
    [{ type: 'run/state', runDir: '/r', state: 'exploded', message: null }, /'run\/state'/],
    [{ type: 'response', requestId: 1, ok: true, result: { kind: 'save', saved: 3 } }, /'response'/],
    [{ type: 'response', requestId: -1, ok: false, error: 'x' }, /'response'/],
  ];
  for (const [value, reason] of cases) {
    const read = readHostMessage(value);
    assert.equal(read.ok, false, `accepted ${JSON.stringify(value)?.slice(0, 120)}`);
    assert.match(read.ok ? '' : read.problem, reason);
  }
});

test('metric columns are checked value by value: lengths, whole ascending steps, finite numbers or null', () => {
  const bad: [Partial<MetricsColumns>, RegExp][] = [
    [{ epoch: [0.01] }, /epoch has 1 entries, step has 2/],
    [{ step: [1, 1.5] }, /step\/1: expected a whole number/],
    [{ step: [2, 1] }, /step\/1: steps must not decrease/],
    [{ time: [0.3, Number.NaN] }, /time\/1/],
    [{ values: { loss: [0.69] } }, /values\/loss has 1 entries/],
    [{ values: { loss: [0.69, Infinity] } }, /values\/loss\/1: expected a finite number or null, got Infinity/],
    [{ values: { loss: [0.69, '0.5' as never] } }, /values\/loss\/1/],
  ];
  for (const [change, reason] of bad) {
    const message = init([run({ train: { ...run().train, ...change } })]);
    const read = readHostMessage(message);
    assert.equal(read.ok, false, `accepted ${JSON.stringify(change)}`);
    assert.match(read.ok ? '' : read.problem, /^malformed 'metrics\/init' message: \/runs\/0\/train: /);
    assert.match(read.ok ? '' : read.problem, reason);
  }
  // Nulls stand for a metric a record lacks.
  assert.equal(columnsProblem({ step: [1, 2], epoch: [0, 0], time: [0, 0], values: { f1: [null, 0.5] } }), undefined);
});

test('any column set built from valid records passes; breaking one value anywhere is caught', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ gap: fc.nat(5), loss: fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: null }) }), { minLength: 1, maxLength: 40 }),
      fc.nat(),
      (rows, pick) => {
        let step = 0;
        const columns: MetricsColumns = { step: [], epoch: [], time: [], values: { loss: [] } };
        for (const r of rows) {
          step += r.gap;
          columns.step.push(step);
          columns.epoch.push(step / 10);
          columns.time.push(step * 0.3);
          columns.values.loss.push(r.loss);
        }
        assert.equal(columnsProblem(columns), undefined);
        columns.values.loss[pick % rows.length] = Number.NaN;
        assert.match(columnsProblem(columns) ?? '', new RegExp(`values/loss/${pick % rows.length}`));
      },
    ),
  );
});

test('webview messages: ready, requests and logs pass; anything else is rejected', () => {
  assert.ok(readWebviewMessage({ type: 'ready', panel: 'masks', protocol: 1 }).ok);
  assert.ok(readWebviewMessage({ type: 'request', requestId: 1, request: { kind: 'snapshot', runDir: '/r', step: 20 } }).ok);
  assert.ok(readWebviewMessage({ type: 'request', requestId: 2, request: { kind: 'save', format: 'png', suggestedName: 'loss.png', content: 'data:image/png;base64,AA' } }).ok);
  assert.ok(readWebviewMessage({ type: 'log', level: 'warning', message: 'x' }).ok);
  const rejected: unknown[] = [
    { type: 'ready', panel: 'charts', protocol: 1 },
    { type: 'ready', panel: 'metrics', protocol: 0 },
    { type: 'request', requestId: 1, request: { kind: 'snapshot', runDir: '/r', step: 2.5 } },
    { type: 'request', requestId: 1, request: { kind: 'save', format: 'exe', suggestedName: 'x', content: '' } },
    { type: 'request', requestId: 1, request: { kind: 'delete', runDir: '/r' } },
    { type: 'log', level: 'debug', message: 'x' },
    { type: 'metrics/init' },
    [],
  ];
  for (const value of rejected) {
    const read = readWebviewMessage(value);
    assert.equal(read.ok, false, `accepted ${JSON.stringify(value)}`);
    assert.match(read.ok ? '' : read.problem, /webview message|message:/);
  }
});

test('persisted panel states are checked; the run folders are recovered even from a state that fails', () => {
  const metrics = { panel: 'metrics', runDirs: ['/a', '/b'], smoothing: 0.6, xAxis: 'epoch', logScale: { loss: { x: false, y: true } }, hiddenRuns: ['/b'] };
  assert.ok(readMetricsViewState(metrics).ok);
  assert.equal(readMetricsViewState({ ...metrics, smoothing: 1 }).ok, false);
  assert.equal(readMetricsViewState({ ...metrics, xAxis: 'tokens' }).ok, false);
  const masks = { panel: 'masks', runDirs: ['/a'], run: 0, step: null, mode: 'diff-steps', baseStep: 20, baseRun: 0, fit: true, selected: 'head' };
  assert.ok(readMasksViewState(masks).ok);
  assert.equal(readMasksViewState({ ...masks, mode: 'side-by-side' }).ok, false);
  assert.equal(readMasksViewState(metrics).ok, false, 'a metrics state is no masks state');

  assert.deepEqual(runDirsOfState({ panel: 'metrics', runDirs: ['/a', 3, '', '/b'], smoothing: 'high' }), ['/a', '/b']);
  assert.deepEqual(runDirsOfState(undefined), []);
  assert.deepEqual(runDirsOfState({ runDirs: '/a' }), []);
});
