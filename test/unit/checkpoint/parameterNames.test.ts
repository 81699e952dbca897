import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  BLOCK_MATRICES,
  classifyParameter,
  classifyParameters,
  detectPrefix,
  type ParameterInfo,
} from '../../../server/src/checkpoint/parameterNames';

const classify = (name: string, prefix = 'bert.', shape: number[] = [4, 4]): ParameterInfo => classifyParameter(name, shape, 'F32', prefix);

test('encoder weights: block, matrix, role and component from the BERT names', () => {
  const cases: Array<[string, number, string, string]> = [
    ['bert.encoder.layer.0.attention.self.query.weight', 0, 'query', 'weight'],
    ['bert.encoder.layer.3.attention.self.key.bias', 3, 'key', 'bias'],
    ['bert.encoder.layer.11.attention.self.value.weight', 11, 'value', 'weight'],
    ['bert.encoder.layer.1.attention.output.dense.weight', 1, 'attention_output', 'weight'],
    ['bert.encoder.layer.1.intermediate.dense.weight', 1, 'intermediate', 'weight'],
    ['bert.encoder.layer.10.output.dense.bias', 10, 'output', 'bias'],
  ];
  for (const [name, block, matrix, role] of cases) {
    const info = classify(name);
    assert.equal(info.canonical, name.slice('bert.'.length));
    assert.equal(info.block, block, name);
    assert.equal(info.matrix, matrix, name);
    assert.equal(info.role, role, name);
    assert.equal(info.component, 'encoder');
  }
  const norm = classify('bert.encoder.layer.2.attention.output.LayerNorm.weight');
  assert.equal(norm.block, 2);
  assert.equal(norm.matrix, undefined, 'a LayerNorm is not a maskable matrix');
  assert.equal(norm.role, 'layernorm');
});

test('embeddings, pooler and every head naming', () => {
  assert.equal(classify('bert.embeddings.word_embeddings.weight').role, 'embedding');
  assert.equal(classify('bert.embeddings.LayerNorm.bias').role, 'layernorm');
  assert.deepEqual(
    (({ role, component }) => ({ role, component }))(classifyParameter('bert.embeddings.position_ids', [1, 512], 'I64', 'bert.')),
    { role: 'other', component: 'embeddings' },
  );
  const pooler = classify('bert.pooler.dense.weight');
  assert.equal(pooler.matrix, 'pooler');
  assert.equal(pooler.component, 'pooler');
  for (const name of ['classifier.weight', 'classifier.out_proj.weight', 'classifier.dense.weight']) {
    const head = classify(name);
    assert.equal(head.matrix, 'head', name);
    assert.equal(head.role, 'weight');
    assert.equal(head.component, 'classifier');
  }
  assert.equal(classify('classifier.bias').role, 'bias');
  for (const [name, role] of [
    ['cls.predictions.transform.dense.weight', 'weight'],
    ['cls.predictions.transform.LayerNorm.weight', 'layernorm'],
    ['cls.predictions.bias', 'bias'],
    ['cls.seq_relationship.weight', 'weight'],
    ['lm_head.layer_norm.bias', 'layernorm'],
    ['lm_head.decoder.weight', 'weight'],
  ] as const) {
    const info = classify(name);
    assert.equal(info.component, 'pretraining_head', name);
    assert.equal(info.role, role, name);
    assert.equal(info.matrix, undefined, `${name} is not a method target`);
    assert.equal(info.canonical, name, 'heads carry no backbone prefix');
  }
});

test('the same parameter reads the same with bert., roberta. or no prefix, and TF gamma/beta', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 47 }), fc.constantFrom(...BLOCK_MATRICES), fc.constantFrom('weight', 'bias'), fc.constantFrom('bert.', 'roberta.', ''), (block, matrix, role, prefix) => {
      const path = {
        query: 'attention.self.query',
        key: 'attention.self.key',
        value: 'attention.self.value',
        attention_output: 'attention.output.dense',
        intermediate: 'intermediate.dense',
        output: 'output.dense',
      }[matrix];
      const canonical = `encoder.layer.${block}.${path}.${role}`;
      const info = classify(prefix + canonical, prefix);
      return info.canonical === canonical && info.block === block && info.matrix === matrix && info.role === role && info.name === prefix + canonical;
    }),
  );
  const gamma = classify('bert.encoder.layer.0.output.LayerNorm.gamma');
  assert.equal(gamma.canonical, 'encoder.layer.0.output.LayerNorm.weight');
  assert.equal(gamma.name, 'bert.encoder.layer.0.output.LayerNorm.gamma');
});

test('detectPrefix finds the backbone prefix, ignoring heads', () => {
  assert.equal(detectPrefix(['cls.predictions.bias', 'bert.embeddings.word_embeddings.weight']), 'bert.');
  assert.equal(detectPrefix(['lm_head.bias', 'roberta.encoder.layer.0.output.dense.weight']), 'roberta.');
  assert.equal(detectPrefix(['embeddings.word_embeddings.weight', 'encoder.layer.0.output.dense.weight']), '');
  assert.equal(detectPrefix(['bert_extra.weight', 'classifier.weight']), '');
});

test('model order sorts blocks numerically and keeps weights before biases', () => {
  const names = [
    'bert.encoder.layer.10.attention.self.query.weight',
    'cls.predictions.bias',
    'bert.encoder.layer.2.output.dense.bias',
    'bert.pooler.dense.weight',
    'bert.encoder.layer.2.attention.self.query.bias',
    'bert.encoder.layer.2.attention.self.query.weight',
    'bert.embeddings.LayerNorm.weight',
    'bert.embeddings.word_embeddings.weight',
    'bert.encoder.layer.2.output.LayerNorm.weight',
  ];
  const ordered = classifyParameters(names.map((name) => ({ name, shape: [1], dtype: 'F32' as const })), 'bert.').map((p) => p.name);
  assert.deepEqual(ordered, [
    'bert.embeddings.word_embeddings.weight',
    'bert.embeddings.LayerNorm.weight',
    'bert.encoder.layer.2.attention.self.query.weight',
    'bert.encoder.layer.2.attention.self.query.bias',
    'bert.encoder.layer.2.output.dense.bias',
    'bert.encoder.layer.2.output.LayerNorm.weight',
    'bert.encoder.layer.10.attention.self.query.weight',
    'bert.pooler.dense.weight',
    'cls.predictions.bias',
  ]);
});

test('count is the product of the shape', () => {
  assert.equal(classify('bert.encoder.layer.0.intermediate.dense.weight', 'bert.', [512, 128]).count, 512 * 128);
  assert.equal(classify('bert.embeddings.LayerNorm.bias', 'bert.', [128]).count, 128);
});
