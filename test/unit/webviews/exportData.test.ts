import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PanelRun } from '../../../schemas/src/webviewMessages';
import type { ExportRun } from '../../../webviews/src/metrics/exportData';
import { csvField, exportName, toCsv, toJson } from '../../../webviews/src/metrics/exportData';

const run = (name: string, runId: string): PanelRun => ({
  runDir: `/runs/${name}/${runId}`,
  runId,
  name,
  experiment: name,
  state: 'completed',
  message: null,
  sweep: null,
  primaryMetric: 'accuracy',
});

const runs: ExportRun[] = [
  {
    run: run('quick,start', '20261123-101502-k3x9'),
    records: [
      { step: 1, epoch: 0.1, time: 0.5, split: 'train', values: { loss: 0.7 } },
      { step: 20, epoch: 2, time: 9, split: 'dev', values: { loss: 0.6, accuracy: 0.75 } },
    ],
  },
  { run: run('other', '20261123-111111-abcd'), records: [{ step: 1, epoch: 0.1, time: 0.4, split: 'train', values: { lr: 1e-3 } }] },
];

test('CSV: one row per record, one column per metric of any run, empty where a record lacks it', () => {
  const lines = toCsv(runs).trimEnd().split('\n');
  assert.equal(lines[0], 'run,run_id,split,step,epoch,time,accuracy,loss,lr');
  assert.equal(lines[1], '"quick,start",20261123-101502-k3x9,train,1,0.1,0.5,,0.7,');
  assert.equal(lines[2], '"quick,start",20261123-101502-k3x9,dev,20,2,9,0.75,0.6,');
  assert.equal(lines[3], 'other,20261123-111111-abcd,train,1,0.1,0.4,,,0.001');
});

test('CSV fields with quotes or line breaks are quoted, numbers keep full precision', () => {
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(0.1 + 0.2), '0.30000000000000004');
  assert.equal(csvField(undefined), '');
});

test('JSON: the runs with their records as metrics.jsonl has them', () => {
  const parsed = JSON.parse(toJson(runs, new Date('2026-11-23T10:00:00Z')));
  assert.equal(parsed.exported_at, '2026-11-23T10:00:00.000Z');
  assert.equal(parsed.runs.length, 2);
  assert.equal(parsed.runs[0].run_dir, '/runs/quick,start/20261123-101502-k3x9');
  assert.deepEqual(parsed.runs[0].metrics[1], runs[0].records[1]);
});

test('file names: the run for one, a count for several, never a path separator', () => {
  assert.equal(exportName([{ name: 'a/b', runId: 'x' }], 'csv'), 'a_b-x.csv');
  assert.equal(exportName([{ name: 'a', runId: 'x' }, { name: 'b', runId: 'y' }], 'json'), 'masklab-2-runs.json');
});
