import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../server/src/cli/main';
import { validateConfig } from '../../../schemas/src/validateConfig';
import { captureIO } from '../../support/cliCapture';
import { examplesDir } from '../../support/repoRoot';

const SOURCE = `
experiment base {
  model "models/tiny-random"
  task tsv { data "data/sentiment"  text "sentence"  label "label"  max_length 32 }
  method mask { lr 1e-3 }
  train { epochs 2  batch 16  seed 7 }
}

experiment tuned extends base {
  method finetune { lr 5e-5 }
}

sweep grid of base {
  train.seed 1, 2, 3
  method.lr  1e-4, 1e-3
}
`;

function workspace() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'masklab-config-'));
  symlinkSync(path.join(examplesDir, 'models'), path.join(dir, 'models'));
  symlinkSync(path.join(examplesDir, 'data'), path.join(dir, 'data'));
  writeFileSync(path.join(dir, 'exp.masklab'), SOURCE);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

async function config(dir: string, ...args: string[]) {
  const { io, out, err } = captureIO(dir);
  const code = await main(['config', 'exp.masklab', ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('masklab config', () => {
  test('several experiments and no --experiment: exit 2 listing the names', async () => {
    const ws = workspace();
    try {
      const r = await config(ws.dir);
      assert.equal(r.code, 2);
      assert.match(r.err, /base \(experiment\), tuned \(experiment\), grid \(sweep\)/);
    } finally {
      ws.remove();
    }
  });

  test('prints a schema-valid config with defaults explicit and paths absolute', async () => {
    const ws = workspace();
    try {
      const r = await config(ws.dir, '--experiment', 'tuned');
      assert.equal(r.code, 0, r.err);
      const json = JSON.parse(r.out);
      const validation = validateConfig(json);
      assert.ok(validation.valid, JSON.stringify(validation));
      assert.equal(json.method.kind, 'finetune');
      assert.equal(json.method.lr, 5e-5);
      assert.equal(typeof json.method.weight_decay, 'number', 'finetune defaults are stated');
      assert.equal(json.train.seed, 7, 'inherited from base');
      assert.ok(path.isAbsolute(json.model.dir));
    } finally {
      ws.remove();
    }
  });

  test('sweep cells: --index is 0-based with the first key varying slowest', async () => {
    const ws = workspace();
    try {
      const cells = [];
      for (let i = 0; i < 6; i++) {
        const r = await config(ws.dir, '--experiment', 'grid', '--index', String(i));
        assert.equal(r.code, 0, r.err);
        const json = JSON.parse(r.out);
        cells.push([json.train.seed, json.method.lr]);
      }
      assert.deepEqual(cells, [
        [1, 1e-4],
        [1, 1e-3],
        [2, 1e-4],
        [2, 1e-3],
        [3, 1e-4],
        [3, 1e-3],
      ]);
      const out = await config(ws.dir, '--experiment', 'grid', '--index', '6');
      assert.equal(out.code, 2);
      assert.match(out.err, /outside sweep 'grid'/);
    } finally {
      ws.remove();
    }
  });

  test('--set takes dotted keys and values in the language syntax', async () => {
    const ws = workspace();
    try {
      const r = await config(ws.dir, '--experiment', 'base', '--set', 'method.lr=3e-4', '--set', 'train.seed=99');
      assert.equal(r.code, 0, r.err);
      const json = JSON.parse(r.out);
      assert.equal(json.method.lr, 3e-4);
      assert.equal(json.train.seed, 99);
      const bad = await config(ws.dir, '--experiment', 'base', '--set', 'method.lrr=1');
      assert.equal(bad.code, 2);
      assert.match(bad.err, /did you mean 'method.lr'\?/);
      const malformed = await config(ws.dir, '--experiment', 'base', '--set', 'method.lr');
      assert.equal(malformed.code, 2);
    } finally {
      ws.remove();
    }
  });

  test('an unknown experiment name gets a did-you-mean', async () => {
    const ws = workspace();
    try {
      const r = await config(ws.dir, '--experiment', 'tunde');
      assert.equal(r.code, 2);
      assert.match(r.err, /did you mean 'tuned'\?/);
    } finally {
      ws.remove();
    }
  });
});
