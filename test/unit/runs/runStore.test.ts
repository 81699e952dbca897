import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readRunSummary, runSummarySchema } from '../../../schemas/src/runRecordSchemas';
import { readTrainerCommand, readTrainerMessage } from '../../../schemas/src/trainerMessageSchema';
import { listCheckpoints, loadLatestCheckpoint, saveCheckpoint } from '../../../server/src/runs/checkpointFiles';
import { gitCommitOf } from '../../../server/src/runs/gitCommit';
import { MetricsLog, readMetricsFile, truncateMetricsAfter } from '../../../server/src/runs/metricsLog';
import { findProjectRoot, runsDirectory } from '../../../server/src/runs/projectRoot';
import { createRunFolder } from '../../../server/src/runs/runFolder';
import { looksLikeRunId, newRunId, runGroupOf } from '../../../server/src/runs/runId';
import { acquireRunLock } from '../../../server/src/runs/runLock';
import { shownState } from '../../../server/src/runs/runStatus';
import { toMetricsPoint } from '../../../server/src/runs/runSummaryBuilder';
import { MASKLAB_VERSION } from '../../../server/src/runs/version';
import { repoRoot } from '../../support/repoRoot';
import { quickstartConfig, scratchDir } from './runFixtures';

describe('where runs are stored', () => {
  test('the project root is the nearest ancestor with .git or package.json, else the file\'s folder', () => {
    const s = scratchDir();
    try {
      const nested = path.join(s.dir, 'project', 'experiments', 'deep');
      fs.mkdirSync(nested, { recursive: true });
      const file = path.join(nested, 'a.masklab');
      assert.equal(findProjectRoot(file, (p) => p === path.join(s.dir, 'project', 'package.json')), path.join(s.dir, 'project'));
      assert.equal(findProjectRoot(file, (p) => p === path.join(s.dir, 'project', 'experiments', '.git')), path.join(s.dir, 'project', 'experiments'));
      assert.equal(findProjectRoot(file, () => false), nested);
      assert.equal(findProjectRoot(path.join(repoRoot, 'examples', 'quickstart.masklab')), repoRoot);
    } finally {
      s.remove();
    }
  });

  test('--runs DIR (or the setting) overrides the project store, relative to the given base', () => {
    const file = path.join(repoRoot, 'examples', 'quickstart.masklab');
    assert.equal(runsDirectory({ experimentFile: file }), path.join(repoRoot, '.masklab', 'runs'));
    assert.equal(runsDirectory({ experimentFile: file, configured: 'out/runs', base: '/tmp/work' }), '/tmp/work/out/runs');
    assert.equal(runsDirectory({ experimentFile: file, configured: '  ', base: '/tmp/work' }), path.join(repoRoot, '.masklab', 'runs'));
    assert.equal(runsDirectory({ experimentFile: file, configured: '/abs/runs', base: '/tmp/work' }), '/abs/runs');
  });

  test('run ids sort by time, carry a random suffix and a cell number', () => {
    const now = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));
    const id = newRunId({ now, randomBytes: () => Uint8Array.of(0, 1, 2, 31) });
    assert.equal(id, '20250102-030405-abc9');
    assert.equal(newRunId({ now, cell: 7, randomBytes: () => Uint8Array.of(0, 0, 0, 0) }), '20250102-030405-aaaa-cell7');
    assert.ok(looksLikeRunId(id) && looksLikeRunId(`${id}-cell12`) && !looksLikeRunId('runs/x'));
    const ids = new Set(Array.from({ length: 200 }, () => newRunId({ now })));
    assert.ok(ids.size > 190, 'the suffix tells runs of the same second apart');
    assert.equal(runGroupOf({ experiment: 'base', sweep: { name: 'grid', index: 1, cells: 4, values: {} } }), 'grid');
    assert.equal(runGroupOf({ experiment: '../evil' }), '__evil');
  });

  test('two runs never share a folder, even when they draw the same id', () => {
    const s = scratchDir();
    try {
      const config = quickstartConfig();
      const a = createRunFolder(s.dir, config, { runId: '20250101-000000-aaaa' });
      const b = createRunFolder(s.dir, config, { runId: '20250101-000000-aaaa' });
      assert.notEqual(a.dir, b.dir);
      assert.equal(path.dirname(a.dir), path.join(s.dir, 'quickstart'));
      assert.deepEqual(b.readConfig(), config);
      assert.ok(fs.statSync(b.file('checkpoints')).isDirectory() && fs.statSync(b.file('masks')).isDirectory());
    } finally {
      s.remove();
    }
  });

  test('an unwritable run store is a clear error naming the folder and the fix', () => {
    const s = scratchDir();
    try {
      const blocker = path.join(s.dir, 'file');
      fs.writeFileSync(blocker, '');
      assert.throws(() => createRunFolder(path.join(blocker, 'runs'), quickstartConfig()), /cannot create the run store folder .*file\/runs\/quickstart: a part of the path is a file, not a folder; store runs elsewhere with --runs DIR/);
    } finally {
      s.remove();
    }
  });
});

describe('metrics.jsonl', () => {
  test('records append one line each; a torn last line is dropped by readers', () => {
    const s = scratchDir();
    try {
      const file = path.join(s.dir, 'metrics.jsonl');
      const log = new MetricsLog(file);
      for (let step = 1; step <= 3; step++) log.append({ step, epoch: step / 10, time: step, split: 'train', values: { loss: 1 / step } });
      log.close();
      fs.appendFileSync(file, '{"step":4,"epoch":0.4,"ti');
      const read = readMetricsFile(file);
      assert.deepEqual(read.records.map((r) => r.step), [1, 2, 3]);
      assert.equal(read.tornLastLine, true);
      assert.deepEqual(read.problems, []);
    } finally {
      s.remove();
    }
  });

  test('a line that is not a record is skipped and reported with its line number', () => {
    const s = scratchDir();
    try {
      const file = path.join(s.dir, 'metrics.jsonl');
      fs.writeFileSync(file, '{"step":1,"epoch":0,"time":0,"split":"dev","values":{"accuracy":0.5}}\n{"step":"x"}\nnot json\n');
      const read = readMetricsFile(file);
      assert.equal(read.records.length, 1);
      assert.equal(read.problems.length, 2);
      assert.match(read.problems[0], /metrics\.jsonl:2: not a valid metrics record/);
      assert.match(read.problems[1], /metrics\.jsonl:3: not JSON/);
    } finally {
      s.remove();
    }
  });

  test('resuming cuts the log back to the checkpoint step, torn tail included', () => {
    const s = scratchDir();
    try {
      const file = path.join(s.dir, 'metrics.jsonl');
      const lines = [1, 2, 3, 4, 5].map((step) => JSON.stringify({ step, epoch: 0, time: 0, split: 'train', values: {} }));
      fs.writeFileSync(file, `${lines.join('\n')}\n{"step":6`);
      assert.equal(truncateMetricsAfter(file, 3).dropped, 3);
      assert.deepEqual(readMetricsFile(file).records.map((r) => r.step), [1, 2, 3]);
      assert.equal(readMetricsFile(file).tornLastLine, false);
    } finally {
      s.remove();
    }
  });
});

describe('checkpoints', () => {
  const state = (step: number) => ({ step, epoch: step / 4, tensors: { scores: { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, step]) } }, meta: { rng: step * 7, best: { step: 1, values: { accuracy: 0.5 } } } });

  test('keep the newest two, written without leftovers, and load back exactly', () => {
    const s = scratchDir();
    try {
      for (const step of [5, 10, 15]) saveCheckpoint(s.dir, state(step));
      assert.deepEqual(listCheckpoints(s.dir).map((c) => c.step), [10, 15]);
      assert.deepEqual(fs.readdirSync(s.dir).filter((n) => n.endsWith('.tmp')), []);
      const latest = loadLatestCheckpoint(s.dir);
      assert.deepEqual(latest?.state, state(15));
    } finally {
      s.remove();
    }
  });

  test('an unreadable newest checkpoint falls back to the one before', () => {
    const s = scratchDir();
    try {
      saveCheckpoint(s.dir, state(5));
      const newest = saveCheckpoint(s.dir, state(10));
      fs.truncateSync(newest, 20);
      const latest = loadLatestCheckpoint(s.dir);
      assert.equal(latest?.state.step, 5);
      assert.equal(latest?.skipped.length, 1);
    } finally {
      s.remove();
    }
  });
});

describe('status, lock and records', () => {
  const base = {
    schemaVersion: 1 as const, run_id: 'r', state: 'running' as const, pid: 123, host: 'here', started_at: '2025-01-01T00:00:00Z', heartbeat: '2025-01-01T00:00:00Z',
    ended_at: null, elapsed_seconds: 0, step: 3, steps_total: 10, last_checkpoint: null, resumable: false, message: null, segments: 1,
  };

  test('a running status whose trainer is gone shows as interrupted', () => {
    assert.equal(shownState(base, { host: 'here', isAlive: () => true }), 'running');
    assert.equal(shownState(base, { host: 'here', isAlive: () => false }), 'interrupted');
    // On another host only the heartbeat tells.
    assert.equal(shownState(base, { host: 'elsewhere', now: new Date('2025-01-01T00:01:00Z') }), 'running');
    assert.equal(shownState(base, { host: 'elsewhere', now: new Date('2025-01-01T00:10:00Z') }), 'interrupted');
    assert.equal(shownState({ ...base, state: 'completed' }, { isAlive: () => false }), 'completed');
  });

  test('one trainer per run folder; a dead owner\'s lock is taken over', () => {
    const s = scratchDir();
    try {
      const release = acquireRunLock(s.dir);
      assert.throws(() => acquireRunLock(s.dir), /is in use by another trainer \(pid \d+\)/);
      release();
      fs.writeFileSync(path.join(s.dir, '.lock'), JSON.stringify({ pid: 999_999_999, host: os.hostname() }));
      acquireRunLock(s.dir, () => false)();
      assert.equal(fs.existsSync(path.join(s.dir, '.lock')), false);
    } finally {
      s.remove();
    }
  });

  test('metrics points are flattened to fractions by name', () => {
    assert.deepEqual(toMetricsPoint({ step: 4, epoch: 1, values: { accuracy: 0.75, loss: 0.5, bad: Number.NaN } }), { step: 4, epoch: 1, accuracy: 0.75, loss: 0.5 });
    assert.deepEqual(toMetricsPoint({ step: 2, f1: 0.5 }), { step: 2, f1: 0.5 });
    assert.equal(toMetricsPoint(null), null);
  });

  test('summary schema: metrics must be fractions; the JSON file matches the schema object', () => {
    const summary = {
      schemaVersion: 1, run_id: 'r', name: 'n', experiment: 'n', sweep: null, method: 'mask', task: 'tsv', outcome: 'completed', steps: 10, steps_total: 10,
      primary_metric: 'accuracy', keep: 'best', best: { step: 10, accuracy: 0.83 }, final: { step: 10, accuracy: 0.8 }, sparsity: { m: 0.05 },
      trainable_parameters: 5, model_parameters: 10, bytes_per_task: { packed: 10, entropy_coded: 5, fp32_model: 40 },
      backend: { name: 'cpu', device: 'CPU', detail: 'cpu' }, started_at: 't', finished_at: 't', duration_seconds: 1,
    };
    assert.equal(readRunSummary(summary).ok, true);
    const percent = readRunSummary({ ...summary, best: { step: 10, accuracy: 83 } });
    assert.equal(percent.ok, false);
    assert.match((percent as { problem: string }).problem, /\/best\/accuracy: expected a number <= 1/);
    const file = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', 'run-summary.schema.json'), 'utf8'));
    assert.deepEqual(file, runSummarySchema, 'regenerate with: npx tsx server/src/runs/writeRunSchemas.ts');
  });

  test('the recorded Masklab version is package.json\'s', () => {
    assert.equal(MASKLAB_VERSION, JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version);
  });

  test('the git commit is read from .git without a git binary', () => {
    const s = scratchDir();
    try {
      const git = path.join(s.dir, '.git');
      fs.mkdirSync(path.join(git, 'refs', 'heads'), { recursive: true });
      fs.writeFileSync(path.join(git, 'HEAD'), 'ref: refs/heads/main\n');
      fs.writeFileSync(path.join(git, 'packed-refs'), `# pack-refs\n${'a'.repeat(40)} refs/heads/main\n`);
      fs.mkdirSync(path.join(s.dir, 'sub'));
      assert.deepEqual(gitCommitOf(path.join(s.dir, 'sub', 'x.masklab')), { commit: 'a'.repeat(40), branch: 'main' });
      fs.writeFileSync(path.join(git, 'refs', 'heads', 'main'), `${'b'.repeat(40)}\n`);
      assert.deepEqual(gitCommitOf(path.join(s.dir, 'sub')), { commit: 'b'.repeat(40), branch: 'main' });
    } finally {
      s.remove();
    }
  });
});

describe('protocol validation', () => {
  test('trainer messages are checked field by field; malformed ones say what is wrong', () => {
    assert.equal(readTrainerMessage({ type: 'checkpoint', runId: 'r', step: 3 }).ok, true);
    const bad = readTrainerMessage({ type: 'finished', runId: 'r', outcome: 'exploded', step: 3 });
    assert.equal(bad.ok, false);
    assert.match((bad as { problem: string }).problem, /malformed 'finished' message: \/outcome: expected one of "completed", "cancelled"/);
    assert.match((readTrainerMessage({ type: 'hello' }) as { problem: string }).problem, /not a trainer message \(type "hello"/);
    assert.equal(readTrainerMessage({ type: 'metrics', runId: 'r', step: 1, epoch: 0, time: 0, split: 'dev', values: { accuracy: 'high' } }).ok, false);
    assert.equal(readTrainerMessage('finished').ok, false);
  });

  test('a start command carries a schema-valid config', () => {
    const config = quickstartConfig();
    const start = { type: 'start', protocol: 1, runId: 'r', config, runDir: '/tmp/r', resume: false };
    assert.equal(readTrainerCommand(start).ok, true);
    const broken = readTrainerCommand({ ...start, config: { ...config, train: { ...config.train, batch: 0 } } });
    assert.match((broken as { problem: string }).problem, /\/config\/train\/batch: expected a number >= 1/);
    assert.equal(readTrainerCommand({ ...start, protocol: 2 }).ok, false);
    assert.equal(readTrainerCommand({ type: 'cancel' }).ok, true);
    assert.equal(readTrainerCommand({ type: 'cancel', now: true }).ok, false);
  });
});
