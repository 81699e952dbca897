// The config schema: the committed JSON file is the TypeScript object written out, and the
// validator rejects configs that break it (so "every resolved config is valid" means something).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { ExperimentConfig } from '../../../schemas/src/experimentConfig';
import { experimentConfigSchema } from '../../../schemas/src/experimentSchema';
import { validateAgainstSchema } from '../../../schemas/src/jsonSchemaValidator';
import { validateConfig } from '../../../schemas/src/validateConfig';
import { resolveExperiment } from '../../../server/src/analysis/resolve';
import { analyseText, repoRoot } from './helpers';

test('schemas/experiment.schema.json is experimentSchema.ts written out (regenerate with generateFiles.ts)', () => {
  const file = path.join(repoRoot(), 'schemas', 'experiment.schema.json');
  assert.equal(fs.readFileSync(file, 'utf8'), `${JSON.stringify(experimentConfigSchema, null, 2)}\n`);
});

function sample(): ExperimentConfig {
  const doc = `experiment a {
  model "models/tiny"
  task glue.sst2 { data "data/SST-2" }
  method dsee { prune unstructured { } }
}
sweep s of a { train.seed 1, 2 }
`;
  const result = resolveExperiment(analyseText(doc), 'a');
  assert.ok('config' in result);
  return JSON.parse(JSON.stringify(result.config)) as ExperimentConfig;
}

/** Each mutation must make the config invalid, with an error at the path given. */
const mutations: [string, string, (c: Record<string, any>) => void][] = [
  ['a missing required key', '/method', (c) => delete c.method.rank],
  ['an unknown key', '/train/epoch', (c) => (c.train.epoch = 3)],
  ['a wrong enum value', '/method', (c) => (c.method.support = 'grebsmoo')],
  ['lr of zero', '/method', (c) => (c.method.lr = 0)],
  ['a duration in hours', '/evaluate/every/unit', (c) => (c.evaluate.every = { amount: 1, unit: 'hours' })],
  ['a fractional batch', '/train/batch', (c) => (c.train.batch = 2.5)],
  ['a mask knob in dsee', '/method', (c) => (c.method.threshold = 0.01)],
  ['heads in unstructured pruning', '/method', (c) => (c.method.prune.heads = 1)],
  ['a sparsity of 100%', '/method', (c) => (c.method.prune.sparsity = 1)],
  ['schemaVersion 2', '/schemaVersion', (c) => (c.schemaVersion = 2)],
  ['a relative-only path', '/task', (c) => (c.task.data = 'data/SST-2')],
  ['no metrics', '/evaluate/metrics', (c) => (c.evaluate.metrics = [])],
  ['a duplicate matrix', '/method', (c) => (c.method.matrices = ['query', 'query'])],
  ['a warm-up of 150%', '/method', (c) => (c.method.warmup = 1.5)],
];

test('a resolved config is valid, and each broken variant is not', () => {
  assert.deepEqual(validateConfig(sample()), { valid: true, config: sample() });
  for (const [what, where, mutate] of mutations) {
    const broken = sample() as unknown as Record<string, any>;
    mutate(broken);
    const result = validateConfig(broken);
    assert.equal(result.valid, false, `${what} was accepted`);
    if (!result.valid) assert.ok(result.errors.some((e) => e.path.startsWith(where)), `${what}: ${JSON.stringify(result.errors)}`);
  }
});

test('the validator refuses schema keywords it does not implement', () => {
  const errors = validateAgainstSchema('x', { type: 'string', pattern: '^y$' });
  assert.deepEqual(errors.map((e) => e.message), ["schema keyword 'pattern' is not supported by this validator"]);
});

test('oneOf needs exactly one match; anyOf at least one', () => {
  const schema = { oneOf: [{ type: 'number' }, { type: 'integer' }] };
  assert.deepEqual(validateAgainstSchema(1.5, schema), []);
  assert.equal(validateAgainstSchema(2, schema).length, 1);
  assert.equal(validateAgainstSchema('2', { anyOf: [{ type: 'number' }, { type: 'null' }] }).length, 1);
});
