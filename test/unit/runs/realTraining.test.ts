// End to end with the real training core (tiny random model of examples/, wasm backend): the CLI
// trains; base checkpoint + exported artifact reproduce the run's dev metrics exactly; a real
// trainer SIGKILLed mid-run resumes to exactly the uninterrupted run's record.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../server/src/cli/main';
import { loadRunArtifact } from '../../../server/src/runs/runArtifact';
import { RunFolder } from '../../../server/src/runs/runFolder';
import { RunManager } from '../../../server/src/runs/runManager';
import { captureIO } from '../../support/cliCapture';
import { examplesDir } from '../../support/repoRoot';
import { scratchDir } from './runFixtures';

const QUICKSTART = path.join(examplesDir, 'quickstart.masklab');

function record(folder: RunFolder) {
  const summary = folder.readSummary();
  return {
    dev: folder.readMetrics().records.filter((r) => r.split === 'dev').map((r) => ({ step: r.step, values: r.values })),
    trainLoss: folder.readMetrics().records.filter((r) => r.split === 'train').map((r) => [r.step, r.values.loss]),
    best: summary?.best,
    final: summary?.final,
    sparsity: summary?.sparsity,
    artifact: loadRunArtifact(folder.file('artifact')).parts,
  };
}

describe('real training', () => {
  test('train → export --check reproduces the dev metrics; SIGKILL + resume equals the uninterrupted run', { skip: !fs.existsSync(QUICKSTART) && 'examples/quickstart.masklab is absent' }, async () => {
    const s = scratchDir();
    try {
      const { io, out, err } = captureIO(s.dir);
      const args = ['train', QUICKSTART, '--set', 'train.max_steps=8', '--set', 'task.max_examples=256', '--set', 'task.dev_examples=64', '--set', 'evaluate.every=4 steps', '--set', 'train.checkpoint_every=4 steps', '--backend', 'wasm', '--runs', s.dir];
      const code = await main(args, io);
      assert.equal(code, 0, err.join('\n'));
      const text = out.join('\n');
      assert.match(text, /training on wasm/);
      assert.match(text, /^step 8 {2}epoch [\d.]+ {2}dev {2}accuracy 0\.\d{4} {2}f1 0\.\d{4} {2}loss 0\.\d{4}/m);
      const [runId] = fs.readdirSync(path.join(s.dir, 'quickstart'));
      const folder = new RunFolder(path.join(s.dir, 'quickstart', runId));
      const summary = folder.readSummary();
      assert.equal(summary?.backend.name, 'wasm');
      assert.ok((summary?.bytes_per_task.entropy_coded ?? Infinity) < (summary?.bytes_per_task.packed ?? 0), 'the masks entropy-code below 1 bit/parameter');
      const environment = folder.readEnvironment();
      assert.match(environment?.tfjs ?? '', /^4\./);
      assert.equal(environment?.backend?.name, 'wasm');

      // The same config again, killed after its first checkpoint and resumed — while the
      // exported artifact is checked against the first run in this process.
      const config = folder.readConfig();
      const runs = new RunManager();
      const killed = runs.start({ config, runsDir: path.join(s.dir, 'killed') });
      killed.on('message', (m) => {
        if (m.type === 'checkpoint' && m.step >= 4) killed.kill();
      });
      const exportIo = captureIO(s.dir);
      const [exported, killedEnd] = await Promise.all([main(['export', folder.dir, '--check'], exportIo.io), killed.done]);
      assert.equal(exported, 0, exportIo.err.join('\n'));
      assert.match(exportIo.out.join('\n'), /reproduces the run's metrics exactly/);
      assert.equal(killedEnd.state, 'failed');
      assert.equal(killedEnd.signal, 'SIGKILL');
      assert.ok(killedEnd.resumable);
      const resumed = await runs.start({ resumeDir: killed.dir }).done;
      assert.equal(resumed.state, 'completed', resumed.message ?? '');
      assert.deepEqual(record(killed.folder), record(folder));
    } finally {
      s.remove();
    }
  });
});
