// The run manager with real forked trainer processes around the fake training core: protocol,
// run folder contents, cancel, SIGKILL and resume, malformed messages, NaN.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRunEnvironment, readRunStatus } from '../../../schemas/src/runRecordSchemas';
import type { TrainerMessage } from '../../../schemas/src/trainerMessages';
import { loadRunArtifact } from '../../../server/src/runs/runArtifact';
import { RunFolder } from '../../../server/src/runs/runFolder';
import { RunManager, type RunHandle } from '../../../server/src/runs/runManager';
import { FAKE_MATRIX } from './fakeTraining';
import { fakeEntry, quickstartConfig, scratchDir } from './runFixtures';

function manager(env: Record<string, string> = {}) {
  return new RunManager({ entry: fakeEntry(), env: { ...process.env, ...env } });
}

function recorded(handle: RunHandle) {
  const messages: TrainerMessage[] = [];
  const problems: string[] = [];
  handle.on('message', (m) => messages.push(m));
  handle.on('protocol-error', (e) => problems.push(e.problem));
  return { messages, problems };
}

function untilMessage(handle: RunHandle, accept: (m: TrainerMessage) => boolean): Promise<TrainerMessage> {
  return new Promise((resolve) => {
    const off = handle.on('message', (m) => {
      if (accept(m)) {
        off();
        resolve(m);
      }
    });
  });
}

/** What must be identical between an interrupted-and-resumed run and an uninterrupted one. */
function trainedRecord(folder: RunFolder) {
  const summary = folder.readSummary();
  return {
    metrics: folder.readMetrics().records.map((r) => ({ step: r.step, split: r.split, values: r.values })),
    best: summary?.best,
    final: summary?.final,
    sparsity: summary?.sparsity,
    masks: folder.maskSnapshotSteps(),
    artifact: loadRunArtifact(folder.file('artifact')).parts,
  };
}

describe('run manager and trainer process', () => {
  test('a run writes its whole record; SIGKILL mid-run leaves a readable, resumable run that resumes to the uninterrupted result', async () => {
    const s = scratchDir();
    try {
      const config = quickstartConfig({ 'train.max_steps': '30' });
      // Both runs at once: the uninterrupted reference and the one to kill.
      const reference = manager().start({ config, runsDir: s.dir });
      const killed = manager({ FAKE_STEP_MS: '25' }).start({ config, runsDir: s.dir });
      assert.notEqual(reference.dir, killed.dir, 'two runs of one experiment never share a folder');
      const seen = recorded(reference);
      void untilMessage(killed, (m) => m.type === 'checkpoint' && m.step >= 10).then(() => killed.kill());

      const done = await reference.done;
      assert.equal(done.state, 'completed');
      assert.equal(done.exitCode, 0);
      assert.deepEqual(seen.problems, []);
      assert.deepEqual([seen.messages[0].type, seen.messages[seen.messages.length - 1].type], ['started', 'finished']);
      const folder = reference.folder;
      assert.deepEqual(folder.maskSnapshotSteps(), [4, 8, 12, 16, 20, 24, 28, 30]);
      assert.deepEqual(folder.checkpoints().map((c) => c.step), [25, 30]);
      const summary = done.summary;
      assert.ok(summary);
      assert.equal(summary.outcome, 'completed');
      assert.equal(summary.bytes_per_task.entropy_coded, fs.statSync(folder.file('artifact')).size);
      assert.equal(summary.bytes_per_task.fp32_model, 16_000);
      const environment = readRunEnvironment(JSON.parse(fs.readFileSync(folder.file('environment'), 'utf8')));
      assert.ok(environment.ok, !environment.ok ? environment.problem : '');
      assert.equal(environment.value.backend?.detail, 'fake (no tfjs)');
      assert.equal(environment.value.node, process.version);
      const artifact = loadRunArtifact(folder.file('artifact'));
      assert.deepEqual(artifact.config, config);
      assert.equal((artifact.parts as { masks: { name: string }[] }).masks[0].name, FAKE_MATRIX);

      const killedEnd = await killed.done;
      assert.equal(killedEnd.state, 'failed');
      assert.equal(killedEnd.signal, 'SIGKILL');
      assert.equal(killedEnd.resumable, true);
      assert.match(killedEnd.message ?? '', /killed by SIGKILL at step \d+; resume from the checkpoint at step \d+ with: masklab train --resume /);
      // The killed run reads back: valid status, metrics (a torn line dropped), checkpoints.
      const status = readRunStatus(JSON.parse(fs.readFileSync(killed.folder.file('status'), 'utf8')));
      assert.ok(status.ok && status.value.state === 'failed' && status.value.pid === null);
      const partial = killed.folder.readMetrics();
      assert.deepEqual(partial.problems, []);
      assert.ok(partial.records.length > 0);
      const lastCheckpoint = killed.folder.checkpoints().at(-1)?.step ?? 0;
      assert.ok(lastCheckpoint >= 10 && lastCheckpoint < 30);
      assert.deepEqual(fs.readdirSync(killed.folder.file('checkpoints')).filter((n) => n.startsWith('.')), []);

      const resumed = manager().start({ resumeDir: killed.dir });
      const resumedSeen = recorded(resumed);
      const resumedEnd = await resumed.done;
      assert.equal(resumedEnd.state, 'completed');
      const started = resumedSeen.messages.find((m) => m.type === 'started');
      assert.equal(started?.type === 'started' && started.resumedFromStep, lastCheckpoint);
      assert.deepEqual(trainedRecord(killed.folder), trainedRecord(folder), 'resume loses no finished step and repeats none');
      const resumedStatus = killed.folder.readStatus();
      assert.ok('status' in resumedStatus && resumedStatus.status.segments === 2 && resumedStatus.status.state === 'completed');
    } finally {
      s.remove();
    }
  });

  test('cancel checkpoints and stops resumable; SIGTERM does the same with exit 143; a malformed message is rejected and logged', async () => {
    const s = scratchDir();
    try {
      const config = quickstartConfig({ 'train.max_steps': '200' });
      const cancelled = manager({ FAKE_STEP_MS: '10' }).start({ config, runsDir: s.dir });
      const terminated = manager({ FAKE_STEP_MS: '10' }).start({ config, runsDir: s.dir });
      const noisy = manager({ FAKE_BAD_MESSAGE: '1' }).start({ config: quickstartConfig(), runsDir: s.dir });
      const noisySeen = recorded(noisy);
      void untilMessage(cancelled, (m) => m.type === 'progress' && m.step >= 3).then(() => cancelled.cancel());
      void untilMessage(terminated, (m) => m.type === 'progress' && m.step >= 3).then(() => process.kill(terminated.pid as number, 'SIGTERM'));

      const c = await cancelled.done;
      assert.equal(c.state, 'cancelled');
      assert.equal(c.resumable, true);
      assert.ok(c.step >= 3 && c.step < 200);
      assert.deepEqual(cancelled.folder.checkpoints().at(-1)?.step, c.step, 'the state at the stop is checkpointed');
      assert.match(c.message ?? '', /cancelled at step \d+; resume with: masklab train --resume/);
      assert.equal(c.summary?.outcome, 'cancelled');

      const t = await terminated.done;
      assert.equal(t.state, 'cancelled');
      assert.equal(t.exitCode, 143);
      assert.match(t.message ?? '', /stopped by SIGTERM at step/);

      const n = await noisy.done;
      assert.equal(n.state, 'completed', 'the malformed "finished" did not end the run');
      assert.equal(noisySeen.problems.length, 1);
      assert.match(noisySeen.problems[0], /malformed 'finished' message: .*\/outcome: expected one of/);
      assert.ok(!noisySeen.messages.some((m) => m.type === 'finished' && (m.outcome as string) === 'exploded'));
      assert.match(fs.readFileSync(noisy.folder.file('log'), 'utf8'), /rejected a message from the trainer: malformed 'finished' message/);
    } finally {
      s.remove();
    }
  });

  test('a NaN loss fails the run with the core\'s message and keeps the last good checkpoint', async () => {
    const s = scratchDir();
    try {
      const handle = manager({ FAKE_NAN_AT: '7' }).start({ config: quickstartConfig(), runsDir: s.dir });
      const seen = recorded(handle);
      const end = await handle.done;
      assert.equal(end.state, 'failed');
      assert.equal(end.exitCode, 1);
      assert.match(end.message ?? '', /the training loss became NaN at step 7; lower method\.lr\. The last good checkpoint \(step 5\) is kept\./);
      assert.deepEqual(handle.folder.checkpoints().map((c) => c.step), [5]);
      assert.equal(end.resumable, true);
      assert.equal(seen.messages.filter((m) => m.type === 'failed').length, 1);
    } finally {
      s.remove();
    }
  });
});
