import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../server/src/training/backend/selectBackend';
import { buildEncoder, WeightShapeError } from '../../../server/src/training/model/buildEncoder';
import { disposeBatch, padBatch } from '../../../server/src/training/model/batch';
import { createClassifierHead, loadClassifierHead } from '../../../server/src/training/model/classifierHead';
import type { Encoder } from '../../../server/src/training/model/encoder';
import { loadEncoder } from '../../../server/src/training/model/loadEncoder';
import { weightSourceFromMap } from '../../../server/src/training/model/weightSource';
import { naiveForward, naivePooled } from './naiveEncoder';
import { writeTinyCheckpoint } from './tinyCheckpoint';
import { tinyConfig, tinySource, tinyWeights } from './tinyEncoder';

const BACKENDS = ['cpu', 'wasm'] as const;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'compared vectors differ in length');
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** Hidden states of the real (unpadded) tokens of row `row`. */
function rowStates(hidden: tf.Tensor3D, row: number, length: number): number[][] {
  const all = hidden.arraySync();
  return all[row].slice(0, length);
}

for (const backendName of BACKENDS) {
  describe(`encoder on ${backendName}`, () => {
    test('matches a plain float64 forward for BERT (types, padding, pooler)', async () => {
      await selectBackend(backendName);
      const source = tinySource(tinyConfig('bert'), { seed: 7 });
      const encoder = buildEncoder(source);
      const sequences = [
        { ids: [2, 5, 9, 13, 3, 7, 8, 3], tokenTypeIds: [0, 0, 0, 0, 0, 1, 1, 1] },
        { ids: [2, 17, 3], tokenTypeIds: [0, 0, 0] },
      ];
      const batch = padBatch(sequences, source.config.padTokenId);
      const { hidden, pooled } = encoder.forward(batch);
      assert.deepEqual(hidden.shape, [2, 8, 8], 'batch is padded to its longest sequence, not to max positions');
      sequences.forEach((sequence, row) => {
        const expected = naiveForward(source, [...sequence.ids], [...sequence.tokenTypeIds]);
        const got = rowStates(hidden, row, sequence.ids.length);
        assert.ok(maxAbsDiff(got.flat(), expected.flat()) < 1e-4, `row ${row} differs from the reference`);
        const pooledRow = (pooled as tf.Tensor2D).arraySync()[row];
        assert.ok(maxAbsDiff(pooledRow, naivePooled(source, expected)) < 1e-4, `pooled row ${row} differs`);
      });
      tf.dispose([hidden, pooled as tf.Tensor]);
      disposeBatch(batch);
      encoder.dispose();
    });

    test('matches a plain float64 forward for RoBERTa (positions from padding_idx+1, pads skipped)', async () => {
      await selectBackend(backendName);
      const source = tinySource(tinyConfig('roberta'), { seed: 11 });
      const encoder = buildEncoder(source);
      const sequences = [{ ids: [0, 6, 7, 8, 9, 10, 2] }, { ids: [0, 12, 2] }];
      const batch = padBatch(sequences, source.config.padTokenId);
      const positions = encoder.embeddings.positionIds(batch.inputIds);
      assert.deepEqual(positions.arraySync(), [
        [2, 3, 4, 5, 6, 7, 8],
        [2, 3, 4, 1, 1, 1, 1],
      ]);
      const { hidden } = encoder.forward(batch, { pool: false });
      sequences.forEach((sequence, row) => {
        const expected = naiveForward(source, [...sequence.ids]);
        assert.ok(maxAbsDiff(rowStates(hidden, row, sequence.ids.length).flat(), expected.flat()) < 1e-4, `row ${row} differs`);
      });
      tf.dispose([hidden, positions]);
      disposeBatch(batch);
      encoder.dispose();
    });

    test('live tensor count stays flat across forwards, with and without a weight transform', async () => {
      await selectBackend(backendName);
      const encoder = buildEncoder(tinySource(tinyConfig('bert')));
      const batch = padBatch([{ ids: [2, 4, 5, 3] }, { ids: [2, 6, 3] }], 0);
      const run = () => {
        const out = encoder.forward(batch, { training: true, nextSeed: () => 3 });
        tf.dispose([out.hidden, out.pooled as tf.Tensor]);
      };
      run();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) run();
      assert.equal(tf.memory().numTensors, before, 'forward leaked tensors');
      const mask = tf.ones([8, 8]) as tf.Tensor2D;
      encoder.blocks[0].attention.weights.query.setWeightTransform((w) => tf.mul(w, mask));
      run();
      const withTransform = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) run();
      assert.equal(tf.memory().numTensors, withTransform, 'forward with a weight transform leaked tensors');
      mask.dispose();
      disposeBatch(batch);
      encoder.dispose();
    });

    test('dropout only in training, reproducible from the seeds given', async () => {
      await selectBackend(backendName);
      const encoder = buildEncoder(tinySource(tinyConfig('bert'), { seed: 4 }));
      const batch = padBatch([{ ids: [2, 4, 5, 6, 7, 3] }], 0);
      const hiddenOf = (training: boolean, firstSeed: number) => {
        let seed = firstSeed;
        const { hidden, pooled } = encoder.forward(batch, { training, nextSeed: () => seed++ });
        const values = hidden.dataSync().slice();
        tf.dispose([hidden, pooled as tf.Tensor]);
        return values;
      };
      assert.deepEqual(hiddenOf(false, 1), hiddenOf(false, 2), 'evaluation ignores seeds');
      assert.deepEqual(hiddenOf(true, 1), hiddenOf(true, 1), 'same seeds, same dropout masks');
      assert.ok(maxAbsDiff(hiddenOf(true, 1), hiddenOf(true, 100)) > 1e-3, 'other seeds, other masks');
      assert.ok(maxAbsDiff(hiddenOf(true, 1), hiddenOf(false, 1)) > 1e-3, 'training applies dropout');
      disposeBatch(batch);
      encoder.dispose();
    });

    test('effectiveWeight is the only way weights enter the forward pass', async () => {
      await selectBackend(backendName);
      const encoder = buildEncoder(tinySource(tinyConfig('bert'), { seed: 3 }));
      const batch = padBatch([{ ids: [2, 4, 5, 6, 3] }], 0);
      const hiddenOf = (e: Encoder) => {
        const { hidden, pooled } = e.forward(batch);
        const values = hidden.dataSync().slice();
        tf.dispose([hidden, pooled as tf.Tensor]);
        return values;
      };
      const plain = hiddenOf(encoder);
      const ones = encoder.linears().map((l) => tf.onesLike(l.weight));
      encoder.linears().forEach((l, i) => l.setWeightTransform((w) => tf.mul(w, ones[i])));
      assert.ok(maxAbsDiff(hiddenOf(encoder), plain) < 1e-6, 'an all-ones mask must not change the output');
      const value = encoder.blocks[1].attention.weights.value;
      const zeros = tf.zerosLike(value.weight);
      value.setWeightTransform((w) => tf.mul(w, zeros));
      assert.ok(maxAbsDiff(hiddenOf(encoder), plain) > 1e-3, 'zeroing a value matrix must change the output');
      value.setWeightTransform(() => tf.zeros([3, 3]));
      assert.throws(() => encoder.forward(batch), /returned shape \[3, 3\], expected \[8, 8\]/);
      tf.dispose([...ones, zeros]);
      disposeBatch(batch);
      encoder.dispose();
    });

    test('gradients flow to a mask and to the embeddings (gather gradient) and agree with cpu', async () => {
      // Computed on cpu first, then on the backend under test, for the same weights and inputs.
      const config = tinyConfig('bert');
      const gradients = async (name: 'cpu' | 'wasm') => {
        await selectBackend(name);
        const encoder = buildEncoder(tinySource(config, { seed: 5 }));
        const batch = padBatch([{ ids: [2, 4, 4, 9, 3] }, { ids: [2, 7, 3] }], 0);
        const query = encoder.blocks[0].attention.weights.query;
        const scores = tf.fill(query.weight.shape, 0.5) as tf.Tensor2D;
        const grads = tf.grads((s: tf.Tensor, word: tf.Tensor) => {
          query.setWeightTransform((w) => tf.mul(w, s));
          // Use the word table passed in, so its gradient is taken through gather.
          const original = encoder.embeddings.tables.word;
          (encoder.embeddings.tables as { word: tf.Tensor2D }).word = word as tf.Tensor2D;
          try {
            const { hidden, pooled } = encoder.forward(batch);
            return tf.add(tf.sum(tf.square(hidden)), tf.sum(pooled as tf.Tensor));
          } finally {
            (encoder.embeddings.tables as { word: tf.Tensor2D }).word = original;
          }
        })([scores, encoder.embeddings.tables.word]);
        const [dScores, dWord] = grads.map((g) => g.dataSync().slice());
        tf.dispose([...grads, scores]);
        disposeBatch(batch);
        encoder.dispose();
        return { dScores, dWord };
      };
      const reference = await gradients('cpu');
      const got = await gradients(backendName);
      assert.ok(reference.dScores.some((v) => Math.abs(v) > 1e-4), 'the mask gradient is not trivially zero');
      assert.ok(maxAbsDiff(got.dScores, reference.dScores) < 1e-3);
      assert.ok(maxAbsDiff(got.dWord, reference.dWord) < 1e-3);
      // Token 4 appears twice: its row collects both contributions; unused tokens get none.
      const h = config.hiddenSize;
      assert.ok(got.dWord.slice(4 * h, 5 * h).some((v) => v !== 0));
      assert.ok(got.dWord.slice(15 * h, 16 * h).every((v) => v === 0));
    });

    test('classifier heads: seeded, shaped, loadable from the checkpoint', async () => {
      await selectBackend(backendName);
      const config = tinyConfig('bert');
      const a = createClassifierHead(config, 3, 42);
      const b = createClassifierHead(config, 3, 42);
      const c = createClassifierHead(config, 3, 43);
      assert.deepEqual(a.out.weight.dataSync(), b.out.weight.dataSync());
      assert.notDeepEqual(a.out.weight.dataSync(), c.out.weight.dataSync());
      const std = tf.tidy(() => Math.sqrt(tf.moments(a.out.weight).variance.dataSync()[0]));
      assert.ok(std > 0.005 && std < 0.05, `head init std ${std} should be near initializer_range 0.02`);
      const encoder = buildEncoder(tinySource(config));
      const batch = padBatch([{ ids: [2, 5, 3] }, { ids: [2, 6, 7, 3] }], 0);
      const encoded = encoder.forward(batch);
      const logits = a.apply(encoded);
      assert.deepEqual(logits.shape, [2, 3]);
      tf.dispose([logits, encoded.hidden, encoded.pooled as tf.Tensor]);

      const robertaConfig = tinyConfig('roberta');
      const headWeights = {
        'classifier.dense.weight': { shape: [8, 8], values: new Float32Array(64).fill(0.01) },
        'classifier.dense.bias': { shape: [8], values: new Float32Array(8) },
        'classifier.out_proj.weight': { shape: [2, 8], values: new Float32Array(16).fill(-0.02) },
        'classifier.out_proj.bias': { shape: [2], values: new Float32Array([0.5, -0.5]) },
      };
      const robertaSource = tinySource(robertaConfig, { withPooler: false, extra: headWeights });
      const loaded = loadClassifierHead(robertaSource);
      assert.ok(loaded, 'the stored RoBERTa head is found');
      assert.equal(loaded.numLabels, 2);
      assert.equal(loaded.dense?.role, 'classifierDense');
      assert.equal(loadClassifierHead(tinySource(config)), null, 'no head stored → null');
      const roberta = buildEncoder(robertaSource);
      assert.equal(roberta.pooler, null);
      const rBatch = padBatch([{ ids: [0, 5, 2] }], 1);
      const rEncoded = roberta.forward(rBatch);
      const rLogits = loaded.apply(rEncoded);
      // dense=0.01·Σh over the <s> state; logits = out·tanh(...) + bias: check against that formula.
      const cls = rEncoded.hidden.arraySync()[0][0];
      const t = Math.tanh(0.01 * cls.reduce((s, v) => s + v, 0));
      const expected = [0.5 - 0.02 * 8 * t, -0.5 - 0.02 * 8 * t];
      assert.ok(maxAbsDiff(rLogits.dataSync(), expected) < 1e-5);
      tf.dispose([rLogits, rEncoded.hidden]);
      for (const thing of [a, b, c, loaded, encoder, roberta]) thing.dispose();
      disposeBatch(batch);
      disposeBatch(rBatch);
    });
  });
}

describe('loading', () => {
  test('loadEncoder reads prefixed and bare checkpoints of both families through the checkpoint module', async () => {
    for (const [family, prefixed] of [['roberta', true], ['bert', false]] as const) {
      const checkpoint = writeTinyCheckpoint(family, 13, prefixed);
      try {
        const encoder = await loadEncoder(checkpoint.dir, { backend: 'cpu' });
        assert.equal(encoder.backend?.detail, 'cpu (pure JavaScript)');
        assert.equal(encoder.config.family, family);
        assert.equal(encoder.config.padTokenId, family === 'roberta' ? 1 : 0);
        const ids = family === 'roberta' ? [0, 7, 9, 2] : [2, 7, 9, 3];
        const batch = padBatch([{ ids }], encoder.config.padTokenId);
        const { hidden, pooled } = encoder.forward(batch);
        const expected = naiveForward(checkpoint.source, ids);
        assert.ok(maxAbsDiff(hidden.dataSync(), expected.flat()) < 1e-4, `${family} prefixed=${prefixed}`);
        tf.dispose([hidden, pooled as tf.Tensor]);
        disposeBatch(batch);
        encoder.dispose();
      } finally {
        checkpoint.remove();
      }
    }
  });

  test('a wrong shape names the tensor, what was found and what config.json implies', async () => {
    await selectBackend('cpu');
    const config = tinyConfig('bert');
    const weights = tinyWeights(config);
    weights.set('encoder.layer.1.intermediate.dense.weight', { shape: [8, 16], values: new Float32Array(128) });
    const before = tf.memory().numTensors;
    assert.throws(
      () => buildEncoder(weightSourceFromMap('/models/broken', config, weights)),
      (error: unknown) =>
        error instanceof WeightShapeError &&
        /\/models\/broken: tensor 'encoder\.layer\.1\.intermediate\.dense\.weight' has shape \[8, 16\], expected \[16, 8\]/.test(error.message),
    );
    assert.equal(tf.memory().numTensors, before, 'a failed load frees what it had created');
  });

  test('a missing tensor and an impossible config are reported, not crashed on', async () => {
    await selectBackend('cpu');
    const config = tinyConfig('bert');
    const weights = tinyWeights(config);
    weights.delete('embeddings.LayerNorm.weight');
    assert.throws(() => buildEncoder(weightSourceFromMap('m', config, weights)), /missing tensor 'embeddings\.LayerNorm\.weight'/);
    assert.throws(() => buildEncoder(tinySource(tinyConfig('bert', { numHeads: 3 }))), /not divisible by the 3 attention heads/);
  });

  test('LayerNorm gamma/beta names from TensorFlow conversions are accepted', async () => {
    await selectBackend('cpu');
    const config = tinyConfig('bert');
    const weights = tinyWeights(config);
    const plain = buildEncoder(weightSourceFromMap('m', config, weights));
    for (const name of [...weights.keys()].filter((n) => n.includes('LayerNorm'))) {
      const renamed = name.replace(/\.weight$/, '.gamma').replace(/\.bias$/, '.beta');
      weights.set(renamed, weights.get(name)!);
      weights.delete(name);
    }
    const converted = buildEncoder(weightSourceFromMap('m', config, weights));
    const batch = padBatch([{ ids: [2, 8, 3] }], 0);
    const a = plain.forward(batch);
    const b = converted.forward(batch);
    assert.deepEqual(a.hidden.dataSync(), b.hidden.dataSync());
    tf.dispose([a.hidden, a.pooled as tf.Tensor, b.hidden, b.pooled as tf.Tensor]);
    disposeBatch(batch);
    plain.dispose();
    converted.dispose();
  });

  test('sequences longer than the position table are refused with a fix', async () => {
    await selectBackend('cpu');
    const encoder = buildEncoder(tinySource(tinyConfig('roberta')));
    const batch = padBatch([{ ids: Array.from({ length: 17 }, () => 5) }], 1);
    assert.throws(() => encoder.forward(batch), /sequences of 17 tokens but this roberta model embeds at most 16; truncate/);
    disposeBatch(batch);
    encoder.dispose();
  });
});
