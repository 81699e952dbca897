import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, cpSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../server/src/cli/main';
import { captureIO } from '../../support/cliCapture';
import { examplesDir } from '../../support/repoRoot';

function workspace(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'masklab-validate-'));
  cpSync(path.join(examplesDir, 'models'), path.join(dir, 'models'), { recursive: true });
  cpSync(path.join(examplesDir, 'data'), path.join(dir, 'data'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const LINE = /^(.+):(\d+):(\d+): (error|warning|info): (.+)$/;

describe('masklab validate', () => {
  test('the quickstart example is clean: exit 0, nothing on stdout', async () => {
    const { io, out, err } = captureIO(examplesDir);
    const code = await main(['validate', 'quickstart.masklab'], io);
    assert.deepEqual(out, [], out.join('\n'));
    assert.equal(code, 0);
    assert.match(err.join('\n'), /1 file checked, no problems/);
  });

  test('errors print as path:line:col: severity: message and exit 2', async () => {
    const ws = workspace({
      'broken.masklab': [
        'experiment a {',
        '  model "models/tiny-random"',
        '  task tsv { data "data/sentiment"  text "sentence"  label "label" }',
        '  method mask { lr 1e-3 threshhold 0.01 }',
        '  train { epochs 1  batch 8 }',
        '}',
        '',
      ].join('\n'),
    });
    try {
      const { io, out } = captureIO(ws.dir);
      const code = await main(['validate', 'broken.masklab'], io);
      assert.equal(code, 2);
      const typo = out.find((l) => l.includes("'threshhold'"));
      assert.ok(typo, out.join('\n'));
      const m = LINE.exec(typo)!;
      assert.deepEqual([m[1], m[2], m[3], m[4]], ['broken.masklab', '4', '25', 'error']);
      assert.match(m[5], /did you mean 'threshold'\?/);
    } finally {
      ws.remove();
    }
  });

  test('columns count UTF-16 code units (an emoji before the mistake counts twice)', async () => {
    const ws = workspace({
      'emoji.masklab': 'experiment a { model "models/tiny-random" /* 🙂 */ trian { epochs 1 } }\n',
    });
    try {
      const { io, out } = captureIO(ws.dir);
      await main(['validate', 'emoji.masklab'], io);
      const line = out.find((l) => l.includes("'trian'"));
      assert.ok(line, out.join('\n'));
      const col = Number(LINE.exec(line)![3]);
      assert.equal(col, 'experiment a { model "models/tiny-random" /* 🙂 */ '.length + 1);
    } finally {
      ws.remove();
    }
  });

  test('several files; a missing one is an error line, not a stack trace', async () => {
    const { io, out, err } = captureIO(examplesDir);
    const code = await main(['validate', 'quickstart.masklab', 'nope.masklab'], io);
    assert.equal(code, 2);
    assert.deepEqual(out, ['nope.masklab:1:1: error: cannot read the file: no such file']);
    assert.doesNotMatch(err.join('\n'), /at .*\.ts:\d+/);
  });

  test('no file is a usage error (exit 2)', async () => {
    const { io, err } = captureIO();
    assert.equal(await main(['validate'], io), 2);
    assert.match(err.join('\n'), /give at least one \.masklab file/);
  });

  test('binary junk and UTF-16 files are read without crashing', async () => {
    const ws = workspace({});
    try {
      writeFileSync(path.join(ws.dir, 'junk.masklab'), Buffer.from([0, 159, 146, 150, 0xff, 0xfe, 123, 125, 34]));
      writeFileSync(path.join(ws.dir, 'utf16.masklab'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('experimnt a { }\n', 'utf16le')]));
      const { io, out } = captureIO(ws.dir);
      const code = await main(['validate', 'junk.masklab', 'utf16.masklab'], io);
      assert.equal(code, 2);
      assert.ok(out.every((l) => LINE.test(l)), out.join('\n'));
      assert.ok(out.some((l) => l.startsWith('utf16.masklab:1:1: error:') && l.includes("did you mean 'experiment'?")), out.join('\n'));
    } finally {
      ws.remove();
    }
  });
});
