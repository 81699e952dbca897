// `masklab train`, `runs`, `export` end to end with the fake training core in forked trainer
// processes (MASKLAB_TRAINER_ENTRY); the real core is exercised in test/unit/runs/realTraining.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../server/src/cli/main';
import { RunFolder } from '../../../server/src/runs/runFolder';
import { RunManager } from '../../../server/src/runs/runManager';
import { captureIO } from '../../support/cliCapture';
import { examplesDir, repoRoot } from '../../support/repoRoot';
import { fakeEntry, FAKE_TRAINER_FILE, tsxExecArgv } from '../runs/runFixtures';

const SOURCE = `
experiment base {
  model "models/tiny-random"
  task tsv { data "data/sentiment"  text "sentence"  label "label"  max_length 32 }
  method mask { lr 1e-3 }
  train { epochs 2  batch 16  seed 7  max_steps 12  checkpoint_every 5 steps }
  evaluate { every 4 steps  metrics accuracy }
}

experiment tuned extends base {
  method finetune { lr 5e-5 }
}

sweep grid of base {
  train.seed 1, 2
}
`;

const BROKEN = `
experiment broken {
  model "models/tiny-random"
  task tsv { data "data/sentiment"  text "sentence"  label "label" }
  method mask { lr -1 }
}
`;

function workspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masklab-train-'));
  fs.symlinkSync(path.join(examplesDir, 'models'), path.join(dir, 'models'));
  fs.symlinkSync(path.join(examplesDir, 'data'), path.join(dir, 'data'));
  fs.writeFileSync(path.join(dir, 'exp.masklab'), SOURCE);
  fs.writeFileSync(path.join(dir, 'broken.masklab'), BROKEN);
  return { dir, runs: path.join(dir, '.masklab', 'runs'), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function cli(dir: string, args: string[], env: Record<string, string> = {}) {
  const { io, out, err } = captureIO(dir, { MASKLAB_TRAINER_ENTRY: FAKE_TRAINER_FILE, ...env });
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function runDirs(runs: string, group: string): string[] {
  const dir = path.join(runs, group);
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort().map((id) => path.join(dir, id)) : [];
}

describe('masklab train', () => {
  test('refuses to start anything when the experiment is ambiguous or has errors (exit 2)', async () => {
    const ws = workspace();
    try {
      const ambiguous = await cli(ws.dir, ['train', 'exp.masklab']);
      assert.equal(ambiguous.code, 2);
      assert.match(ambiguous.err, /choose one with --experiment NAME: base \(experiment\), tuned \(experiment\), grid \(sweep\)/);
      const broken = await cli(ws.dir, ['train', 'broken.masklab']);
      assert.equal(broken.code, 2);
      assert.match(broken.err, /^broken\.masklab:5:\d+: error: .*lr/m);
      assert.match(broken.err, /nothing trained/);
      const badSet = await cli(ws.dir, ['train', 'exp.masklab', '--experiment', 'base', '--set', 'method.lr=-3']);
      assert.equal(badSet.code, 2);
      assert.equal(fs.existsSync(ws.runs), false, 'no run folder, no trainer');
    } finally {
      ws.remove();
    }
  });

  test('trains, prints metrics and a summary with the run folder; runs lists it; export sizes its artifact', async () => {
    const ws = workspace();
    try {
      const r = await cli(ws.dir, ['train', 'exp.masklab', '--experiment', 'base']);
      assert.equal(r.code, 0, r.err);
      const [dir] = runDirs(ws.runs, 'base');
      assert.ok(dir, 'the run store is .masklab/runs in the project (here: the file\'s folder)');
      assert.match(r.out, /training on fake \(no tfjs\): 128 trainable of 4,000 parameters; 12 steps/);
      assert.match(r.out, /^step 4 {2}epoch 0\.40 {2}dev {2}accuracy 0\.\d{4} {2}loss 0\.\d{4} {2}train loss 0\.\d{4}$/m);
      assert.match(r.out, /^step \d+\/12 \(\d+%, epoch [\d.]+\)/m, 'plain progress lines without a terminal');
      assert.match(r.out, /^completed in \d+:\d\d: 12 steps$/m);
      assert.match(r.out, /^ {2}best {3}accuracy 0\.\d{4} {2}loss 0\.\d{4} {2}\(step \d+\)$/m);
      assert.match(r.out, /per task [\d.]+ k?B entropy-coded/);
      assert.ok(r.out.endsWith(`run folder: ${dir}`));

      const listed = await cli(ws.dir, ['runs', '--json']);
      const runs = JSON.parse(listed.out);
      assert.equal(runs.length, 1);
      assert.equal(runs[0].state, 'completed');
      assert.equal(runs[0].best.metric, 'accuracy');
      assert.equal(runs[0].best.value, new RunFolder(dir).readSummary()?.best?.accuracy);
      const table = await cli(ws.dir, ['runs']);
      assert.match(table.out, new RegExp(`^base/${path.basename(dir)} +completed +accuracy 0\\.\\d{4} @\\d+ +12/12 `, 'm'));

      const exported = await cli(ws.dir, ['export', path.basename(dir), '--out', 'task.masklab-task']);
      assert.equal(exported.code, 0, exported.err);
      const size = fs.statSync(path.join(dir, 'artifact.masklab-task')).size;
      assert.match(exported.out, new RegExp(`${size.toLocaleString('en-US')} bytes entropy-coded .* fp32 model 16\\.0 kB`));
      assert.match(exported.out, /masks +1 section +\d+ bytes {2}mask-(arith|packed) over 128 values/);
      assert.deepEqual(fs.readFileSync(path.join(ws.dir, 'task.masklab-task')), fs.readFileSync(path.join(dir, 'artifact.masklab-task')));
      const missing = await cli(ws.dir, ['export', 'nope']);
      assert.equal(missing.code, 2);
      assert.match(missing.err, /no run 'nope'.*known runs: base\//);
    } finally {
      ws.remove();
    }
  });

  test('a sweep runs every cell in turn, or the cell of --index / JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID', async () => {
    const ws = workspace();
    try {
      const all = await cli(ws.dir, ['train', 'exp.masklab', '--experiment', 'grid']);
      assert.equal(all.code, 0, all.err);
      assert.match(all.out, /training grid-0 \[1\/2\]/);
      assert.match(all.out, /training grid-1 \[2\/2\]/);
      const cells = runDirs(ws.runs, 'grid').map((d) => path.basename(d));
      assert.deepEqual(cells.map((d) => d.slice(-6)), ['-cell0', '-cell1']);
      assert.equal(cells[0].slice(0, -6), cells[1].slice(0, -6), 'the cells of one command share an id stem');
      const seeds = runDirs(ws.runs, 'grid').map((d) => new RunFolder(d).readConfig().train.seed);
      assert.deepEqual(seeds, [1, 2]);

      const indexed = await cli(ws.dir, ['train', 'exp.masklab'], { JOB_COMPLETION_INDEX: '1' });
      assert.equal(indexed.code, 0, indexed.err);
      assert.match(indexed.out, /training grid-1 →/);
      const slurm = await cli(ws.dir, ['train', 'exp.masklab', '--experiment', 'grid', '--index', '0'], { SLURM_ARRAY_TASK_ID: '1' });
      assert.match(slurm.out, /training grid-0 →/, '--index wins over the environment');
      assert.equal(runDirs(ws.runs, 'grid').filter((d) => d.endsWith('-cell1')).length, 2);
      const outside = await cli(ws.dir, ['train', 'exp.masklab'], { SLURM_ARRAY_TASK_ID: '5' });
      assert.equal(outside.code, 2);
      assert.match(outside.err, /index 5 is outside sweep 'grid'/);
    } finally {
      ws.remove();
    }
  });

  test('--resume continues the newest unfinished run, then has nothing to do; --resume RUN names one', async () => {
    const ws = workspace();
    try {
      // A cancelled run, made with the manager as the editor would, of a longer version of `base`.
      const config = JSON.parse((await cli(ws.dir, ['config', 'exp.masklab', '--experiment', 'base'])).out);
      const handle = new RunManager({ entry: fakeEntry(), env: { ...process.env, FAKE_STEP_MS: '10' } }).start({ config: { ...config, train: { ...config.train, max_steps: 40 } }, runsDir: ws.runs });
      handle.on('message', (m) => m.type === 'checkpoint' && handle.cancel());
      const cancelled = await handle.done;
      assert.equal(cancelled.state, 'cancelled');

      const resumed = await cli(ws.dir, ['train', 'exp.masklab', '--experiment', 'base', '--resume']);
      assert.equal(resumed.code, 0, resumed.err);
      assert.match(resumed.err, /the experiment changed since .* resuming with the config saved in the run/);
      assert.match(resumed.out, new RegExp(`resuming base → ${handle.dir}`));
      assert.match(resumed.out, new RegExp(`resuming after step ${cancelled.step}\\b`));
      assert.match(resumed.out, /completed .*: 40 steps/);
      const again = await cli(ws.dir, ['train', 'exp.masklab', '--experiment', 'base', '--resume']);
      assert.equal(again.code, 0);
      assert.match(again.out, /already completed in .*; nothing to resume/);
      const byId = await cli(ws.dir, ['train', '--resume', path.basename(handle.dir)]);
      assert.equal(byId.code, 0, byId.err);
      assert.equal(byId.out, `base/${path.basename(handle.dir)}: already completed in ${handle.dir}; nothing to resume`);
      const withSet = await cli(ws.dir, ['train', '--resume', path.basename(handle.dir), '--set', 'method.lr=1']);
      assert.equal(withSet.code, 2);
      assert.match(withSet.err, /--set cannot change a resumed run/);
    } finally {
      ws.remove();
    }
  });

  test('an unwritable run store is a clear runtime error (exit 1)', async () => {
    const ws = workspace();
    try {
      fs.writeFileSync(path.join(ws.dir, 'blocker'), '');
      const r = await cli(ws.dir, ['train', 'exp.masklab', '--experiment', 'base', '--runs', 'blocker/runs']);
      assert.equal(r.code, 1);
      assert.match(r.err, /cannot create the run store folder .*blocker\/runs\/base: a part of the path is a file, not a folder; store runs elsewhere with --runs DIR/);
    } finally {
      ws.remove();
    }
  });

  test('SIGTERM to the CLI checkpoints the run and exits 143; --resume then finishes it', async () => {
    const ws = workspace();
    try {
      const child = spawn(process.execPath, [...tsxExecArgv(), path.join(repoRoot, 'server/src/cli/main.ts'), 'train', 'exp.masklab', '--experiment', 'base', '--set', 'train.max_steps=400'], {
        cwd: ws.dir,
        env: { ...process.env, MASKLAB_TRAINER_ENTRY: FAKE_TRAINER_FILE, FAKE_STEP_MS: '10' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      const code = await new Promise<number | null>((resolve) => {
        child.stdout.on('data', (d) => {
          out += d;
          if (/^step 4 /m.test(out) && !child.killed) child.kill('SIGTERM');
        });
        child.on('close', (c) => resolve(c));
      });
      assert.equal(code, 143, `stdout:\n${out}\nstderr:\n${err}`);
      assert.match(err, /SIGTERM received: checkpointing, then stopping/);
      assert.match(out, /stopped at step \d+ .*\(resumable\)/);
      const [dir] = runDirs(ws.runs, 'base');
      const folder = new RunFolder(dir);
      const status = folder.readStatus();
      assert.ok('status' in status && status.status.state === 'cancelled' && status.status.resumable);
      const stoppedAt = status.status.step;
      assert.equal(folder.checkpoints().at(-1)?.step, stoppedAt, 'the step it stopped at is checkpointed');
      const resumed = await cli(ws.dir, ['train', '--resume', dir]);
      assert.equal(resumed.code, 0, resumed.err);
      assert.match(resumed.out, new RegExp(`resuming after step ${stoppedAt}`));
      assert.deepEqual(
        folder.readMetrics().records.filter((m) => m.split === 'train').map((m) => m.step),
        Array.from({ length: 400 }, (_, i) => i + 1),
        'every step logged once',
      );
    } finally {
      ws.remove();
    }
  });

  test('SIGKILL of the CLI: its trainer notices, checkpoints and records a resumable stop', async () => {
    const ws = workspace();
    try {
      const child = spawn(process.execPath, [...tsxExecArgv(), path.join(repoRoot, 'server/src/cli/main.ts'), 'train', 'exp.masklab', '--experiment', 'base', '--set', 'train.max_steps=400'], {
        cwd: ws.dir,
        env: { ...process.env, MASKLAB_TRAINER_ENTRY: FAKE_TRAINER_FILE, FAKE_STEP_MS: '10' },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      let out = '';
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (d) => {
          out += d;
          if (/^step 4 /m.test(out) && !child.killed) child.kill('SIGKILL');
        });
        child.on('close', () => resolve());
      });
      const [dir] = runDirs(ws.runs, 'base');
      const folder = new RunFolder(dir);
      const deadline = Date.now() + 10_000;
      let status = folder.readStatus();
      while ('status' in status && status.status.state === 'running' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        status = folder.readStatus();
      }
      assert.ok('status' in status, 'problem' in status ? status.problem : '');
      assert.equal(status.status.state, 'cancelled');
      assert.match(status.status.message ?? '', /the run manager went away at step \d+; resume with: masklab train --resume/);
      assert.equal(folder.checkpoints().at(-1)?.step, status.status.step);
    } finally {
      ws.remove();
    }
  });
});
