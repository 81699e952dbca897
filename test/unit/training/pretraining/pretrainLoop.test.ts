// The masked-LM loop on a tiny model: it learns (held-out loss falls on a toy corpus), it is
// deterministic by seed, it trains the word embeddings on wasm (gather gradient through the
// engine's fallback kernel, decoder gradient through the tied table), and what it saves can be
// loaded back into the same model.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../server/src/training/backend/selectBackend';
import { padBatch } from '../../../../server/src/training/model/batch';
import { EMBEDDING_NAMES } from '../../../../server/src/training/model/parameterNames';
import { weightSourceFromMap, type WeightArray } from '../../../../server/src/training/model/weightSource';
import { MaskedLmHead, gatherPositions, maskedLmLoss, tiedDecoderProduct } from '../../../../server/src/training/pretraining/maskedLmHead';
import { MaskedLmModel } from '../../../../server/src/training/pretraining/maskedLmModel';
import { maskSequence } from '../../../../server/src/training/pretraining/maskTokens';
import { evaluateHeldOut, fixedCorruption, pretrainMaskedLm, type PretrainOptions } from '../../../../server/src/training/pretraining/pretrainLoop';
import { evaluationLine, formatDuration, progressLine } from '../../../../server/src/training/pretraining/pretrainProgress';
import { createRandom } from '../../../../server/src/training/random';
import { countingCorpus, masking, tinyMlmConfig, tinyMlmModel } from './tinyMaskedLm';

const CONFIG = tinyMlmConfig();

function options(overrides: Partial<PretrainOptions> = {}): PretrainOptions {
  return {
    steps: 40,
    batchSize: 16,
    peakLr: 3e-2,
    warmupSteps: 4,
    weightDecay: 0.01,
    maxGradNorm: 1,
    seed: 5,
    masking: masking(CONFIG),
    padId: 0,
    evaluateEvery: 20,
    progressEverySeconds: 0,
    ...overrides,
  };
}

const CORPUS = { train: countingCorpus(400, CONFIG, 1), heldOut: countingCorpus(60, CONFIG, 2) };

// wasm by default: it is the backend the example model is made on, and several times faster than
// the pure-JavaScript cpu backend at these sizes.

test('pretraining lowers the held-out masked-LM loss and reports progress and evaluations', async () => {
  const backend = await selectBackend('wasm');
  const model = tinyMlmModel(CONFIG, 1, backend);
  try {
    const heldOut = fixedCorruption(CORPUS.heldOut, masking(CONFIG), createRandom(1));
    const before = evaluateHeldOut(model, heldOut, 64, 0, 0);
    const progress: string[] = [];
    const evaluated: number[] = [];
    const result = await pretrainMaskedLm(model, CORPUS, options({ onProgress: (p) => progress.push(progressLine(p)), onEvaluation: (e) => evaluated.push(e.step) }));
    const after = evaluateHeldOut(model, heldOut, 64, 0, 40);
    assert.ok(after.loss < before.loss - 0.5, `held-out loss ${before.loss.toFixed(3)} → ${after.loss.toFixed(3)}`);
    assert.ok(after.accuracy > before.accuracy, `accuracy ${before.accuracy} → ${after.accuracy}`);
    assert.deepEqual(evaluated, [20, 40]);
    assert.equal(result.final.step, 40);
    assert.ok(result.final.predictions > 60, 'every held-out sequence contributes at least one prediction');
    assert.equal(progress.length, 40, 'with a 0 s interval every step is reported');
    assert.match(progress[39], /^pretrain 100\.0 % {2}step 40\/40 {2}epoch \d+\.\d\d {2}loss \d+\.\d{4} {2}lr \d\.\de-\d {2}\d+\.\d\d steps\/s {2}elapsed \d+s {2}ETA 0s$/);
    assert.match(progress[19], /^pretrain {2}50\.0 % {2}step 20\/40/);
  } finally {
    model.dispose();
  }
});

test('the same seed trains to identical weights; another seed to different ones', async () => {
  const backend = await selectBackend('wasm');
  const run = async (seed: number) => {
    const model = tinyMlmModel(CONFIG, 1, backend);
    try {
      await pretrainMaskedLm(model, CORPUS, options({ steps: 8, evaluateEvery: 0, seed }));
      return model.checkpointTensors();
    } finally {
      model.dispose();
    }
  };
  const first = await run(3);
  const again = await run(3);
  const other = await run(4);
  assert.deepEqual(again.map((t) => t.name), first.map((t) => t.name));
  first.forEach((tensor, i) => assert.deepEqual(again[i].data, tensor.data, `${tensor.name} differs between two runs with one seed`));
  assert.ok(first.some((tensor, i) => tensor.data.some((v, k) => v !== other[i].data[k])), 'another seed gives other weights');
});

/** Gradients of the masked-LM loss of one fixed batch, by variable name suffix. */
function batchGradients(model: MaskedLmModel, sequences: number[][]): Map<string, Float32Array> {
  const random = createRandom(8);
  const masked = sequences.map((ids) => maskSequence(ids, masking(model.config), random));
  const batch = padBatch(masked.map((m) => ({ ids: m.inputIds })), 0);
  const length = batch.inputIds.shape[1];
  const positions = tf.tensor1d(masked.flatMap((m, row) => m.positions.map((p) => row * length + p)), 'int32');
  const labels = tf.tensor1d(masked.flatMap((m) => m.labels), 'int32');
  const { value, grads } = tf.variableGrads(() => {
    const { hidden } = model.encoder.forward(batch, { pool: false });
    return maskedLmLoss(model.head.logits(gatherPositions(hidden, positions)), labels);
  }, model.variables());
  const byName = new Map<string, Float32Array>();
  for (const p of model.parameters) {
    const grad = grads[p.variable.name];
    if (grad) byName.set(p.name, new Float32Array(grad.dataSync() as Float32Array));
  }
  tf.dispose([value, positions, labels, batch.inputIds, batch.attentionMask, batch.tokenTypeIds as tf.Tensor, ...Object.values(grads)]);
  return byName;
}

test('on wasm the word embeddings train: gather gradient (fallback kernel) plus tied decoder, equal to cpu', async () => {
  // Ids 5…9 only, so rows 10… of the table are reached through the tied decoder alone.
  const sequences = Array.from({ length: 6 }, (_, row) => [2, 5 + (row % 5), 6 + (row % 4), 7, 8, 9, 3]);
  const gradientsOn = async (name: 'cpu' | 'wasm') => {
    const backend = await selectBackend(name);
    assert.equal(backend.name, name);
    const model = tinyMlmModel(CONFIG, 2, backend);
    try {
      return batchGradients(model, sequences);
    } finally {
      model.dispose();
    }
  };
  const cpu = await gradientsOn('cpu');
  const wasm = await gradientsOn('wasm');
  const h = CONFIG.hiddenSize;
  const word = wasm.get(EMBEDDING_NAMES.word);
  assert.ok(word, 'the word embeddings get a gradient on wasm');
  const rowNorm = (grad: Float32Array, row: number) => Math.hypot(...grad.subarray(row * h, (row + 1) * h));
  assert.ok(rowNorm(word, 7) > 1e-6, 'a row used in the batch');
  assert.ok(rowNorm(word, 15) > 1e-6, 'a row only the decoder reaches');
  assert.equal(new Set(wasm.keys()).size, cpu.size);
  for (const [name, grad] of cpu) {
    const other = wasm.get(name);
    assert.ok(other, `${name} has a gradient on wasm too`);
    const scale = Math.max(1e-3, ...grad.map(Math.abs));
    grad.forEach((v, i) => assert.ok(Math.abs(v - other[i]) <= 1e-3 * scale, `${name}[${i}]: cpu ${v}, wasm ${other[i]}`));
  }
});

test('the tied decoder gradient is the sum of the embedding and decoder roles of the table', async () => {
  const backend = await selectBackend('cpu');
  const model = tinyMlmModel(CONFIG, 3, backend);
  const word = model.parameters.find((p) => p.name === EMBEDDING_NAMES.word)!.variable;
  const untied = tf.variable(tf.clone(word), true, 'untied-decoder-copy');
  try {
    const sequences = countingCorpus(5, CONFIG, 9);
    const tied = batchGradients(model, sequences).get(EMBEDDING_NAMES.word)!;
    // The same model with the decoder reading a separate copy of the table.
    const head = model.head;
    const separate = new MaskedLmHead(head.transform, head.layerNorm, head.bias, untied as tf.Tensor as tf.Tensor2D, model.config.hiddenAct);
    const random = createRandom(8);
    const masked = sequences.map((ids) => maskSequence(ids, masking(CONFIG), random));
    const batch = padBatch(masked.map((m) => ({ ids: m.inputIds })), 0);
    const length = batch.inputIds.shape[1];
    const positions = tf.tensor1d(masked.flatMap((m, row) => m.positions.map((p) => row * length + p)), 'int32');
    const labels = tf.tensor1d(masked.flatMap((m) => m.labels), 'int32');
    const { value, grads } = tf.variableGrads(() => {
      const { hidden } = model.encoder.forward(batch, { pool: false });
      return maskedLmLoss(separate.logits(gatherPositions(hidden, positions)), labels);
    }, [word, untied]);
    const embeddingRole = grads[word.name].dataSync();
    const decoderRole = grads[untied.name].dataSync();
    tied.forEach((v, i) => assert.ok(Math.abs(v - (embeddingRole[i] + decoderRole[i])) < 1e-5, `entry ${i}: tied ${v} vs ${embeddingRole[i]} + ${decoderRole[i]}`));
    assert.ok(decoderRole.some((v) => Math.abs(v) > 1e-6), 'the decoder role contributes');
    tf.dispose([value, positions, labels, batch.inputIds, batch.attentionMask, batch.tokenTypeIds as tf.Tensor, ...Object.values(grads)]);
  } finally {
    untied.dispose();
    model.dispose();
  }
});

test('tiedDecoderProduct equals x·tableᵀ, gradients included', async () => {
  await selectBackend('cpu');
  const random = createRandom(4);
  const x = tf.tensor2d(Float32Array.from({ length: 5 * 3 }, () => random() - 0.5), [5, 3]);
  const table = tf.tensor2d(Float32Array.from({ length: 7 * 3 }, () => random() - 0.5), [7, 3]);
  const weights = tf.tensor2d(Float32Array.from({ length: 5 * 7 }, () => random()), [5, 7]);
  const loss = (f: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor2D, b as tf.Tensor2D), weights));
  const ours = tf.grads(loss(tiedDecoderProduct))([x, table]);
  const reference = tf.grads(loss((a, b) => tf.matMul(a, b, false, true)))([x, table]);
  const close = (a: tf.Tensor, b: tf.Tensor) => assert.ok(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] < 1e-5);
  close(tiedDecoderProduct(x, table), tf.matMul(x, table, false, true));
  close(ours[0], reference[0]);
  close(ours[1], reference[1]);
});

test('checkpointTensors: Hugging Face names and layout, and a model rebuilt from them computes the same', async () => {
  const backend = await selectBackend('wasm');
  const model = tinyMlmModel(CONFIG, 1, backend);
  await pretrainMaskedLm(model, CORPUS, options({ steps: 5, evaluateEvery: 0 }));
  const tensors = model.checkpointTensors();
  const names = tensors.map((t) => t.name);
  assert.ok(names.every((n) => n.startsWith('bert.') || n.startsWith('cls.predictions.')), names.join(', '));
  assert.ok(names.includes('bert.pooler.dense.weight'), 'the untrained pooler is carried through');
  assert.ok(!names.some((n) => n.includes('decoder')), 'the tied decoder is not stored');
  const query = tensors.find((t) => t.name === 'bert.encoder.layer.0.attention.self.query.weight')!;
  const intermediate = tensors.find((t) => t.name === 'bert.encoder.layer.1.intermediate.dense.weight')!;
  assert.deepEqual(intermediate.shape, [CONFIG.intermediateSize, CONFIG.hiddenSize], '[out, in] as PyTorch stores it');
  assert.deepEqual(query.shape, [CONFIG.hiddenSize, CONFIG.hiddenSize]);

  const weights = new Map<string, WeightArray>(tensors.map((t) => [t.name.replace(/^bert\./, ''), { shape: t.shape, values: t.data }]));
  const rebuilt = MaskedLmModel.fromWeights(weightSourceFromMap('saved', CONFIG, weights), backend);
  try {
    const heldOut = fixedCorruption(CORPUS.heldOut, masking(CONFIG), createRandom(6));
    const a = evaluateHeldOut(model, heldOut, 32, 0, 5);
    const b = evaluateHeldOut(rebuilt, heldOut, 32, 0, 5);
    assert.ok(Math.abs(a.loss - b.loss) < 1e-5, `${a.loss} vs ${b.loss}`);
    assert.equal(a.accuracy, b.accuracy);
  } finally {
    rebuilt.dispose();
    model.dispose();
  }
});

test('bad inputs are refused with what to change', async () => {
  const backend = await selectBackend('wasm');
  const model = tinyMlmModel(CONFIG, 1, backend);
  try {
    const tooLong = [[2, ...Array.from({ length: CONFIG.maxPositions }, () => 6), 3]];
    await assert.rejects(pretrainMaskedLm(model, { train: tooLong, heldOut: CORPUS.heldOut }, options()), /train sequence 0 has 18 tokens; sequences need 3 to 16/);
    await assert.rejects(pretrainMaskedLm(model, { train: CORPUS.train, heldOut: [] }, options()), /held-out corpus is empty/);
    await assert.rejects(pretrainMaskedLm(model, CORPUS, options({ peakLr: Number.NaN, steps: 2 })), /pretraining step 2: the loss is NaN; lower the peak learning rate \(now NaN\)/);
  } finally {
    model.dispose();
  }
  const weights = new Map<string, WeightArray>();
  assert.throws(() => MaskedLmModel.fromWeights(weightSourceFromMap('empty', CONFIG, weights), backend), /empty: missing tensor 'embeddings.word_embeddings.weight'/);
});

test('log lines: durations and the held-out line', () => {
  assert.equal(formatDuration(42), '42s');
  assert.equal(formatDuration(90), '1m30s');
  assert.equal(formatDuration(3725), '1h02m05s');
  assert.equal(evaluationLine({ step: 2000, loss: 2.87101, accuracy: 0.4132, predictions: 4120 }), 'held-out  step 2000  MLM loss 2.8710  accuracy 41.3 %  (4,120 predictions)');
});
