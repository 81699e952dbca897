import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initializationOptionsFrom, readChartSmoothing, type SettingGetter } from '../../../client/src/settings';

const settings = (values: Record<string, unknown>): SettingGetter => (key) => values[key];

test('the server is started with the run directory and backend the user chose', () => {
  assert.deepEqual(initializationOptionsFrom(settings({ 'runs.directory': ' runs/here ', 'trainer.backend': 'wasm' })), {
    runsDirectory: 'runs/here',
    trainerBackend: 'wasm',
    workspaceTrusted: true,
  });
});

test('unset or invalid settings fall back to the defaults', () => {
  assert.deepEqual(initializationOptionsFrom(settings({})), { runsDirectory: '', trainerBackend: 'auto', workspaceTrusted: true });
  assert.deepEqual(initializationOptionsFrom(settings({ 'runs.directory': 5, 'trainer.backend': 'cuda' })), {
    runsDirectory: '',
    trainerBackend: 'auto',
    workspaceTrusted: true,
  });
});

test('an untrusted workspace is said to the server, which then refuses to train', () => {
  assert.equal(initializationOptionsFrom(settings({}), false).workspaceTrusted, false);
});

test('chart smoothing is clamped to [0, 0.99]', () => {
  assert.equal(readChartSmoothing(settings({})), 0.6);
  assert.equal(readChartSmoothing(settings({ 'charts.smoothing': 0.3 })), 0.3);
  assert.equal(readChartSmoothing(settings({ 'charts.smoothing': 1 })), 0.99);
  assert.equal(readChartSmoothing(settings({ 'charts.smoothing': -2 })), 0);
  assert.equal(readChartSmoothing(settings({ 'charts.smoothing': Number.NaN })), 0.6);
});
