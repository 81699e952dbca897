// Our tokenizer and encoder against an independent float64 PyTorch reference on the shared
// checkpoint (fixtures/reference/generate_reference.py wrote the fixture).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { openCheckpoint } from '../../../server/src/checkpoint';
import { disposeBatch, padBatch } from '../../../server/src/training/model/batch';
import { loadEncoder } from '../../../server/src/training/model/loadEncoder';
import { loadTokenizer } from '../../../server/src/training/tokenizer';
import { SKIP_SHARED, sharedModelDir } from './sharedPaths';

interface ReferenceExample {
  text?: string;
  pair?: [string, string];
  ids: number[];
  tokenTypeIds: number[];
  cls: number[];
  pooled: number[];
  lastHidden: { position: number; values: number[] }[];
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/reference/bert-tiny-glue-mlm.json'), 'utf8')) as {
  hiddenSize: number;
  examples: ReferenceExample[];
};

const TOLERANCE = 1e-4;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

test('fixture covers singles and pairs', () => {
  assert.ok(fixture.examples.filter((e) => e.text !== undefined).length >= 8);
  assert.ok(fixture.examples.filter((e) => e.pair !== undefined).length >= 4);
  for (const e of fixture.examples) assert.equal(e.cls.length, fixture.hiddenSize);
});

test('our WordPiece tokenizer gives the reference ids', { skip: SKIP_SHARED }, () => {
  const tokenizer = loadTokenizer(sharedModelDir);
  for (const example of fixture.examples) {
    const encoding = example.pair ? tokenizer.encode(example.pair[0], example.pair[1]) : tokenizer.encode(example.text as string);
    assert.deepEqual(encoding.ids, example.ids, `ids of ${JSON.stringify(example.text ?? example.pair)}`);
    assert.deepEqual(encoding.tokenTypeIds, example.tokenTypeIds);
  }
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`bert-tiny-glue-mlm on ${backend}`, { skip: SKIP_SHARED }, () => {
    test('final hidden states and pooled output match the reference within 1e-4 (one padded batch)', async () => {
      const encoder = await loadEncoder(sharedModelDir, { backend, checkpoint: openCheckpoint(sharedModelDir) });
      assert.equal(encoder.backend?.name, backend);
      const batch = padBatch(fixture.examples, encoder.config.padTokenId);
      const longest = Math.max(...fixture.examples.map((e) => e.ids.length));
      const { hidden, pooled } = encoder.forward(batch);
      assert.deepEqual(hidden.shape, [fixture.examples.length, longest, fixture.hiddenSize]);
      const states = hidden.arraySync();
      const pooledRows = (pooled as tf.Tensor2D).arraySync();
      let worst = 0;
      fixture.examples.forEach((example, row) => {
        const where = JSON.stringify(example.text ?? example.pair);
        const clsDiff = maxAbsDiff(states[row][0], example.cls);
        assert.ok(clsDiff < TOLERANCE, `[CLS] of ${where} differs by ${clsDiff}`);
        for (const sample of example.lastHidden) {
          const diff = maxAbsDiff(states[row][sample.position], sample.values);
          assert.ok(diff < TOLERANCE, `token ${sample.position} of ${where} differs by ${diff}`);
          worst = Math.max(worst, diff);
        }
        const pooledDiff = maxAbsDiff(pooledRows[row], example.pooled);
        assert.ok(pooledDiff < TOLERANCE, `pooled output of ${where} differs by ${pooledDiff}`);
        worst = Math.max(worst, clsDiff, pooledDiff);
      });
      // A sanity floor: the comparison is against real numbers, not zeros on both sides.
      assert.ok(fixture.examples[0].cls.some((v) => Math.abs(v) > 0.1));
      tf.dispose([hidden, pooled as tf.Tensor]);
      disposeBatch(batch);
      encoder.dispose();
    });
  });
}
