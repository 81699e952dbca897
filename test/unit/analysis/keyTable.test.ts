// The key table checks itself: every example is valid under its own key's type, every default
// survives being written back in the language and read again, and every method's resolved config
// has exactly the keys the schema requires.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSchemaErrors, validateConfig } from '../../../schemas/src/validateConfig';
import { allKeys, allowedChoices, experimentSpec, papers } from '../../../server/src/analysis/keyTable';
import type { BlockSpec, KeySpec, TypedValue } from '../../../server/src/analysis/keys/types';
import { resolveExperiment } from '../../../server/src/analysis/resolve';
import { checkValues } from '../../../server/src/analysis/valueCheck';
import { formatValue } from '../../../server/src/analysis/valueFormat';
import type { Property } from '../../../server/src/dsl/ast';
import { parse } from '../../../server/src/dsl/parser';
import { analyseText } from './helpers';

/** Parses `text` as the single entry of an experiment body. */
function entryOf(text: string): Property {
  const doc = parse(`experiment x {\n${text}\n}\n`);
  assert.deepEqual(doc.errors.map((e) => e.message), [], `'${text}' does not parse`);
  const entry = doc.declarations[0].body?.entries[0];
  assert.ok(entry && entry.kind === 'property', `'${text}' is not one key and its values`);
  return entry;
}

function familiesOf(block: BlockSpec, key: KeySpec): (string | undefined)[] {
  if (key.only) return [...key.only];
  return block.kinds ? [...new Set(block.kinds.map((k) => k.family))] : [undefined];
}

test('every key has documentation, and its example is valid for its type', () => {
  for (const { block, key } of allKeys()) {
    assert.ok(key.doc.length > 20, `${key.name} needs documentation`);
    const entry = entryOf(key.example);
    assert.equal(entry.key.text, key.name, `the example of ${key.name} writes another key`);
    // Valid for at least one kind the key belongs to (`also pooler, head` is not for sparse_finetune).
    const results = familiesOf(block, key).map((family) => checkValues(key, entry.values, family, entry.key.span));
    const valid = results.filter((r) => r.problems.length === 0 && r.value !== undefined);
    assert.ok(valid.length > 0, `example '${key.example}': ${results[0].problems.map((p) => p.message).join('; ')}`);
  }
});

test('every default, written back in the language, reads as the same value', () => {
  const roundTrip = (key: KeySpec, value: TypedValue, family: string | undefined, what: string) => {
    const text = `${key.name} ${formatValue(value, key.type)}`;
    const entry = entryOf(text);
    const checked = checkValues(key, entry.values, family, entry.key.span);
    assert.deepEqual(checked.problems.map((p) => p.message), [], `${what}: '${text}'`);
    assert.deepEqual(checked.value, value, `${what}: '${text}' reads back differently`);
  };
  let checkedDefaults = 0;
  for (const { block, key } of allKeys()) {
    if (key.default !== undefined) {
      for (const family of familiesOf(block, key)) roundTrip(key, key.default, family, `${key.name} default`);
      checkedDefaults++;
    }
    for (const [family, value] of Object.entries(key.defaultByKind ?? {})) {
      if (value !== undefined) roundTrip(key, value, family, `${key.name} default for ${family}`);
    }
  }
  assert.ok(checkedDefaults > 40);
});

test('names are unique per block, per-kind choices are real choices, papers exist', () => {
  const walk = (block: BlockSpec) => {
    const names = [...block.keys.map((k) => k.name), ...block.blocks.map((b) => b.name)];
    assert.equal(new Set(names).size, names.length, `duplicate names in ${block.name}`);
    for (const key of block.keys) {
      if (key.paper) assert.ok(papers[key.paper], `${key.name} cites an unknown paper`);
      if (key.type.kind === 'enum' && key.type.allowedByKind) {
        for (const [kind, allowed] of Object.entries(key.type.allowedByKind)) {
          for (const name of allowed ?? []) assert.ok(allowedChoices(key, undefined).includes(name), `${key.name}: ${kind} allows unknown ${name}`);
          assert.ok(block.kinds?.some((k) => k.family === kind), `${key.name}: no ${block.name} kind ${kind}`);
        }
      }
      for (const kind of key.only ?? []) assert.ok(block.kinds?.some((k) => k.family === kind), `${key.name} belongs to unknown ${kind}`);
    }
    block.blocks.forEach(walk);
  };
  walk(experimentSpec);
});

test('every method and task kind resolves to a config the schema accepts', () => {
  const methods = experimentSpec.blocks.find((b) => b.name === 'method')?.kinds ?? [];
  const tasks = ['task glue.sst2 { data "data/SST-2" }', 'task glue.stsb { data "data/STS-B" }', 'task csv { data "reviews" }'];
  const files = { 'models/tiny': 'directory' as const, 'data/SST-2/train.tsv': 'file' as const, 'data/SST-2/dev.tsv': 'file' as const, 'data/SST-2': 'directory' as const, 'data/STS-B': 'directory' as const, 'data/STS-B/train.tsv': 'file' as const, 'data/STS-B/dev.tsv': 'file' as const, reviews: 'directory' as const, 'reviews/train.csv': 'file' as const, 'reviews/dev.csv': 'file' as const };
  let count = 0;
  for (const method of methods) {
    for (const task of tasks) {
      for (const extra of ['', method.name === 'dsee' ? 'prune unstructured { }' : '', method.name === 'dsee' ? 'prune heads { }' : '']) {
        const doc = `experiment x {\n  model "models/tiny"\n  ${task}\n  method ${method.name} { ${extra} }\n}\n`;
        const result = resolveExperiment(analyseText(doc, { files }), 'x');
        if ('errors' in result) assert.fail(`${method.name} / ${task}: ${result.errors.map((e) => e.message).join('; ')}`);
        const validation = validateConfig(JSON.parse(JSON.stringify(result.config)));
        assert.ok(validation.valid, `${method.name} / ${task}: ${validation.valid ? '' : formatSchemaErrors(validation.errors)}`);
        count++;
      }
    }
  }
  assert.equal(count, methods.length * tasks.length * 3);
});
