// The Runs view's data: reading run stores (CLI runs included, crashed trainers shown as
// interrupted, best metric from the summary or from metrics.jsonl read incrementally) and the tree
// of experiments → runs with icons, descriptions and the menu tokens.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { MetricsBestCache, scanRunStore } from '../../../client/src/runs/runStoreScan';
import { buildRunsTree, selectedRuns } from '../../../client/src/runs/runsTree';

let store: string;
beforeEach(() => (store = fs.mkdtempSync(path.join(os.tmpdir(), 'masklab-runs-view-'))));
afterEach(() => fs.rmSync(store, { recursive: true, force: true }));

interface RunSpec {
  group: string;
  runId: string;
  status?: Record<string, unknown> | string;
  summary?: Record<string, unknown>;
  metrics?: string[];
  sweepIndex?: number;
  primary?: string;
}

function writeRun(spec: RunSpec): string {
  const dir = path.join(store, spec.group, spec.runId);
  fs.mkdirSync(dir, { recursive: true });
  const name = spec.sweepIndex === undefined ? spec.group : `${spec.group}-${spec.sweepIndex}`;
  const config = { name, experiment: 'base', sweep: spec.sweepIndex === undefined ? undefined : { name: spec.group, index: spec.sweepIndex }, evaluate: { metrics: [spec.primary ?? 'accuracy'] } };
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  if (spec.status !== undefined) {
    const status = typeof spec.status === 'string' ? spec.status : JSON.stringify({ state: 'completed', pid: null, host: 'here', step: 100, steps_total: 100, elapsed_seconds: 46, started_at: '2025-01-01T00:00:00Z', heartbeat: '2025-01-01T00:00:46Z', resumable: false, message: null, ...spec.status });
    fs.writeFileSync(path.join(dir, 'status.json'), status);
  }
  if (spec.summary) fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(spec.summary));
  if (spec.metrics) fs.writeFileSync(path.join(dir, 'metrics.jsonl'), spec.metrics.join('\n'));
  return dir;
}

const dev = (step: number, values: Record<string, number>) => JSON.stringify({ step, epoch: step / 10, time: step, split: 'dev', values });
const train = (step: number) => JSON.stringify({ step, epoch: step / 10, time: step, split: 'train', values: { loss: 0.5, accuracy: 0.99 } });
const NOW = Date.parse('2025-01-01T00:01:00Z');
const scan = () => scanRunStore(store, { host: 'here', now: NOW, isAlive: (pid) => pid === 4242 });

test('runs read with their state, best metric and duration; crashed trainers show as interrupted', () => {
  writeRun({ group: 'quickstart', runId: '20250101-000000-aaaa', status: {}, summary: { primary_metric: 'accuracy', best: { step: 80, accuracy: 0.8312 }, duration_seconds: 47.2 } });
  writeRun({ group: 'quickstart', runId: '20250102-000000-bbbb', status: { state: 'running', pid: 4242, step: 42, elapsed_seconds: 20 }, metrics: [train(10), dev(20, { accuracy: 0.61 }), dev(40, { accuracy: 0.7 }), train(41), '{"step": 42, "spl'] });
  writeRun({ group: 'quickstart', runId: '20250103-000000-cccc', status: { state: 'running', pid: 999, step: 10 } });
  writeRun({ group: 'quickstart', runId: '20250104-000000-dddd', status: { state: 'running', pid: 1, host: 'elsewhere', heartbeat: '2025-01-01T00:00:50Z' } });
  writeRun({ group: 'quickstart', runId: '20250105-000000-eeee', status: { state: 'running', pid: 1, host: 'elsewhere', heartbeat: '2024-12-31T00:00:00Z' } });
  writeRun({ group: 'quickstart', runId: '20250106-000000-ffff', status: '{ torn' });
  fs.mkdirSync(path.join(store, 'quickstart', 'not-a-run'));

  const runs = scan();
  assert.deepEqual(
    runs.map((r) => [r.runId.slice(-4), r.state, r.best?.value ?? null]),
    [['ffff', 'unknown', null], ['eeee', 'interrupted', null], ['dddd', 'running', null], ['cccc', 'interrupted', null], ['bbbb', 'running', 0.7], ['aaaa', 'completed', 0.8312]],
  );
  const completed = runs.at(-1)!;
  assert.equal(completed.durationSeconds, 47.2, 'the summary has the exact duration');
  assert.deepEqual(completed.best, { metric: 'accuracy', value: 0.8312, step: 80 });
  assert.equal(runs.find((r) => r.runId.endsWith('cccc'))?.resumable, true, 'an interrupted run can be resumed');
  assert.match(runs[0].problems.join(), /status\.json/);
});

test('the best dev value is read incrementally from a growing metrics.jsonl; a file cut back (resume) is read again', () => {
  const dir = writeRun({ group: 'q', runId: 'r', status: {}, metrics: [dev(10, { f1: 0.2 }), dev(20, { f1: 0.5 })], primary: 'f1' });
  const file = path.join(dir, 'metrics.jsonl');
  const cache = new MetricsBestCache();
  assert.deepEqual(cache.best(file, 'f1'), { value: 0.5, step: 20 });
  fs.appendFileSync(file, '\n' + dev(30, { f1: 0.4 }).slice(0, 20));
  assert.deepEqual(cache.best(file, 'f1'), { value: 0.5, step: 20 }, 'a half-written line is not read yet');
  fs.appendFileSync(file, dev(30, { f1: 0.4 }).slice(20) + '\n' + dev(40, { f1: 0.9 }) + '\n');
  assert.deepEqual(cache.best(file, 'f1'), { value: 0.9, step: 40 }, 'the completed line and the new one are read');
  fs.writeFileSync(file, dev(10, { f1: 0.3 }) + '\n');
  assert.deepEqual(cache.best(file, 'f1'), { value: 0.3, step: 10 });
  fs.rmSync(file);
  assert.equal(cache.best(file, 'f1'), null);
});

test('the tree: experiments (newest activity first) → runs newest first, with icons, descriptions and menu tokens', () => {
  writeRun({ group: 'quickstart', runId: '20250101-000000-aaaa', status: {}, summary: { primary_metric: 'accuracy', best: { step: 80, accuracy: 0.83 }, duration_seconds: 46 } });
  writeRun({ group: 'quickstart', runId: '20250102-000000-bbbb', status: { state: 'cancelled', step: 40, resumable: true, elapsed_seconds: 20 } });
  writeRun({ group: 'seeds', runId: '20250103-000000-cccc-cell2', sweepIndex: 2, status: { state: 'failed', step: 7, message: 'the loss became NaN', elapsed_seconds: 3 } });
  writeRun({ group: 'seeds', runId: '20250104-000000-dddd-cell0', sweepIndex: 0, status: { state: 'running', pid: 4242, step: 10, steps_total: 100, elapsed_seconds: 5 } });

  const live = (runId: string) =>
    runId.endsWith('dddd-cell0')
      ? { active: true, progress: { type: 'progress' as const, runId, step: 64, stepsTotal: 100, epoch: 1, stepsPerSecond: 3, examplesPerSecond: 90, elapsedSeconds: 21, etaSeconds: 12 } }
      : undefined;
  const tree = buildRunsTree([{ runsDir: store, runs: scan() }], live);
  assert.deepEqual(tree.map((g) => [g.label, g.description]), [
    ['seeds', '2 runs · 1 running'],
    ['quickstart', '2 runs · best accuracy 0.8300'],
  ]);
  const rows = tree.flatMap((g) => g.runs.map((r) => [r.label, r.description, r.icon.id, r.contextValue]));
  assert.deepEqual(rows, [
    ['20250104-000000-dddd-cell0', 'cell 0 · 64% · 0:21', 'sync~spin', 'masklabRun running active'],
    ['20250103-000000-cccc-cell2', 'cell 2 · failed at 7/100 · 0:03', 'error', 'masklabRun failed'],
    ['20250102-000000-bbbb', 'cancelled at 40/100 · 0:20', 'circle-slash', 'masklabRun cancelled resumable'],
    ['20250101-000000-aaaa', 'accuracy 0.8300 · 0:46', 'pass', 'masklabRun completed evaluable'],
  ]);
  const failed = tree[0].runs[1];
  assert.match(failed.tooltip, /why: the loss became NaN/);
  assert.equal(failed.icon.color, 'testing.iconFailed', 'icons take theme colours');
  assert.equal(failed.parentId, tree[0].id);

  // The Runs view's selection: an experiment stands for its runs, duplicates collapse.
  assert.deepEqual(selectedRuns([tree[1], tree[1].runs[0]]).map((r) => r.runId), ['20250102-000000-bbbb', '20250101-000000-aaaa']);
});

test('the same experiment in two run stores is told apart by its store', () => {
  writeRun({ group: 'quickstart', runId: '20250101-000000-aaaa', status: {} });
  const other = fs.mkdtempSync(path.join(os.tmpdir(), 'masklab-runs-other-'));
  try {
    const otherRun = path.join(other, 'quickstart', '20250109-000000-zzzz');
    fs.mkdirSync(otherRun, { recursive: true });
    fs.writeFileSync(path.join(otherRun, 'config.json'), JSON.stringify({ name: 'quickstart', evaluate: { metrics: ['accuracy'] } }));
    const tree = buildRunsTree([
      { runsDir: store, runs: scan() },
      { runsDir: other, runs: scanRunStore(other) },
    ]);
    assert.deepEqual(tree.map((g) => g.label), ['quickstart', 'quickstart']);
    assert.ok(tree[0].description.endsWith(other) && tree[1].description.endsWith(store), tree.map((g) => g.description).join(' | '));
    assert.notEqual(tree[0].id, tree[1].id);
  } finally {
    fs.rmSync(other, { recursive: true, force: true });
  }
});
