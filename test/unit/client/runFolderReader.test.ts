import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { RunStatus } from '../../../schemas/src/runRecord';
import { columnsProblem } from '../../../schemas/src/webviewMessageSchema';
import {
  listMaskSteps,
  maskThreshold,
  MetricsTail,
  readMaskSnapshot,
  readMetricsHistory,
  readPanelRun,
  shownState,
} from '../../../client/src/panels/runFolderReader';

function runFolder(t: { after(fn: () => void): void }): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'masklab-panel-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = path.join(root, 'quickstart', '20261123-130222-h4t9');
  mkdirSync(path.join(dir, 'masks'), { recursive: true });
  return dir;
}

const line = (step: number, split: 'train' | 'dev', values: Record<string, number>) => `${JSON.stringify({ step, epoch: step / 63, time: step * 0.1, split, values })}\n`;

const status = (over: Partial<RunStatus> = {}): RunStatus => ({
  schemaVersion: 1,
  run_id: '20261123-130222-h4t9',
  state: 'completed',
  pid: null,
  host: 'elsewhere',
  started_at: '2026-11-23T13:02:22.128Z',
  heartbeat: '2026-11-23T13:02:38.762Z',
  ended_at: '2026-11-23T13:02:38.697Z',
  elapsed_seconds: 16.3,
  step: 189,
  steps_total: 189,
  last_checkpoint: 189,
  resumable: false,
  message: null,
  segments: 1,
  ...over,
});

test('history as columns per split; a bad line is skipped and named; a torn last line waits for its end', (t) => {
  const dir = runFolder(t);
  const file = path.join(dir, 'metrics.jsonl');
  writeFileSync(file, line(1, 'train', { loss: 0.7, lr: 1e-3 }) + 'not json\n' + line(2, 'train', { loss: 0.69 }) + line(2, 'dev', { accuracy: 0.5 }) + '{"step":3,"epo');
  const history = readMetricsHistory(dir);
  assert.deepEqual(history.train.step, [1, 2]);
  assert.deepEqual(history.train.values, { loss: [0.7, 0.69], lr: [1e-3, null] });
  assert.deepEqual(history.dev.values, { accuracy: [0.5] });
  assert.equal(columnsProblem(history.train), undefined, 'what the panel sends passes its own check');
  assert.equal(history.problems.length, 1);
  assert.match(history.problems[0], /metrics\.jsonl:2: not JSON/);

  // The tail continues where the history stopped: the torn line once complete, then new ones.
  const tail = new MetricsTail(file, history.offset);
  assert.deepEqual(tail.read().records, []);
  appendFileSync(file, 'ch":0.05,"time":0.3,"split":"train","values":{"loss":0.68}}\n');
  assert.deepEqual(tail.read().records.map((r) => r.step), [3]);
  appendFileSync(file, line(4, 'train', { loss: Number.NaN }).replace('null', '"NaN"'));
  const bad = tail.read();
  assert.equal(bad.records.length, 0);
  assert.equal(bad.problems.length, 1, 'a record with a non-number value is refused');
  truncateSync(file, 10);
  assert.equal(tail.read().truncated, true, 'a file cut back (a resumed run) says so');
});

test('who the run is: names from config.json, state from status.json, a dead "running" trainer is interrupted', (t) => {
  const dir = runFolder(t);
  writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({ name: 'lr_sweep-1', experiment: 'lr_sweep', sweep: { name: 'lr_sweep', index: 1, cells: 4, values: { 'method.lr': 1e-3, seed: 2 } }, evaluate: { metrics: ['f1', 'accuracy'] }, method: { kind: 'mask', threshold: 0.01 } }),
  );
  writeFileSync(path.join(dir, 'status.json'), JSON.stringify(status({ state: 'failed', message: 'out of memory; lower train.batch' })));
  const run = readPanelRun(dir);
  assert.equal(run.name, 'lr_sweep-1');
  assert.equal(run.experiment, 'lr_sweep');
  assert.deepEqual(run.sweep, { name: 'lr_sweep', index: 1, cells: 4, values: { 'method.lr': 1e-3, seed: 2 } });
  assert.equal(run.primaryMetric, 'f1');
  assert.equal(run.state, 'failed');
  assert.equal(run.message, 'out of memory; lower train.batch');
  assert.equal(maskThreshold(dir), 0.01);

  const now = new Date('2026-11-23T13:10:00Z');
  assert.equal(shownState(status({ state: 'running', heartbeat: '2026-11-23T13:09:30Z' }), now), 'running', 'a fresh heartbeat from another host');
  assert.equal(shownState(status({ state: 'running', heartbeat: '2026-11-23T13:02:00Z' }), now), 'interrupted', 'a stale one');
  assert.equal(shownState(status({ state: 'running', pid: 2 ** 22 + 12345, host: os.hostname(), heartbeat: now.toISOString() }), now), 'interrupted', 'no such process here');
  assert.equal(shownState(status({ state: 'running', pid: process.pid, host: os.hostname(), heartbeat: '2026-01-01T00:00:00Z' }), now), 'running');
});

test('a deleted run folder reads as missing, with nothing thrown', (t) => {
  const dir = runFolder(t);
  rmSync(dir, { recursive: true });
  const run = readPanelRun(dir);
  assert.equal(run.state, 'missing');
  assert.match(run.message ?? '', /does not exist/);
  assert.equal(run.name, '20261123-130222-h4t9');
  assert.deepEqual(readMetricsHistory(dir).train.step, []);
  assert.deepEqual(listMaskSteps(dir), []);
  assert.match((readMaskSnapshot(dir, 20) as { problem: string }).problem, /does not exist \(was the run deleted/);
});

test('mask snapshots: steps listed numerically, each file checked and matched to its step', (t) => {
  const dir = runFolder(t);
  const snapshot = (step: number, kept = 0.95) => ({
    step,
    matrices: [{ name: 'head', block: null, matrix: 'head', shape: [2, 64], kept, image: { width: 2, height: 1, data: '/wA=' } }],
  });
  for (const step of [100, 20, 40]) writeFileSync(path.join(dir, 'masks', `step-${step}.json`), JSON.stringify(snapshot(step)));
  writeFileSync(path.join(dir, 'masks', 'step-60.json.tmp-123'), '{');
  writeFileSync(path.join(dir, 'masks', 'step-80.json'), JSON.stringify(snapshot(81)));
  writeFileSync(path.join(dir, 'masks', 'step-90.json'), JSON.stringify(snapshot(90, 1.5)));
  assert.deepEqual(listMaskSteps(dir), [20, 40, 80, 90, 100]);
  assert.equal((readMaskSnapshot(dir, 40) as { snapshot: { step: number } }).snapshot.step, 40);
  assert.match((readMaskSnapshot(dir, 80) as { problem: string }).problem, /holds step 81, not 80/);
  assert.match((readMaskSnapshot(dir, 90) as { problem: string }).problem, /step-90\.json: .*kept/);
});
