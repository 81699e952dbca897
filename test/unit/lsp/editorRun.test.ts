// One real run the way the editor starts it: the run requests with the real run manager (the
// trainer forked from source) train a few steps of the example model, every event reaches the
// client as a valid `masklab/runEvent`, and Evaluate — `masklab eval` in a child process —
// reproduces the metrics the run recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readRunEvent } from '../../../schemas/src/runEventSchema';
import type { RunEvent } from '../../../schemas/src/runNotifications';
import { FileSystemModelKnowledge } from '../../../server/src/checkpoint/modelKnowledge';
import { DocumentStore } from '../../../server/src/lsp/documentStore';
import { RunRequests } from '../../../server/src/lsp/runRequests';
import { evaluateRunInChild } from '../../../server/src/runs/evaluationProcess';
import { RunFolder } from '../../../server/src/runs/runFolder';
import { RunManager } from '../../../server/src/runs/runManager';
import { examplesDir } from '../../support/repoRoot';
import { fakeEntry } from '../runs/runFixtures';

const MODEL = path.join(examplesDir, 'models', 'tiny-random');
const DATA = path.join(examplesDir, 'data', 'sentiment');
const absent = !fs.existsSync(path.join(MODEL, 'config.json')) && `the example model ${MODEL} is absent`;

test('Train from the editor runs the example model to completion and Evaluate reproduces its metrics', { skip: absent, timeout: 120_000 }, async () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'masklab-editor-run-'));
  try {
    const file = path.join(scratch, 'tiny.masklab');
    const text = `experiment tiny {
  model "${MODEL}"
  task tsv { data "${DATA}"  text "sentence"  label "label"  max_length 16  max_examples 64  dev_examples 32 }
  method mask { threshold 0.01  initial_sparsity 5%  lr 1e-3 }
  train { epochs 1  batch 16  seed 7  max_steps 4  checkpoint_every 2 steps }
  evaluate { every 2 steps  metrics accuracy, f1  keep best }
  device { backend wasm }
}
`;
    fs.writeFileSync(file, text);
    const uri = pathToFileURL(file).href;
    const store = new DocumentStore(new FileSystemModelKnowledge());
    const events: RunEvent[] = [];
    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    const requests = new RunRequests({
      document: (u) => (u === uri ? store.get(uri, 1, text) : undefined),
      workspaceFolder: () => scratch,
      manager: new RunManager(),
      evaluate: (runDir, signal) => evaluateRunInChild(runDir, { signal }),
      notify: (event) => {
        events.push(event);
        if (event.event.type === 'ended') ended();
      },
      log: () => undefined,
      activeRunsChanged: () => undefined,
    });
    requests.configure({ runsDirectory: path.join(scratch, 'runs'), trainerBackend: 'auto', workspaceTrusted: true });

    const started = requests.train({ uri, experiment: 'tiny' });
    assert.ok(!('error' in started), JSON.stringify(started));
    await done;

    for (const event of events) {
      const checked = readRunEvent(event);
      assert.ok(checked.ok, checked.ok ? '' : checked.problem);
    }
    const types = events.map((e) => e.event.type);
    assert.equal(types[0], 'started');
    assert.equal(types.at(-1), 'ended');
    assert.ok(types.includes('progress') && types.includes('metrics') && types.includes('mask-snapshot'), types.join(' '));
    const first = events[0].event;
    assert.ok(first.type === 'started' && first.backend.name === 'wasm', JSON.stringify(first));
    const last = events.at(-1)!.event;
    assert.ok(last.type === 'ended' && last.state === 'completed', JSON.stringify(last));

    const folder = new RunFolder(started.runDir);
    assert.equal(path.dirname(path.dirname(folder.dir)), path.join(scratch, 'runs'));
    const summary = folder.readSummary();
    assert.ok(summary?.best, 'the run recorded its best metrics');
    assert.deepEqual(requests.lastRun({ uri, experiment: 'tiny' }), { runDir: started.runDir });

    const evaluation = await requests.evaluate({ uri, experiment: 'tiny' });
    assert.ok(!('error' in evaluation), JSON.stringify(evaluation));
    assert.equal(evaluation.runDir, started.runDir);
    assert.equal(evaluation.metrics.accuracy, summary.best.accuracy, 'the kept state evaluates to exactly what the run recorded');
    assert.equal(evaluation.metrics.f1, summary.best.f1);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('Evaluate of a folder that is not a finished run says why, in the command line’s words', { timeout: 60_000 }, async () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'masklab-editor-eval-'));
  try {
    const outcome = await evaluateRunInChild(scratch);
    assert.ok('error' in outcome);
    assert.match(outcome.error, /not a run folder|no config\.json/);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('a run that fails reaches the client as `ended` failed, with why, where, and its log', { skip: absent, timeout: 60_000 }, async () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'masklab-editor-fail-'));
  try {
    const file = path.join(scratch, 'fail.masklab');
    const text = `experiment failing {\n  model "${MODEL}"\n  task tsv { data "${DATA}"  text "sentence"  label "label" }\n  method mask\n  train { max_steps 12 }\n}\n`;
    fs.writeFileSync(file, text);
    const uri = pathToFileURL(file).href;
    const store = new DocumentStore(new FileSystemModelKnowledge());
    const events: RunEvent[] = [];
    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    // The fake training core (no tfjs) inside the real trainer host; its loss turns NaN at step 3.
    const requests = new RunRequests({
      document: (u) => (u === uri ? store.get(uri, 1, text) : undefined),
      workspaceFolder: () => scratch,
      manager: new RunManager({ entry: fakeEntry(), env: { ...process.env, FAKE_NAN_AT: '3' } }),
      evaluate: async () => ({ error: 'not used' }),
      notify: (event) => {
        events.push(event);
        if (event.event.type === 'ended') ended();
      },
      log: () => undefined,
      activeRunsChanged: () => undefined,
    });
    requests.configure({ runsDirectory: path.join(scratch, 'runs') });
    const started = requests.train({ uri, experiment: 'failing' });
    assert.ok(!('error' in started), JSON.stringify(started));
    await done;
    const failed = events.find((e) => e.event.type === 'failed')?.event;
    assert.ok(failed?.type === 'failed' && failed.step === 3 && /NaN/.test(failed.message), JSON.stringify(failed));
    const last = events.at(-1)!.event;
    assert.ok(last.type === 'ended', JSON.stringify(last));
    if (last.type !== 'ended') return;
    assert.equal(last.state, 'failed');
    assert.match(last.message ?? '', /NaN at step 3/);
    assert.equal(last.resumable, false, 'no checkpoint before step 3 (they come every 5 steps)');
    assert.ok(fs.existsSync(last.logFile), `${last.logFile} exists for the "Show log" link`);
    assert.match(fs.readFileSync(last.logFile, 'utf8'), /starting run/);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
