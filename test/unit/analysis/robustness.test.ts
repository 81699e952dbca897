// The analyser never throws on anything the parser produces, every resolved config it lets
// through is valid against the schema, and it stays fast on a 5,000-line file.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatSchemaErrors, validateConfig } from '../../../schemas/src/validateConfig';
import { analyse } from '../../../server/src/analysis/analyse';
import { resolveExperiment } from '../../../server/src/analysis/resolve';
import { expandSweep, resolveSweepCell } from '../../../server/src/analysis/sweepCells';
import { parse } from '../../../server/src/dsl/parser';
import { DEFAULT_FILES, DIR, FILE, analyseText, tinyModels } from './helpers';

const TOKENS = [
  'experiment', 'sweep', 'extends', 'of', 'a', 'b', 'c', '{', '}', '{', '}', '\n', '\n', ',', ',',
  'model', '"models/tiny"', '"models/broken"', 'task', 'glue.sst2', 'glue.stsb', 'tsv', 'data', '"data/SST-2"', '"reviews"',
  'method', 'mask', 'finetune', 'dsee', 'sparse_finetune', 'prune', 'heads', 'unstructured', 'mode', 'layers',
  'lr', '1e-3', '0', '-1', '5%', '150%', '2 epochs', '60 steps', '0..3', '3..0', 're"("', 're"pooler.*"', '"encoder.**"', '""',
  'none', 'all', 'blocks', 'matrices', 'query', 'also', 'head', 'embeddings', 'select', 'rank', 'sparsity', 'retune',
  'train', 'epochs', 'batch', 'seed', 'max_steps', 'max_examples', 'warmup', 'schedule_start', 'schedule_end', 'threshold',
  'evaluate', 'every', 'metrics', 'f1', 'pearson', 'device', 'backend', 'wasm', 'require_gpu', 'true',
  'method.lr', 'train.seed', 'method.rank', 'task.max_length', '"unterminated', '/*', '*/', '//', '..', '.', '%',
];

function check(text: string): void {
  const analysis = analyseText(text);
  for (const d of analysis.diagnostics) {
    assert.ok(d.span.start >= 0 && d.span.end <= text.length && d.span.start <= d.span.end, `span out of the text: ${JSON.stringify(d)}`);
    assert.ok(d.message.length > 0);
  }
  for (const name of analysis.experiments.keys()) {
    const result = resolveExperiment(analysis, name);
    if ('config' in result) {
      const validation = validateConfig(JSON.parse(JSON.stringify(result.config)));
      assert.ok(validation.valid, `${name} resolved to an invalid config:\n${validation.valid ? '' : formatSchemaErrors(validation.errors)}\n--- from ---\n${text}`);
    }
  }
  for (const name of analysis.sweeps.keys()) {
    const cells = expandSweep(analysis, name);
    if ('cells' in cells && cells.cells.length > 0) {
      const result = resolveSweepCell(analysis, name, cells.cells.length - 1, { overrides: [{ keyPath: 'train.seed', valueText: '7' }] });
      if ('config' in result) assert.ok(validateConfig(JSON.parse(JSON.stringify(result.config))).valid);
    }
  }
}

test('random token soups never make the analyser or resolution throw', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }), (tokens) => check(tokens.join(' '))),
    { numRuns: 300, seed: 20260 },
  );
});

const VALID = `experiment a {
  model "models/tiny"
  task glue.sst2 { data "data/SST-2" max_examples 640 }
  method mask { blocks 0..1  matrices query, value  also pooler, head  select re"pooler\\..*"  warmup 10 steps }
  train { epochs 2  batch 32  seed 1 }
  evaluate { every 5 steps  metrics accuracy, f1 }
}
experiment b extends a { method dsee { rank 4  prune heads { heads 1  retune 1 epoch } } }
experiment c extends b { method { rank 8 } train { epochs 1 } }
sweep s of a { train.seed 1..2  method finetune, mask }
`;

test('every cut of a valid file is analysed without throwing', () => {
  check(VALID);
  fc.assert(
    fc.property(fc.nat(VALID.length), fc.nat(40), (start, length) => check(VALID.slice(0, start) + VALID.slice(start + length))),
    { numRuns: 300, seed: 7 },
  );
});

test('a MissingValue, an unclosed body and an empty document are handled', () => {
  for (const text of ['', 'experiment', 'experiment a {', 'experiment a { method', 'experiment a { method mask { lr', 'sweep s of', 'sweep s of a { method.lr', 'experiment a extends']) {
    check(text);
  }
});

/** 5,000 lines: ~450 experiments, each extending the previous one, with selections and a sweep. */
function bigFile(): string {
  const lines: string[] = [];
  for (let i = 0; lines.length < 5000; i++) {
    lines.push(`experiment e${i} ${i > 0 ? `extends e${i - 1} ` : ''}{`);
    if (i === 0) lines.push('  model "models/tiny"', '  task glue.sst2 { data "data/SST-2" max_length 64 }');
    lines.push('  method mask {', `    blocks ${i % 2}`, '    matrices query, value', '    also pooler, head', `    lr ${(i % 9) + 1}e-4`, '    select "encoder.layer.*.attention.self.query.weight"', '  }');
    lines.push(`  train { epochs ${(i % 5) + 1}  batch 32  seed ${i} }`, '  evaluate { every 60 steps  metrics accuracy }', '}');
  }
  lines.push('sweep s of e3 { train.seed 1..4  method.lr 1e-4, 1e-3 }');
  return lines.join('\n');
}

// Speed is measured in bench/language.ts, never timed here; this checks a large file analyses cleanly.
test('a 5,000-line file is analysed without a false problem', () => {
  const text = bigFile();
  assert.ok(text.split('\n').length >= 5000);
  const doc = parse(text);
  const absolute = new Map(Object.entries(DEFAULT_FILES).map(([p, kind]) => [path.resolve(DIR, p), kind]));
  const analysis = analyse(doc, { filePath: FILE, text, models: tinyModels(), pathKind: (p) => absolute.get(p) });
  assert.deepEqual(analysis.diagnostics, []);
  assert.ok(analysis.experiments.size > 400);
});
