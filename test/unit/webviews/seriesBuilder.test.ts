import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricsRecord } from '../../../schemas/src/runRecord';
import type { MetricsRunHistory } from '../../../schemas/src/webviewMessages';
import { seedGroups } from '../../../webviews/src/metrics/aggregation';
import { chartGroups } from '../../../webviews/src/metrics/metricGroups';
import { MetricsStore } from '../../../webviews/src/metrics/metricsStore';
import { runLabel, SeriesBuilder, type BuildOptions } from '../../../webviews/src/metrics/seriesBuilder';

function run(runDir: string, losses: number[], sweep: MetricsRunHistory['sweep'] = null): MetricsRunHistory {
  const steps = losses.map((_, i) => i + 1);
  return {
    runDir,
    runId: `20261123-101502-${runDir.slice(-4)}`,
    name: sweep ? `${sweep.name}-${sweep.index}` : 'quickstart',
    experiment: 'quickstart',
    state: 'completed',
    message: null,
    sweep,
    primaryMetric: null,
    train: { step: steps, epoch: steps.map((s) => s / 10), time: steps.map((s) => s * 2), values: { loss: losses } },
    dev: { step: [], epoch: [], time: [], values: {} },
  };
}

const options = (store: MetricsStore, change: Partial<BuildOptions> = {}): BuildOptions => ({
  xAxis: 'step',
  smoothing: 0.5,
  buckets: 100,
  logX: false,
  visible: new Set(store.order),
  groups: seedGroups(store.all().map((s) => s.run)),
  ...change,
});

const lossGroup = (store: MetricsStore) => chartGroups(store.presentMetrics()).find((g) => g.id === 'loss')!;

test('one run: a smoothed line over the raw min/max envelope; no envelope without smoothing', () => {
  const store = new MetricsStore();
  store.reset([run('/r/aaaa', [4, 2, 3, 1])]);
  const builder = new SeriesBuilder(store);
  const [drawable] = builder.build(lossGroup(store), options(store));
  assert.deepEqual(drawable.line.x, [1, 2, 3, 4]);
  assert.equal(drawable.line.y[0], 4, 'debiased: starts at the raw value');
  assert.ok(drawable.line.y[1] > 2 && drawable.line.y[1] < 4, 'smoothed towards the previous value');
  assert.equal(drawable.band?.kind, 'envelope');
  assert.deepEqual(drawable.band?.low, [4, 2, 3, 1]);
  const [raw] = builder.build(lossGroup(store), options(store, { smoothing: 0 }));
  assert.deepEqual(raw.line.y, [4, 2, 3, 1]);
  assert.equal(raw.band, undefined);
});

test('x follows the chosen axis', () => {
  const store = new MetricsStore();
  store.reset([run('/r/aaaa', [1, 2])]);
  const [drawable] = new SeriesBuilder(store).build(lossGroup(store), options(store, { xAxis: 'time' }));
  assert.deepEqual(drawable.line.x, [2, 4]);
});

test('sweep cells that differ only in seed are drawn once: mean line and ± std band', () => {
  const store = new MetricsStore();
  const sweep = (index: number, seed: number) => ({ name: 'seeds', index, cells: 2, values: { 'train.seed': seed } });
  store.reset([run('/r/aaaa', [1, 1, 1], sweep(0, 1)), run('/r/bbbb', [3, 3, 3], sweep(1, 2)), run('/r/cccc', [9, 9, 9])]);
  const drawables = new SeriesBuilder(store).build(lossGroup(store), options(store, { smoothing: 0 }));
  assert.equal(drawables.length, 2, 'the group and the lone run');
  const [group, lone] = drawables;
  assert.match(group.label, /mean of 2/);
  assert.deepEqual(group.line.y, [2, 2, 2]);
  assert.equal(group.band?.kind, 'std');
  assert.ok(Math.abs(group.band!.high[0] - (2 + Math.SQRT2)) < 1e-12);
  assert.ok(Math.abs(group.band!.low[0] - (2 - Math.SQRT2)) < 1e-12);
  assert.equal(lone.label, `${runLabel(store.get('/r/cccc')!)} · train loss`);
  assert.notEqual(group.colorIndex, lone.colorIndex);
});

test('unticked runs are left out; a live append is drawn on the next build', () => {
  const store = new MetricsStore();
  store.reset([run('/r/aaaa', [1, 2]), run('/r/bbbb', [5, 6])]);
  const builder = new SeriesBuilder(store);
  assert.equal(builder.build(lossGroup(store), options(store, { visible: new Set(['/r/bbbb']) })).length, 1);
  const record: MetricsRecord = { step: 3, epoch: 0.3, time: 6, split: 'train', values: { loss: 0.5 } };
  builder.build(lossGroup(store), options(store));
  store.append('/r/aaaa', [record]);
  const [first] = builder.build(lossGroup(store), options(store, { smoothing: 0 }));
  assert.deepEqual(first.line.x, [1, 2, 3]);
});

test('100,000 steps are drawn from about a bucket’s worth of points', () => {
  const store = new MetricsStore();
  store.reset([run('/r/aaaa', Array.from({ length: 100_000 }, (_, i) => Math.exp(-i / 20_000) + (i % 7) * 0.01))]);
  const [drawable] = new SeriesBuilder(store).build(lossGroup(store), options(store, { buckets: 600 }));
  assert.ok(drawable.line.x.length <= 2400, `${drawable.line.x.length} line points`);
  assert.ok(drawable.band!.x.length <= 600, `${drawable.band!.x.length} band points`);
});

test('a series extended by live appends draws as if built from its whole history; a resume starts it over', () => {
  const losses = Array.from({ length: 3_000 }, (_, i) => Math.exp(-i / 700) + ((i * 7919) % 13) * 0.01);
  const whole = new MetricsStore();
  whole.reset([run('/r/aaaa', losses)]);
  const expected = new SeriesBuilder(whole).build(lossGroup(whole), options(whole, { buckets: 200 }));

  const live = new MetricsStore();
  live.reset([run('/r/aaaa', losses.slice(0, 1_000))]);
  const builder = new SeriesBuilder(live);
  builder.build(lossGroup(live), options(live, { buckets: 200 }));
  for (let i = 1_000; i < losses.length; i += 250) {
    live.append('/r/aaaa', losses.slice(i, i + 250).map((loss, k) => ({ step: i + k + 1, epoch: (i + k + 1) / 10, time: (i + k + 1) * 2, split: 'train' as const, values: { loss } })));
    builder.build(lossGroup(live), options(live, { buckets: 200 }));
  }
  const [got] = builder.build(lossGroup(live), options(live, { buckets: 200 }));
  assert.deepEqual(got.line.x, expected[0].line.x);
  got.line.y.forEach((y, i) => assert.ok(Math.abs(y - expected[0].line.y[i]) < 1e-12, `at ${i}`));
  assert.deepEqual(got.band, expected[0].band);

  // A resumed run logs step 101 again: everything after it is replaced, and drawn so.
  live.append('/r/aaaa', [{ step: 101, epoch: 10.1, time: 202, split: 'train', values: { loss: 5 } }]);
  const [resumed] = builder.build(lossGroup(live), options(live, { buckets: 200, smoothing: 0 }));
  assert.equal(resumed.line.x.at(-1), 101);
  assert.equal(resumed.line.y.at(-1), 5);
});
