// The editor's run requests against a fake run manager: what is started (config, store, backend),
// what is refused (errors, untrusted workspace, finished or busy runs), what reaches the client
// (every message, then `ended`), cancel, shutdown, and the run-store lookups of Evaluate and
// "Open last run" over a scratch run store.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExperimentConfig } from '../../../schemas/src/experimentConfig';
import { readRunEvent } from '../../../schemas/src/runEventSchema';
import type { RunEvent } from '../../../schemas/src/runNotifications';
import type { RunStatus } from '../../../schemas/src/runRecord';
import type { TrainerMessage } from '../../../schemas/src/trainerMessages';
import { FileSystemModelKnowledge } from '../../../server/src/checkpoint/modelKnowledge';
import { DocumentStore, type AnalysedDocument } from '../../../server/src/lsp/documentStore';
import { RunRequests, type Evaluator, type RunStarter, type StartedRun } from '../../../server/src/lsp/runRequests';
import { settingsFromChange, settingsFromInitialization } from '../../../server/src/lsp/runSettings';
import type { RunEnd, RunEvents, StartRunRequest } from '../../../server/src/runs/runManager';
import { examplesDir } from '../../support/repoRoot';

const MODEL = path.join(examplesDir, 'models', 'tiny-random');
const DATA = path.join(examplesDir, 'data', 'sentiment');

/** A quickstart-like file with absolute paths, so it analyses wherever the test puts it. */
function experimentText(extra = ''): string {
  return `experiment quick {
  model "${MODEL}"
  task tsv { data "${DATA}"  text "sentence"  label "label"  max_length 16 }
  method mask { threshold 0.01  lr 1e-3 }
  train { epochs 1  batch 8  seed 1 }
  evaluate { every 4 steps  metrics accuracy }
${extra}}
sweep seeds of quick {
  train.seed 1, 2, 3
}
`;
}

class FakeRun implements StartedRun {
  readonly listeners: { [K in keyof RunEvents]: Set<(value: RunEvents[K]) => void> } = { message: new Set(), 'protocol-error': new Set(), end: new Set() };
  cancelled = 0;
  constructor(
    readonly runId: string,
    readonly dir: string,
  ) {}
  on<K extends keyof RunEvents>(event: K, listener: (value: RunEvents[K]) => void): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }
  emit<K extends keyof RunEvents>(event: K, value: RunEvents[K]): void {
    for (const l of [...this.listeners[event]]) l(value);
  }
  cancel(): void {
    this.cancelled++;
  }
}

class FakeManager implements RunStarter {
  readonly requests: StartRunRequest[] = [];
  readonly runs: FakeRun[] = [];
  start(request: StartRunRequest): StartedRun {
    this.requests.push(request);
    const runId = `run-${this.runs.length + 1}`;
    const dir = 'resumeDir' in request ? request.resumeDir : path.join(request.runsDir, request.config.experiment, runId);
    const run = new FakeRun('resumeDir' in request ? path.basename(request.resumeDir) : runId, dir);
    this.runs.push(run);
    return run;
  }
}

interface Harness {
  requests: RunRequests;
  manager: FakeManager;
  events: RunEvent[];
  logs: string[];
  evaluated: string[];
  lensRefreshes: number;
  uri: string;
  runsDir: string;
  setText(text: string): void;
}

let scratch: string;
beforeEach(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'masklab-run-requests-'))));
afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

function harness(options: { initialization?: object; evaluate?: Evaluator; text?: string } = {}): Harness {
  const file = path.join(scratch, 'project', 'exp.masklab');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let text = options.text ?? experimentText();
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const store = new DocumentStore(new FileSystemModelKnowledge());
  let version = 1;
  const manager = new FakeManager();
  const h: Harness = {
    manager,
    events: [],
    logs: [],
    evaluated: [],
    lensRefreshes: 0,
    uri,
    runsDir: path.join(scratch, 'runs'),
    setText: (t) => {
      text = t;
      version++;
    },
    requests: undefined as unknown as RunRequests,
  };
  h.requests = new RunRequests({
    document: (u): AnalysedDocument | undefined => (u === uri ? store.get(uri, version, text) : undefined),
    workspaceFolder: () => path.join(scratch, 'project'),
    manager,
    evaluate:
      options.evaluate ??
      (async (runDir) => {
        h.evaluated.push(runDir);
        return { runDir, metrics: { accuracy: 0.75 }, recorded: null, identical: false };
      }),
    notify: (event) => h.events.push(event),
    log: (line) => h.logs.push(line),
    activeRunsChanged: () => h.lensRefreshes++,
  });
  h.requests.configure({ runsDirectory: h.runsDir, trainerBackend: 'auto', workspaceTrusted: true, ...options.initialization });
  return h;
}

function startedConfig(h: Harness, i = 0): ExperimentConfig {
  const request = h.manager.requests[i];
  assert.ok(request && 'config' in request, `start request ${i} carries a config`);
  return request.config;
}

/** A run folder in the scratch store, as the trainer leaves it. */
function makeRun(runsDir: string, group: string, runId: string, config: ExperimentConfig, status: Partial<RunStatus>): string {
  const dir = path.join(runsDir, group, runId);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  const full: RunStatus = {
    schemaVersion: 1, run_id: runId, state: 'completed', pid: null, host: os.hostname(), started_at: '2025-01-01T00:00:00.000Z',
    heartbeat: '2025-01-01T00:00:10.000Z', ended_at: '2025-01-01T00:00:10.000Z', elapsed_seconds: 10, step: 8, steps_total: 8,
    last_checkpoint: 8, resumable: false, message: null, segments: 1, ...status,
  };
  fs.writeFileSync(path.join(dir, 'status.json'), JSON.stringify(full));
  return dir;
}

const END: RunEnd = { state: 'completed', step: 8, message: null, exitCode: 0, signal: null, summary: undefined, resumable: false };

describe('run requests', () => {
  test('Train resolves the experiment and starts it in the configured run store', () => {
    const h = harness();
    const result = h.requests.train({ uri: h.uri, experiment: 'quick' });
    assert.ok(!('error' in result), JSON.stringify(result));
    assert.equal(result.runId, 'run-1');
    const request = h.manager.requests[0];
    assert.ok('runsDir' in request);
    assert.equal(request.runsDir, h.runsDir);
    const config = startedConfig(h);
    assert.equal(config.experiment, 'quick');
    assert.equal(config.train.seed, 1);
    assert.equal(config.device.backend, 'auto', 'the default setting leaves the backend alone');
    assert.equal(h.lensRefreshes, 1, 'the lenses are refreshed so Train becomes Cancel');
    assert.deepEqual(h.requests.activeRunsOf(h.uri, 'quick'), [{ runId: 'run-1' }]);
  });

  test('a sweep cell trains with its cell values; without an index it is refused', () => {
    const h = harness();
    const result = h.requests.train({ uri: h.uri, experiment: 'seeds', index: 2 });
    assert.ok(!('error' in result), JSON.stringify(result));
    assert.equal(startedConfig(h).train.seed, 3);
    assert.equal(startedConfig(h).sweep?.index, 2);
    assert.deepEqual(h.requests.activeRunsOf(h.uri, 'seeds'), [{ runId: 'run-1', index: 2 }]);
    const refused = h.requests.train({ uri: h.uri, experiment: 'seeds' });
    assert.ok('error' in refused);
    assert.match(refused.error, /sweep/);
    assert.equal(h.manager.requests.length, 1);
  });

  test('the backend setting applies only where the experiment says auto', () => {
    const h = harness({ initialization: { trainerBackend: 'cpu' } });
    h.requests.train({ uri: h.uri, experiment: 'quick' });
    assert.equal(startedConfig(h).device.backend, 'cpu');
    h.setText(experimentText('  device { backend wasm }\n'));
    h.requests.train({ uri: h.uri, experiment: 'quick' });
    assert.equal(startedConfig(h, 1).device.backend, 'wasm', 'an explicit backend wins over the setting');
    h.requests.configurationChanged({ masklab: { trainer: { backend: 'auto' } } });
    h.setText(experimentText());
    h.requests.train({ uri: h.uri, experiment: 'quick' });
    assert.equal(startedConfig(h, 2).device.backend, 'auto', 'a changed setting applies to the next run');
  });

  test('an experiment with errors never starts a trainer: the answer lists them with file:line:column', () => {
    const h = harness({ text: experimentText().replace('lr 1e-3', 'lr 1e-3\n    learning_rat 3') });
    const result = h.requests.train({ uri: h.uri, experiment: 'quick' });
    assert.ok('error' in result);
    assert.match(result.error, /^'quick' was not started: 1 error/);
    assert.match(result.error, /^exp\.masklab:5:5: .*learning_rat/m);
    assert.equal(h.manager.requests.length, 0);
    const unknown = h.requests.train({ uri: h.uri, experiment: 'quik' });
    assert.ok('error' in unknown);
    assert.match(unknown.error, /quick/, 'an unknown name gets the did-you-mean');
  });

  test('nothing trains or evaluates in an untrusted workspace until trust is granted', async () => {
    const h = harness({ initialization: { workspaceTrusted: false } });
    const refused = h.requests.train({ uri: h.uri, experiment: 'quick' });
    assert.ok('error' in refused);
    assert.match(refused.error, /untrusted workspace/);
    const evaluation = await h.requests.evaluate({ runDir: scratch });
    assert.ok('error' in evaluation && /untrusted/.test(evaluation.error));
    assert.equal(h.manager.requests.length, 0);
    assert.equal(h.evaluated.length, 0);
    h.requests.configurationChanged({ masklab: { runs: { directory: h.runsDir } } });
    assert.equal(h.requests.currentSettings.workspaceTrusted, false, 'a settings change does not grant trust');
    h.requests.trustGranted();
    assert.ok(!('error' in h.requests.train({ uri: h.uri, experiment: 'quick' })));
  });

  test('every trainer message reaches the client in order, then `ended` with the log file; protocol errors are only logged', () => {
    const h = harness();
    const started = h.requests.train({ uri: h.uri, experiment: 'quick' });
    assert.ok(!('error' in started));
    const run = h.manager.runs[0];
    const messages: TrainerMessage[] = [
      { type: 'started', runId: run.runId, backend: { name: 'wasm', device: 'CPU', detail: 'wasm (SIMD, 1 thread)' }, parameters: 10, trainable: 5, stepsTotal: 8, epochs: 1, examples: { train: 64, dev: 16 } },
      { type: 'progress', runId: run.runId, step: 4, stepsTotal: 8, epoch: 0.5, stepsPerSecond: 2, examplesPerSecond: 16, elapsedSeconds: 2, etaSeconds: 2 },
      { type: 'metrics', runId: run.runId, step: 4, epoch: 0.5, time: 2, split: 'dev', values: { accuracy: 0.5 } },
      { type: 'finished', runId: run.runId, outcome: 'completed', step: 8 },
    ];
    for (const m of messages) run.emit('message', m);
    run.emit('protocol-error', { problem: 'not a trainer message' });
    run.emit('end', END);
    assert.deepEqual(h.events.map((e) => e.event.type), ['started', 'progress', 'metrics', 'finished', 'ended']);
    for (const event of h.events) {
      assert.deepEqual(event.origin, { uri: h.uri, experiment: 'quick' });
      assert.equal(event.runDir, started.runDir);
      const checked = readRunEvent(event);
      assert.ok(checked.ok, checked.ok ? '' : checked.problem);
    }
    const ended = h.events[4].event;
    assert.equal(ended.type, 'ended');
    if (ended.type === 'ended') {
      assert.equal(ended.state, 'completed');
      assert.equal(ended.logFile, path.join(started.runDir, 'trainer.log'));
    }
    assert.ok(h.logs.some((l) => l.includes('not a trainer message')));
    assert.deepEqual(h.requests.activeRunsOf(h.uri, 'quick'), [], 'an ended run is no longer active');
    assert.equal(h.lensRefreshes, 2);
    run.emit('message', messages[1]);
    assert.equal(h.events.length, 5, 'nothing is relayed after the end');
  });

  test('Cancel stops the run it names; shutdown cancels every run still training', () => {
    const h = harness();
    h.requests.train({ uri: h.uri, experiment: 'quick' });
    h.requests.train({ uri: h.uri, experiment: 'seeds', index: 0 });
    const [first, second] = h.manager.runs;
    assert.deepEqual(h.requests.cancel({ runId: first.runId }), { cancelled: true });
    assert.equal(first.cancelled, 1);
    assert.equal(second.cancelled, 0);
    const unknown = h.requests.cancel({ runId: 'nope' });
    assert.ok('error' in unknown && /not being trained by this editor/.test(unknown.error));
    assert.ok('error' in h.requests.cancel({}));
    first.emit('end', { ...END, state: 'cancelled', resumable: true });
    h.requests.dispose();
    assert.equal(first.cancelled, 1, 'an ended run is not cancelled again');
    assert.equal(second.cancelled, 1);
  });

  test('Open last run finds the newest run of the experiment or cell, Evaluate the newest completed one', async () => {
    const h = harness();
    h.requests.train({ uri: h.uri, experiment: 'quick' });
    const config = startedConfig(h);
    h.requests.train({ uri: h.uri, experiment: 'seeds', index: 1 });
    const cell = startedConfig(h, 1);
    const completed = makeRun(h.runsDir, 'quick', '20250101-000000-aaaa', config, {});
    const failed = makeRun(h.runsDir, 'quick', '20250102-000000-bbbb', config, { state: 'failed', message: 'NaN' });
    const cellRun = makeRun(h.runsDir, 'seeds', '20250103-000000-cccc-cell1', cell, {});
    makeRun(h.runsDir, 'seeds', '20250104-000000-dddd-cell0', { ...cell, sweep: { ...cell.sweep!, index: 0 } }, {});

    assert.deepEqual(h.requests.lastRun({ uri: h.uri, experiment: 'quick' }), { runDir: failed });
    assert.deepEqual(h.requests.lastRun({ uri: h.uri, experiment: 'seeds', index: 1 }), { runDir: cellRun });
    const none = h.requests.lastRun({ uri: h.uri, experiment: 'seeds', index: 2 });
    assert.ok('error' in none && none.error.includes(h.runsDir));

    const evaluation = await h.requests.evaluate({ uri: h.uri, experiment: 'quick' });
    assert.deepEqual(evaluation, { runDir: completed, metrics: { accuracy: 0.75 } });
    assert.deepEqual(await h.requests.evaluate({ runDir: failed }), { runDir: failed, metrics: { accuracy: 0.75 } });
    assert.deepEqual(h.evaluated, [completed, failed]);
    assert.deepEqual(h.requests.runsDirectory({ uri: h.uri }), { runsDir: h.runsDir });
  });

  test('Evaluate reports what the evaluation said when it fails, and a store with no completed run', async () => {
    const h = harness({ evaluate: async () => ({ error: 'has neither a per-task artifact nor a checkpoint' }) });
    const missing = await h.requests.evaluate({ uri: h.uri, experiment: 'quick' });
    assert.ok('error' in missing && /no completed run/.test(missing.error));
    const failed = await h.requests.evaluate({ runDir: '/somewhere/run' });
    assert.ok('error' in failed);
    assert.match(failed.error, /cannot evaluate \/somewhere\/run: has neither a per-task artifact/);
  });

  test('Resume continues the newest unfinished run; a completed or live run is refused', () => {
    const h = harness();
    h.requests.train({ uri: h.uri, experiment: 'quick' });
    const config = startedConfig(h);
    const done = makeRun(h.runsDir, 'quick', '20250101-000000-aaaa', config, {});
    const refusedDone = h.requests.train({ uri: h.uri, experiment: 'quick', resume: true });
    assert.ok('error' in refusedDone && /already completed/.test(refusedDone.error), JSON.stringify(refusedDone));
    const cancelled = makeRun(h.runsDir, 'quick', '20250102-000000-bbbb', config, { state: 'cancelled', resumable: true });
    const resumed = h.requests.train({ uri: h.uri, experiment: 'quick', resume: true });
    assert.ok(!('error' in resumed), JSON.stringify(resumed));
    assert.deepEqual(h.manager.requests.at(-1), { resumeDir: cancelled });
    const live = makeRun(h.runsDir, 'quick', '20250103-000000-cccc', config, { state: 'running', pid: process.pid, ended_at: null });
    const busy = h.requests.train({ resumeDir: live });
    assert.ok('error' in busy && busy.error.includes(`process ${process.pid}`), JSON.stringify(busy));
    const byFolder = h.requests.train({ resumeDir: done });
    assert.ok('error' in byFolder && /already completed/.test(byFolder.error));
    assert.ok('error' in h.requests.train({ resumeDir: scratch }), 'a folder that is not a run is refused');
    const fromFolder = h.requests.train({ resumeDir: cancelled });
    assert.ok(!('error' in fromFolder));
    const event = h.events.length;
    h.manager.runs.at(-1)!.emit('message', { type: 'checkpoint', runId: path.basename(cancelled), step: 3 });
    assert.equal(h.events[event].origin.experiment, 'quick', 'a run resumed by folder names its experiment from its saved config');
  });

  test('a run that cannot start (no trainer, a read-only store) is answered with why, not thrown', () => {
    const h = harness();
    h.manager.start = () => {
      throw new Error('cannot find the trainer: neither dist/trainer.js nor training/trainerProcess.ts exists; rebuild Masklab');
    };
    const result = h.requests.train({ uri: h.uri, experiment: 'quick' });
    assert.ok('error' in result);
    assert.match(result.error, /^the run could not start: cannot find the trainer/);
    assert.deepEqual(h.requests.activeRunsOf(h.uri, 'quick'), []);
  });

  test('malformed parameters are answered with what was expected', async () => {
    const h = harness();
    for (const params of [undefined, 42, {}, { uri: h.uri }, { uri: h.uri, experiment: 'quick', index: -1 }, { uri: h.uri, experiment: 'quick', resume: 'yes' }]) {
      const result = h.requests.train(params);
      assert.ok('error' in result, JSON.stringify(params));
      assert.match(result.error, /masklab\/train: /);
    }
    assert.ok('error' in (await h.requests.evaluate({ experiment: 'quick' })));
    assert.ok('error' in h.requests.lastRun(null));
    assert.ok('error' in h.requests.runsDirectory({}));
    const closed = h.requests.train({ uri: 'file:///not/open.masklab', experiment: 'quick' });
    assert.ok('error' in closed && /not open/.test(closed.error));
    assert.equal(h.manager.requests.length, 0);
  });
});

describe('run settings', () => {
  test('initialization options and configuration changes; editors that know no trust are trusted', () => {
    assert.deepEqual(settingsFromInitialization(undefined), { runsDirectory: '', trainerBackend: 'auto', workspaceTrusted: true });
    const initial = settingsFromInitialization({ runsDirectory: ' runs ', trainerBackend: 'wasm', workspaceTrusted: false });
    assert.deepEqual(initial, { runsDirectory: 'runs', trainerBackend: 'wasm', workspaceTrusted: false });
    assert.deepEqual(settingsFromInitialization({ trainerBackend: 'cuda' }).trainerBackend, 'auto');
    const changed = settingsFromChange(initial, { masklab: { runs: { directory: '/store' }, trainer: { backend: 'cpu' }, charts: { smoothing: 0.5 } } });
    assert.deepEqual(changed, { runsDirectory: '/store', trainerBackend: 'cpu', workspaceTrusted: false });
    assert.deepEqual(settingsFromChange(changed, { other: {} }), changed, 'another section changes nothing');
  });
});
