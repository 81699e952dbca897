import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../server/src/cli/main';
import type { CliIO } from '../../../server/src/cli/command';
import { findInstalledPackage } from '../../../server/src/training/backend/packages';
import { naiveForward } from '../training/naiveEncoder';
import { SKIP_SHARED, sharedModelDir } from '../training/sharedPaths';
import { TINY_BERT_VOCAB, writeTinyCheckpoint } from '../training/tinyCheckpoint';

interface EncodeOutput {
  text: string | [string, string];
  ids: number[];
  cls: number[];
}

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), cwd: process.cwd(), env: {}, isTTY: false };
  const code = await main(['encode', ...argv], io);
  return { code, stdout: out.join('\n'), err };
}

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  assert.equal(a.length, b.length);
  return a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i])), 0);
}

describe('masklab encode (tiny checkpoint)', () => {
  const tiny = writeTinyCheckpoint('bert', 33);
  after(() => tiny.remove());
  const id = (token: string) => TINY_BERT_VOCAB.indexOf(token);

  test('prints JSON only on stdout: ids with special tokens and the [CLS] vector before the pooler', async () => {
    const { code, stdout, err } = await run(['--model', tiny.dir, '--backend', 'cpu', 'The cats sat.', 'a dog ran']);
    assert.equal(code, 0, err.join('\n'));
    const results = JSON.parse(stdout) as EncodeOutput[];
    assert.equal(results.length, 2);
    assert.deepEqual(results[0].ids, [id('[CLS]'), id('the'), id('cat'), id('##s'), id('sat'), id('.'), id('[SEP]')]);
    assert.equal(results[0].text, 'The cats sat.');
    for (const result of results) {
      const expected = naiveForward(tiny.source, result.ids)[0];
      assert.ok(maxAbsDiff(result.cls, expected) < 1e-4, `cls of ${String(result.text)}`);
    }
    assert.ok(err.some((line) => line === 'masklab encode: backend cpu (pure JavaScript)'), err.join('\n'));
  });

  test('--pair takes texts two at a time, with segment ids', async () => {
    const { code, stdout } = await run(['--model', tiny.dir, '--pair', '--backend', 'wasm', 'the cat', 'a dog', 'good movie', 'playing']);
    assert.equal(code, 0);
    const results = JSON.parse(stdout) as EncodeOutput[];
    assert.deepEqual(
      results.map((r) => r.text),
      [['the cat', 'a dog'], ['good movie', 'playing']],
    );
    const first = results[0];
    assert.deepEqual(first.ids, [id('[CLS]'), id('the'), id('cat'), id('[SEP]'), id('a'), id('dog'), id('[SEP]')]);
    const expected = naiveForward(tiny.source, first.ids, [0, 0, 0, 0, 1, 1, 1])[0];
    assert.ok(maxAbsDiff(first.cls, expected) < 1e-4, 'pairs use token type 1 for the second text');
  });

  test('--max-length truncates', async () => {
    const { code, stdout } = await run(['--model', tiny.dir, '--backend', 'cpu', '--max-length', '4', 'the cat sat on the mat']);
    assert.equal(code, 0);
    assert.deepEqual((JSON.parse(stdout) as EncodeOutput[])[0].ids, [id('[CLS]'), id('the'), id('cat'), id('[SEP]')]);
  });

  test('input errors are one line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--model', '/no/such/model', 'hello'], /\/no\/such\/model/],
      [['--model', tiny.dir, '--pair', 'one', 'two', 'three'], /--pair takes texts two at a time, but 3 were given/],
      [['--model', tiny.dir], /at least one TEXT/],
      [['--model', tiny.dir, '--backend', 'tensorflow', 'hi'], /tfjs-node/],
    ];
    for (const [argv, pattern] of cases) {
      if (argv.includes('tensorflow') && findInstalledPackage('@tensorflow/tfjs-node')) continue;
      const { code, stdout, err } = await run(argv);
      assert.equal(code, 2, argv.join(' '));
      assert.equal(stdout, '');
      assert.equal(err.length, 1, err.join('\n'));
      assert.match(err[0], /^masklab encode: /);
      assert.match(err[0], pattern);
    }
  });

  test('flag mistakes are usage errors (exit 2)', async () => {
    for (const argv of [['hello'], ['--model', tiny.dir, '--max-length', 'ten', 'x'], ['--model', tiny.dir, '--nope', 'x']]) {
      const { code, err } = await run(argv);
      assert.equal(code, 2, argv.join(' '));
      assert.match(err[0], /^masklab encode: /);
    }
  });
});

describe('masklab encode (shared checkpoint)', { skip: SKIP_SHARED }, () => {
  const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../training/fixtures/reference/bert-tiny-glue-mlm.json'), 'utf8')) as {
    examples: { text?: string; pair?: [string, string]; ids: number[]; cls: number[] }[];
  };

  test('agrees with the independent reference for singles and pairs', async () => {
    const singles = fixture.examples.filter((e) => e.text !== undefined).slice(0, 3);
    const pairs = fixture.examples.filter((e) => e.pair !== undefined).slice(0, 2);
    const a = await run(['--model', sharedModelDir, ...singles.map((e) => e.text as string)]);
    const b = await run(['--model', sharedModelDir, '--pair', ...pairs.flatMap((e) => e.pair as [string, string])]);
    assert.equal(a.code, 0);
    assert.equal(b.code, 0);
    const got = [...(JSON.parse(a.stdout) as EncodeOutput[]), ...(JSON.parse(b.stdout) as EncodeOutput[])];
    [...singles, ...pairs].forEach((example, i) => {
      assert.deepEqual(got[i].ids, example.ids);
      assert.ok(maxAbsDiff(got[i].cls, example.cls) < 1e-4);
    });
  });
});
