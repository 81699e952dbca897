import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { main } from '../../../server/src/cli/main';
import type { CliIO } from '../../../server/src/cli/command';
import { encoderParameterNames } from '../../../server/src/training/model/buildEncoder';
import { SKIP_SHARED, sharedModelDir } from '../training/sharedPaths';
import { writeTinyCheckpoint } from '../training/tinyCheckpoint';

function capture(cwd = process.cwd()) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), cwd, env: {}, isTTY: false };
  return { io, out, err };
}

/** Parameter table rows: name, shape, count. */
function parameterRows(text: string): { name: string; shape: string; count: number }[] {
  return [...text.matchAll(/^(\S+)\s+(\[[\d, ]*\])\s+([\d,]+)\s+F32$/gm)].map((m) => ({ name: m[1], shape: m[2], count: Number(m[3].replace(/,/g, '')) }));
}

describe('masklab model', () => {
  const bert = writeTinyCheckpoint('bert');
  const roberta = writeTinyCheckpoint('roberta');
  after(() => {
    bert.remove();
    roberta.remove();
  });

  test('prints the architecture, every parameter with shape and count, and totals', async () => {
    const { io, out, err } = capture();
    assert.equal(await main(['model', bert.dir], io), 0, err.join('\n'));
    const text = out.join('\n');
    assert.match(text, /^family\s+bert \(BertModel; parameter prefix 'bert\.'\)$/m);
    assert.match(text, /^layers\s+2$/m);
    assert.match(text, /^hidden\s+8$/m);
    assert.match(text, /^heads\s+2 \(head size 4\)$/m);
    assert.match(text, /^FFN\s+16 \(gelu\)$/m);
    assert.match(text, /^vocab\s+20$/m);
    assert.match(text, /^positions\s+16 \(longest input 16 tokens\)$/m);
    assert.match(text, /^backend\s+(wasm|tensorflow|cpu) \(/m);
    const rows = parameterRows(text);
    const expected = encoderParameterNames(bert.config, true);
    assert.deepEqual(new Set(rows.map((r) => r.name)), new Set(expected.map((n) => `bert.${n}`)));
    const word = rows.find((r) => r.name === 'bert.embeddings.word_embeddings.weight');
    assert.deepEqual(word, { name: 'bert.embeddings.word_embeddings.weight', shape: '[20, 8]', count: 160 });
    const ffnIn = rows.find((r) => r.name === 'bert.encoder.layer.1.intermediate.dense.weight');
    assert.equal(ffnIn?.shape, '[16, 8]', 'shapes are shown as stored ([out, in])');
    const total = rows.reduce((s, r) => s + r.count, 0);
    const totalLine = /^total\s+([\d,]+) parameters in (\d+) tensors$/m.exec(text);
    assert.ok(totalLine, text);
    assert.equal(Number(totalLine[1].replace(/,/g, '')), total);
    assert.equal(Number(totalLine[2]), rows.length);
    assert.match(text, /^pooler\s+72 in 2 tensors$/m);
  });

  test('RoBERTa: family and the position offset are shown', async () => {
    const { io, out } = capture();
    assert.equal(await main(['model', roberta.dir, '--backend', 'cpu'], io), 0);
    const text = out.join('\n');
    assert.match(text, /^family\s+roberta \(RobertaModel; parameter prefix 'roberta\.'\)$/m);
    assert.match(text, /^positions\s+18 \(longest input 16 tokens\)$/m);
    assert.match(text, /^backend\s+cpu \(pure JavaScript/m);
  });

  test('a relative DIR is resolved against the working directory', async () => {
    const { io } = capture(path.dirname(bert.dir));
    assert.equal(await main(['model', path.basename(bert.dir)], io), 0);
  });

  test('a missing folder is one line and exit 2', async () => {
    const { io, out, err } = capture();
    assert.equal(await main(['model', '/no/such/model'], io), 2);
    assert.equal(out.length, 0);
    assert.equal(err.length, 1);
    assert.match(err[0], /^masklab model: .*\/no\/such\/model/);
  });

  test('usage mistakes exit 2', async () => {
    for (const argv of [['model'], ['model', bert.dir, '--backend', 'gpu'], ['model', bert.dir, 'extra']]) {
      const { io, err } = capture();
      assert.equal(await main(argv, io), 2, argv.join(' '));
      assert.match(err[0], /^masklab model: /);
    }
  });

  test('the shared checkpoint: BERT-Tiny shape and 4.4 M parameters', { skip: SKIP_SHARED }, async () => {
    const { io, out } = capture();
    assert.equal(await main(['model', sharedModelDir], io), 0);
    const text = out.join('\n');
    assert.match(text, /^heads\s+2 \(head size 64\)$/m);
    assert.match(text, /^vocab\s+30,522$/m);
    const rows = parameterRows(text);
    const total = rows.reduce((s, r) => s + r.count, 0);
    assert.ok(total > 4_350_000 && total < 4_450_000, `total ${total}`);
    assert.ok(rows.some((r) => r.name === 'cls.predictions.bias'));
  });
});

test('masklab model never loads tfjs', () => {
  const checkpoint = writeTinyCheckpoint('bert');
  try {
    const mainPath = path.resolve(__dirname, '../../../server/src/cli/main.ts');
    const script = `
      const { main } = require(${JSON.stringify(mainPath)});
      const io = { out() {}, err(t) { process.stderr.write(t + '\\n'); }, cwd: process.cwd(), env: {}, isTTY: false };
      main(['model', ${JSON.stringify(checkpoint.dir)}], io).then((code) => {
        const tfjs = Object.keys(require.cache).filter((f) => f.includes('@tensorflow'));
        process.stdout.write(JSON.stringify({ code, tfjs }));
      });`;
    const result = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' })) as { code: number; tfjs: string[] };
    assert.equal(result.code, 0);
    assert.deepEqual(result.tfjs, []);
  } finally {
    checkpoint.remove();
  }
});
