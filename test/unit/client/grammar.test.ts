import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scopeOf, tokenize, type Token } from './masklabGrammar';

const SAMPLE = `// Learn masks (Zhao et al., 2020).
experiment sst2_mask {
  model "models/tiny"   /* local folder */
  task  glue.sst2 { data "data/sst2"   max_length 64 }
  method mask {
    blocks           2..11
    matrices         query, key,
                     value
    select           re"encoder\\.layer\\.\\d+", "pooler.*"
    initial_sparsity 5%
    lr               1e-3
    pooled           false
  }
  train    { epochs 10   batch 32   seed 42 }
  evaluate { every 60 steps   metrics accuracy, f1   keep best }
}
experiment sst2_finetune extends sst2_mask {
  method finetune { lr 2e-5   warmup 10% }
}
sweep seeds of sst2_mask {
  train.seed 1, 2, 3
}
`;

let tokens: Token[];
test.before(async () => {
  tokens = await tokenize(SAMPLE);
});

const expectScope = (text: string, scope: string, occurrence = 0) =>
  assert.equal(scopeOf(tokens, text, occurrence).replace(/\.masklab$/, ''), scope, `${text} #${occurrence}`);

test('declarations: keywords, names and bases', () => {
  expectScope('experiment', 'storage.type.experiment');
  expectScope('sst2_mask', 'entity.name.type.experiment');
  expectScope('extends', 'keyword.other.extends');
  expectScope('sst2_mask', 'entity.other.inherited-class', 1);
  expectScope('sweep', 'storage.type.sweep');
  expectScope('seeds', 'entity.name.type.sweep');
  expectScope('of', 'keyword.other.of');
});

test('keys versus values, several entries on one line', () => {
  expectScope('model', 'keyword.other.block');
  expectScope('method', 'keyword.other.block');
  expectScope('epochs', 'support.type.property-name');
  expectScope('batch', 'support.type.property-name');
  expectScope('seed', 'support.type.property-name');
  expectScope('keep', 'support.type.property-name');
  expectScope('best', 'variable.other.constant');
  expectScope('glue.sst2', 'variable.other.constant');
  expectScope('max_length', 'support.type.property-name');
  expectScope('train.seed', 'support.type.property-name');
  expectScope('f1', 'variable.other.constant');
  expectScope('mask', 'support.constant.method');
  expectScope('finetune', 'support.constant.method');
});

test('a value list continued after a trailing comma stays values', () => {
  expectScope('key', 'variable.other.constant');
  expectScope('value', 'variable.other.constant');
});

test('numbers, units, percentages, ranges and booleans', () => {
  expectScope('1e-3', 'constant.numeric');
  expectScope('42', 'constant.numeric');
  expectScope('60', 'constant.numeric');
  expectScope('steps', 'keyword.other.unit');
  expectScope('%', 'keyword.other.unit.percent');
  expectScope('5', 'constant.numeric.percentage');
  expectScope('..', 'keyword.operator.range');
  expectScope('2', 'constant.numeric.integer');
  expectScope('false', 'constant.language.boolean');
});

test('strings, regex strings with escapes, comments and punctuation', () => {
  expectScope('models/tiny', 'string.quoted.double');
  expectScope('re', 'storage.type.string.regexp');
  expectScope('\\.', 'constant.character.escape');
  expectScope('\\d', 'constant.character.escape');
  const regexBody = tokens.find((t) => t.text === 'encoder');
  assert.ok(regexBody?.scopes.includes('string.regexp.masklab'));
  expectScope('pooler.*', 'string.quoted.double');
  expectScope(' Learn masks (Zhao et al., 2020).', 'comment.line.double-slash');
  expectScope(' local folder ', 'comment.block');
  expectScope('{', 'punctuation.section.block.begin');
  expectScope('}', 'punctuation.section.block.end');
  expectScope(',', 'punctuation.separator.comma');
});

test('words inside comments and strings are not highlighted as syntax', async () => {
  const inner = await tokenize('// experiment x extends y\nexperiment a { model "experiment 5% 1..2" }');
  assert.ok(inner.filter((t) => t.line === 0).every((t) => t.scopes.some((s) => s.startsWith('comment.'))));
  const str = inner.find((t) => t.text === 'experiment 5% 1..2');
  assert.deepEqual(str?.scopes.slice(-1), ['string.quoted.double.masklab']);
});
