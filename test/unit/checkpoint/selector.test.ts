import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyParameters, type ParameterInfo } from '../../../server/src/checkpoint/parameterNames';
import { compileSelector, matchSelector, selectionFor, type CompiledSelector } from '../../../server/src/checkpoint/selector';
import { fakeShapes } from './fakeCheckpoint';

/** A 12-block BERT-base-like parameter list (names and shapes only; no file needed). */
function bertParameters(options: Parameters<typeof fakeShapes>[0] = {}): ParameterInfo[] {
  const family = options.family ?? 'bert';
  const prefix = options.prefix ?? `${family}.`;
  const tensors = fakeShapes({ layers: 12, hidden: 16, intermediate: 64, ...options }).map(([canonical, shape]) => ({
    name: /^(embeddings|encoder|pooler)\./.test(canonical) ? prefix + canonical : canonical,
    shape,
    dtype: 'F32' as const,
  }));
  return classifyParameters(tensors, prefix);
}

const PARAMS = bertParameters();

function glob(text: string): CompiledSelector {
  const compiled = compileSelector(text, 'glob');
  assert.ok(compiled.ok, `${text}: ${compiled.ok ? '' : compiled.message}`);
  return compiled;
}

function matched(text: string, kind: 'glob' | 'regex' = 'glob', params = PARAMS): string[] {
  const compiled = compileSelector(text, kind);
  assert.ok(compiled.ok, `${text}: ${compiled.ok ? '' : compiled.message}`);
  return matchSelector(compiled, params).map((p) => p.canonical);
}

const canonicalWhere = (keep: (p: ParameterInfo) => boolean): string[] => PARAMS.filter(keep).map((p) => p.canonical);

test('the layer1 / layer10 trap: a block number matches that block only', () => {
  assert.deepEqual(matched('encoder.layer.1.**'), canonicalWhere((p) => p.block === 1));
  assert.deepEqual(matched('encoder.layer.1.attention.self.*.weight'), [
    'encoder.layer.1.attention.self.query.weight',
    'encoder.layer.1.attention.self.key.weight',
    'encoder.layer.1.attention.self.value.weight',
  ]);
  assert.deepEqual(matched(String.raw`encoder\.layer\.1\..*`, 'regex'), canonicalWhere((p) => p.block === 1));
  // Asking for 1, 10 and 11 must be explicit.
  assert.deepEqual(matched('encoder.layer.1*.output.dense.weight'), [1, 10, 11].map((b) => `encoder.layer.${b}.output.dense.weight`));
});

test('* stays inside one segment, ** spans segments, dots are literal', () => {
  assert.deepEqual(matched('encoder.layer.*.intermediate.dense.weight'), canonicalWhere((p) => p.matrix === 'intermediate' && p.role === 'weight'));
  assert.deepEqual(matched('encoder.*.weight'), [], '* does not cross dots');
  assert.deepEqual(matched('**.bias'), canonicalWhere((p) => /\.bias$/.test(p.canonical)));
  assert.deepEqual(matched('encoder.**.LayerNorm.weight'), canonicalWhere((p) => p.block !== undefined && p.canonical.endsWith('LayerNorm.weight')));
  assert.deepEqual(matched('**'), PARAMS.map((p) => p.canonical));
  assert.deepEqual(matched('pooler.**'), ['pooler.dense.weight', 'pooler.dense.bias']);
  const dotted = classifyParameters([{ name: 'encoderXlayer.0', shape: [1], dtype: 'F32' }], '');
  assert.deepEqual(matched('encoder.layer.0', 'glob', dotted), [], 'a glob dot does not match any character');
});

test('ranges and alternatives', () => {
  assert.deepEqual(
    matched('encoder.layer.{2..11}.attention.self.query.weight'),
    canonicalWhere((p) => p.matrix === 'query' && p.role === 'weight' && p.block! >= 2 && p.block! <= 11),
  );
  assert.deepEqual(matched('encoder.layer.{0..0}.output.dense.weight'), ['encoder.layer.0.output.dense.weight']);
  assert.deepEqual(
    matched('encoder.layer.{0,11}.attention.self.{query,value}.weight'),
    ['encoder.layer.0.attention.self.query.weight', 'encoder.layer.0.attention.self.value.weight', 'encoder.layer.11.attention.self.query.weight', 'encoder.layer.11.attention.self.value.weight'],
  );
  assert.deepEqual(
    matched('encoder.layer.3.{attention.self.{query,key},intermediate.dense}.weight'),
    ['encoder.layer.3.attention.self.query.weight', 'encoder.layer.3.attention.self.key.weight', 'encoder.layer.3.intermediate.dense.weight'],
  );
  assert.deepEqual(matched('encoder.layer.{1..2}*.output.dense.bias'), [1, 2, 10, 11].map((b) => `encoder.layer.${b}.output.dense.bias`));
});

test("a selector written with the checkpoint's prefix matches the same parameters", () => {
  assert.deepEqual(matched('bert.encoder.layer.{0..3}.**'), matched('encoder.layer.{0..3}.**'));
  const roberta = bertParameters({ family: 'roberta' });
  assert.deepEqual(matched('roberta.pooler.dense.weight', 'glob', roberta), ['pooler.dense.weight']);
  assert.deepEqual(matched('bert.pooler.dense.weight', 'glob', roberta), [], 'the other family’s prefix is not stripped');
});

test('regular expressions are anchored: they must match the whole name', () => {
  assert.deepEqual(matched('query', 'regex'), []);
  assert.deepEqual(matched(String.raw`.*\.query\.weight`, 'regex'), canonicalWhere((p) => p.matrix === 'query' && p.role === 'weight'));
  assert.deepEqual(matched(String.raw`encoder\.layer\.(1|3)\.output\.dense\.weight|pooler\.dense\.weight`, 'regex'), [
    'encoder.layer.1.output.dense.weight',
    'encoder.layer.3.output.dense.weight',
    'pooler.dense.weight',
  ]);
});

test('any literal parameter name, used as a glob, selects exactly that parameter', () => {
  fc.assert(
    fc.property(fc.constantFrom(...PARAMS), (param) => {
      const hits = matchSelector(glob(param.canonical), PARAMS);
      return hits.length === 1 && hits[0] === param;
    }),
  );
});

test('invalid selectors give a message and an offset, never an exception', () => {
  const cases: Array<[string, RegExp, number | undefined]> = [
    ['', /empty/, undefined],
    ['encoder.layer.{2..}.weight', /both ends/, 14],
    ['encoder.layer.{11..2}.weight', /starts at 11, after its end 2; write \{2\.\.11\}/, 14],
    ['encoder.layer.{0..99999}.weight', /too large/, 14],
    ['encoder.{query,', /never closed/, 8],
    ['encoder.{query,}.weight', /Empty alternative/, 15],
    ['encoder..weight', /Empty segment/, 8],
    ['encoder.layer.', /Empty segment/, 14],
    ['.weight', /Empty segment/, 0],
    ['encoder.layer**', /whole segment/, 13],
    ['encoder.***', /'\*\*\*' is not a wildcard/, 8],
    ['encoder.{**,x}', /cannot be used inside/, 9],
    ['encoder.layer.?', /'\?' is not a glob wildcard/, 14],
    ['encoder.layer.[0-3]', /\{a,b\}|\{2\.\.11\}/, 14],
    ['encoder .layer', /no spaces/, 7],
    ['encoder}', /no matching '\{'/, 7],
    ['query,key', /outside \{…\}: to match either name, write \{a,b\}/, 5],
  ];
  for (const [text, message, offset] of cases) {
    const compiled = compileSelector(text, 'glob');
    assert.equal(compiled.ok, false, text);
    if (!compiled.ok) {
      assert.match(compiled.message, message, text);
      assert.equal(compiled.offset, offset, `offset of ${text}`);
    }
  }
  const regex = compileSelector('encoder.(layer', 'regex');
  assert.equal(regex.ok, false);
  if (!regex.ok) assert.match(regex.message, /regular expression is invalid/);
  fc.assert(
    fc.property(fc.string(), fc.constantFrom('glob' as const, 'regex' as const), (text, kind) => {
      const compiled = compileSelector(text, kind);
      return compiled.ok ? typeof compiled.test('encoder.layer.0.output.dense.weight') === 'boolean' : compiled.message.length > 0;
    }),
    { numRuns: 500 },
  );
});

test('selectionFor picks the weight matrices of the chosen blocks, never biases or LayerNorms', () => {
  const selection = selectionFor({ blocks: [2, 3], matrices: ['query', 'intermediate'], also: [] }, PARAMS);
  assert.deepEqual(
    selection.matrices.map((p) => p.canonical),
    ['encoder.layer.2.attention.self.query.weight', 'encoder.layer.2.intermediate.dense.weight', 'encoder.layer.3.attention.self.query.weight', 'encoder.layer.3.intermediate.dense.weight'],
  );
  assert.deepEqual(selection.problems, []);
  assert.equal(selection.totalParameters, selection.matrices.reduce((sum, p) => sum + p.count, 0));

  const all = selectionFor({ blocks: 'all', matrices: ['query', 'key', 'value', 'attention_output', 'intermediate', 'output'], also: ['pooler'] }, PARAMS);
  assert.deepEqual(all.matrices, PARAMS.filter((p) => p.role === 'weight' && (p.block !== undefined || p.matrix === 'pooler')));
});

test('selectionFor explains unknown names, missing blocks and a missing pooler', () => {
  const selection = selectionFor({ blocks: [0, 12], matrices: ['qurey', 'pooler'], also: ['value', 'poolr'] }, PARAMS);
  const byValue = new Map(selection.problems.map((p) => [p.value, p]));
  assert.match(byValue.get(12)!.message, /Block 12 does not exist: the model has 12 \(blocks 0–11\)/);
  assert.equal(byValue.get('qurey')!.suggestion, 'query');
  assert.match(byValue.get('pooler')!.message, /list it under also/);
  assert.match(byValue.get('value')!.message, /list it under matrices/);
  assert.equal(byValue.get('poolr')!.suggestion, 'pooler');
  assert.deepEqual(selection.matrices, []);

  const noPooler = selectionFor({ blocks: 'all', matrices: [], also: ['pooler'] }, bertParameters({ family: 'roberta', pooler: false }));
  assert.match(noPooler.problems[0].message, /has no pooler/);
});

test('the head is created at train time when the checkpoint has none, sized by the task', () => {
  const created = selectionFor({ blocks: [], matrices: [], also: ['head'] }, PARAMS, { numLabels: 3 });
  assert.deepEqual(created.problems, []);
  assert.deepEqual(created.matrices, []);
  assert.deepEqual(created.created.map((c) => [c.canonical, c.shape, c.count]), [['classifier.weight', [3, 16], 48]]);
  assert.match(created.created[0].note, /created at train time/);
  assert.equal(created.totalParameters, 48);

  const assumed = selectionFor({ blocks: [], matrices: [], also: ['head'] }, PARAMS);
  assert.deepEqual(assumed.created[0].shape, [2, 16]);
  assert.match(assumed.created[0].note, /2 labels assumed/);

  const existing = bertParameters({ head: 'classifier', numLabels: 3 });
  const kept = selectionFor({ blocks: [], matrices: [], also: ['head'] }, existing, { numLabels: 3 });
  assert.deepEqual(kept.matrices.map((p) => p.canonical), ['classifier.weight']);
  assert.deepEqual(kept.created, []);
  const replaced = selectionFor({ blocks: [], matrices: [], also: ['head'] }, existing, { numLabels: 5 });
  assert.deepEqual(replaced.matrices, []);
  assert.match(replaced.created[0].note, /replaced at train time: the checkpoint's classifier\.weight has 3 labels, the task 5/);

  const roberta = selectionFor({ blocks: [], matrices: [], also: ['head'] }, bertParameters({ family: 'roberta', pooler: false }), { numLabels: 2 });
  assert.deepEqual(roberta.created.map((c) => [c.canonical, c.shape]), [
    ['classifier.dense.weight', [16, 16]],
    ['classifier.out_proj.weight', [2, 16]],
  ]);
});
