// The trainer host in-process (no fork): failures of the run store itself, and a trainer that
// dies before it can record anything.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TrainerMessage } from '../../../schemas/src/trainerMessages';
import { HostedRun } from '../../../server/src/runs/hostedRun';
import { createRunFolder } from '../../../server/src/runs/runFolder';
import { RunManager } from '../../../server/src/runs/runManager';
import { fork } from 'node:child_process';
import { fakeRunTraining } from './fakeTraining';
import { FAKE_TRAINER_FILE, quickstartConfig, scratchDir } from './runFixtures';

describe('trainer host failures', () => {
  test('a full disk stops the run with a clear error naming the file, and the run is marked failed', { skip: !fs.existsSync('/dev/full') && '/dev/full is not available here' }, async () => {
    const s = scratchDir();
    try {
      const config = quickstartConfig();
      const folder = createRunFolder(s.dir, config);
      fs.symlinkSync('/dev/full', folder.file('metrics'));
      const sent: TrainerMessage[] = [];
      const run = new HostedRun(
        { type: 'start', protocol: 1, runId: folder.runId, config, runDir: folder.dir, resume: false },
        { send: (m) => sent.push(m), log: () => undefined, engineVersion: () => null },
      );
      const code = await run.execute(async () => fakeRunTraining);
      assert.equal(code, 1);
      const failed = sent.at(-1);
      assert.equal(failed?.type, 'failed');
      assert.match(failed?.type === 'failed' ? failed.message : '', /cannot write .*metrics\.jsonl: the disk is full; free some space or store runs elsewhere with --runs DIR/);
      const status = folder.readStatus();
      assert.ok('status' in status && status.status.state === 'failed');
      assert.ok(!fs.existsSync(folder.file('summary')), 'a failed run has no summary');
    } finally {
      s.remove();
    }
  });

  test('a trainer that crashes before recording anything is marked failed with its last output', async () => {
    const s = scratchDir();
    try {
      const entry = path.join(s.dir, 'crashing-trainer.js');
      fs.writeFileSync(entry, "throw new Error('boom while loading the trainer');\n");
      const handle = new RunManager({ entry: { file: entry, execArgv: [] } }).start({ config: quickstartConfig(), runsDir: path.join(s.dir, 'runs') });
      const end = await handle.done;
      assert.equal(end.state, 'failed');
      assert.equal(end.exitCode, 1);
      assert.match(end.message ?? '', /the trainer exited with code 1 without finishing at step 0/);
      assert.match(end.message ?? '', /boom while loading the trainer/);
      assert.equal(end.resumable, false);
    } finally {
      s.remove();
    }
  });

  test('the trainer ignores malformed commands (logged, never acted on) and then serves a valid start', async () => {
    const s = scratchDir();
    try {
      const config = quickstartConfig();
      const folder = createRunFolder(s.dir, config);
      const log = fs.openSync(folder.file('log'), 'a');
      const child = fork(FAKE_TRAINER_FILE, [], { stdio: ['ignore', log, log, 'ipc'], execArgv: [] });
      fs.closeSync(log);
      const received: TrainerMessage[] = [];
      child.on('message', (m) => received.push(m as TrainerMessage));
      const start = { type: 'start', protocol: 1, runId: folder.runId, config, runDir: folder.dir, resume: false };
      child.send({ type: 'cancel', immediately: true });
      child.send({ ...start, config: { ...config, method: { ...config.method, lr: 'fast' } } });
      child.send({ type: 'launch' });
      child.send(start);
      const code = await new Promise((resolve) => child.on('close', resolve));
      assert.equal(code, 0);
      assert.equal(received.at(-1)?.type, 'finished');
      const text = fs.readFileSync(folder.file('log'), 'utf8');
      assert.match(text, /ignored a malformed command from the run manager: malformed 'cancel' command: \/immediately: unexpected property/);
      assert.match(text, /ignored a malformed command from the run manager: malformed 'start' command: .*\/config\/method.*\/lr: expected number/);
      assert.match(text, /ignored a malformed command from the run manager: not a trainer command \(type "launch"/);
    } finally {
      s.remove();
    }
  });
});
