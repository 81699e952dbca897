import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { ExperimentConfig } from '../../../schemas/src/experimentConfig';
import { formatSchemaErrors, validateConfig } from '../../../schemas/src/validateConfig';
import type { Analysis } from '../../../server/src/analysis/analysis';
import { parseSetArgument, type Override } from '../../../server/src/analysis/overrides';
import { resolveExperiment, type ResolveResult } from '../../../server/src/analysis/resolve';
import { expandSweep, resolveSweepCell } from '../../../server/src/analysis/sweepCells';
import { DIR, FILE, analyseText } from './helpers';

const HEAD = `experiment a {
  model "models/tiny"
  task glue.sst2 { data "data/SST-2" }
`;

/** Resolves and checks the result against the JSON schema; fails the test with the errors otherwise. */
function config(analysis: Analysis, name: string, overrides: Override[] = []): ExperimentConfig {
  return ok(resolveExperiment(analysis, name, { overrides }));
}

function ok(result: ResolveResult): ExperimentConfig {
  if ('errors' in result) assert.fail(`resolution failed:\n${result.errors.map((e) => e.message).join('\n')}`);
  const validation = validateConfig(JSON.parse(JSON.stringify(result.config)));
  if (!validation.valid) assert.fail(`resolved config does not match the schema:\n${formatSchemaErrors(validation.errors)}`);
  return result.config;
}

function errorsOf(result: ResolveResult): string[] {
  assert.ok('errors' in result, 'expected resolution to fail');
  return result.errors.map((e) => e.message);
}

test('every default is explicit: mask', () => {
  const c = config(analyseText(`${HEAD}  method mask\n}\n`), 'a');
  assert.equal(c.schemaVersion, 1);
  assert.equal(c.name, 'a');
  assert.equal(c.source.file, FILE);
  assert.deepEqual(c.source.overrides, {});
  assert.deepEqual(c.model, { ref: 'models/tiny', dir: path.join(DIR, 'models/tiny') });
  assert.deepEqual(c.method, {
    kind: 'mask',
    lr: 1e-3,
    blocks: [0, 1],
    matrices: ['query', 'key', 'value', 'attention_output', 'intermediate', 'output'],
    also: ['pooler', 'head'],
    select: [],
    weight_decay: 0,
    warmup: 0,
    schedule: 'constant',
    max_grad_norm: 1,
    adam_beta1: 0.9,
    adam_beta2: 0.999,
    adam_epsilon: 1e-8,
    threshold: 0.01,
    init_low: 0.02,
    initial_sparsity: 0.05,
    variant: 'threshold',
    target_sparsity: null,
    sparsity_schedule_end: 0.5,
    penalty_lr: 0.01,
  });
  assert.deepEqual(c.train, {
    epochs: 10,
    batch: 32,
    seed: 42,
    max_steps: null,
    grad_accumulation: 1,
    checkpoint_every: { amount: 200, unit: 'steps' },
    dropout: 0.1,
  });
  assert.deepEqual(c.evaluate, { every: { amount: 1, unit: 'epochs' }, metrics: ['accuracy'], keep: 'best', split: 'dev' });
  assert.deepEqual(c.device, { backend: 'auto', require_gpu: false, threads: 1 });
});

test('the task resolves to absolute paths beside the references, with GLUE facts', () => {
  const c = config(analyseText(`${HEAD}  method mask\n}\nexperiment m extends a { task glue.mnli { data "data/MNLI" max_examples 100 } }\n`), 'm');
  assert.deepEqual(c.task, {
    kind: 'glue',
    name: 'mnli',
    data: { ref: 'data/MNLI', path: path.join(DIR, 'data/MNLI') },
    regression: false,
    labels: ['entailment', 'neutral', 'contradiction'],
    max_length: 128,
    max_examples: 100,
    dev_examples: null,
    train: { ref: 'data/MNLI/train.tsv', path: path.join(DIR, 'data/MNLI/train.tsv') },
    // MNLI's folder has dev_matched.tsv, not dev.tsv.
    dev: { ref: 'data/MNLI/dev_matched.tsv', path: path.join(DIR, 'data/MNLI/dev_matched.tsv') },
  });
});

test('a csv task names its files and columns', () => {
  const doc = `experiment a {
  model "models/tiny"
  task csv { train "reviews/train.csv"  dev "reviews/dev.csv"  text "review"  labels neg, pos }
  method finetune
}`;
  const c = config(analyseText(doc), 'a');
  assert.deepEqual(c.task, {
    kind: 'csv',
    data: null,
    text: 'review',
    text_pair: null,
    label: 'label',
    labels: ['neg', 'pos'],
    max_length: 128,
    max_examples: null,
    dev_examples: null,
    train: { ref: 'reviews/train.csv', path: path.join(DIR, 'reviews/train.csv') },
    dev: { ref: 'reviews/dev.csv', path: path.join(DIR, 'reviews/dev.csv') },
  });
});

test('defaults follow the method, and the mode of sparse_finetune', () => {
  const doc = `${HEAD}  method finetune
}
experiment s extends a { method sparse_finetune }
experiment l extends a { method sparse_finetune { mode layers } }
experiment d extends a { method dsee { prune unstructured { } } }
experiment h extends a { method finetune { train_head false } }
`;
  const analysis = analyseText(doc);
  const f = config(analysis, 'a').method;
  assert.equal(f.kind, 'finetune');
  assert.deepEqual([f.lr, f.weight_decay, f.warmup, f.schedule, f.also], [2e-5, 0.01, 0.1, 'linear', ['pooler', 'head', 'embeddings']]);
  assert.equal(f.kind === 'finetune' && f.train_head, true);
  assert.equal(config(analysis, 'a').train.epochs, 3);

  const s = config(analysis, 's').method;
  const l = config(analysis, 'l').method;
  assert.deepEqual([s.lr, s.schedule, s.warmup, s.weight_decay], [1e-3, 'constant', 0, 0]);
  assert.deepEqual([l.lr, l.schedule, l.warmup, l.weight_decay], [2e-5, 'linear', 0.1, 0.01]);
  assert.ok(s.kind === 'sparse_finetune' && s.sparsity === 0.1 && s.mode === 'topk' && s.also.length === 0);

  const d = config(analysis, 'd').method;
  assert.ok(d.kind === 'dsee');
  assert.deepEqual([d.matrices, d.rank, d.alpha, d.sparse_entries, d.support, d.also], [['query', 'value'], 16, 32, 64, 'grebsmo', ['head']]);
  assert.deepEqual(d.prune, { kind: 'unstructured', sparsity: 0.2, retune: { amount: 3, unit: 'epochs' } });

  // train_head false alone takes the head out of the default `also`.
  const h = config(analysis, 'h').method;
  assert.ok(h.kind === 'finetune');
  assert.deepEqual([h.train_head, h.also], [false, ['pooler', 'embeddings']]);
});

test('extends: keys override, blocks merge key by key, another method kind replaces the block', () => {
  const doc = `${HEAD}  method mask { threshold 0.02  blocks 1 }
  train { epochs 5  batch 16 }
}
experiment b extends a {
  train { batch 8 }
  method { lr 1e-4 }
}
experiment c extends b {
  method finetune { blocks 0 }
}
`;
  const analysis = analyseText(doc);
  const b = config(analysis, 'b');
  assert.deepEqual([b.train.epochs, b.train.batch], [5, 8]);
  assert.ok(b.method.kind === 'mask');
  assert.deepEqual([b.method.lr, b.method.threshold, b.method.blocks], [1e-4, 0.02, [1]]);
  const c = config(analysis, 'c');
  assert.equal(c.method.kind, 'finetune');
  // Nothing of the mask block survives, not even `blocks` which both methods have.
  assert.deepEqual([c.method.lr, c.method.blocks], [2e-5, [0]]);
  assert.equal('threshold' in c.method, false);
  assert.deepEqual(analysis.experiments.get('c')?.chain, ['c', 'b', 'a']);
});

test('`none` clears an inherited optional value', () => {
  const doc = `${HEAD}  method mask { target_sparsity 50%  also pooler }
}
experiment b extends a { method { target_sparsity none  also none } }
`;
  const analysis = analyseText(doc);
  const a = config(analysis, 'a').method;
  const b = config(analysis, 'b').method;
  assert.ok(a.kind === 'mask' && b.kind === 'mask');
  assert.deepEqual([a.target_sparsity, a.also], [0.5, ['pooler']]);
  assert.deepEqual([b.target_sparsity, b.also], [null, []]);
});

test('overrides are parsed with the language syntax and recorded', () => {
  const analysis = analyseText(`${HEAD}  method mask\n}\n`);
  const c = config(analysis, 'a', [
    { keyPath: 'method.lr', valueText: '3e-4' },
    { keyPath: 'method.warmup', valueText: '2 epochs' },
    { keyPath: 'method.matrices', valueText: 'query, value' },
    { keyPath: 'method.select', valueText: 're"pooler\\..*"' },
    { keyPath: 'task.data', valueText: 'data/MNLI' },
    { keyPath: 'task', valueText: 'glue.mnli' },
  ]);
  assert.ok(c.method.kind === 'mask');
  assert.deepEqual([c.method.lr, c.method.warmup, c.method.matrices, c.method.select], [3e-4, { amount: 2, unit: 'epochs' }, ['query', 'value'], [{ regex: 'pooler\\..*' }]]);
  assert.equal(c.task.kind === 'glue' && c.task.name, 'mnli');
  assert.equal(c.task.kind === 'glue' && c.task.data.ref, 'data/MNLI');
  assert.deepEqual(c.source.overrides, {
    'method.lr': 3e-4,
    'method.warmup': { amount: 2, unit: 'epochs' },
    'method.matrices': ['query', 'value'],
    'method.select': [{ regex: 'pooler\\..*' }],
    'task.data': 'data/MNLI',
    task: 'glue.mnli',
  });
});

test('a method override replaces the method, in any order with its knobs', () => {
  const analysis = analyseText(`${HEAD}  method mask { threshold 0.02 }\n}\n`);
  const c = config(analysis, 'a', [
    { keyPath: 'method.rank', valueText: '8' },
    { keyPath: 'method', valueText: 'dsee' },
    { keyPath: 'method.prune', valueText: 'heads' },
  ]);
  assert.ok(c.method.kind === 'dsee');
  assert.deepEqual([c.method.rank, c.method.prune], [8, { kind: 'heads', heads: 1, retune: { amount: 3, unit: 'epochs' } }]);
});

test('bad overrides are errors with did-you-mean and the expected type', () => {
  const analysis = analyseText(`${HEAD}  method mask { warmup 5 epochs }\n}\n`);
  const resolve = (overrides: Override[]) => errorsOf(resolveExperiment(analysis, 'a', { overrides }));
  assert.deepEqual(resolve([{ keyPath: 'method.lrr', valueText: '1' }]), ["--set method.lrr=1: unknown key 'method.lrr'; did you mean 'method.lr'?"]);
  assert.deepEqual(resolve([{ keyPath: 'train.batch', valueText: '0' }]), ["--set train.batch=0: 'batch' must be an integer in 1..4096; got 0"]);
  assert.deepEqual(resolve([{ keyPath: 'method.rank', valueText: '8' }]), ["--set method.rank=8: 'rank' is a dsee knob; it has no effect in method mask"]);
  assert.deepEqual(resolve([{ keyPath: 'train.epochs', valueText: '2' }]), ['the warm-up (5 epochs) is longer than the run (2 epochs)']);
  assert.deepEqual(resolve([{ keyPath: 'method.prune.sparsity', valueText: '10%' }]), [
    "--set method.prune.sparsity=10%: 'prune' is a dsee block; it has no effect in method mask",
  ]);
  assert.deepEqual(resolve([{ keyPath: 'train', valueText: '3' }]), ["--set train=3: 'train' is a block; name one of its keys, e.g. 'train.epochs'"]);
  assert.deepEqual(resolve([{ keyPath: 'method.lr', valueText: '1e-3 {' }]).length, 1);
});

test('an override can fix what the file gets wrong in combination', () => {
  const analysis = analyseText(`${HEAD}  method mask { warmup 5 epochs }\n  train { epochs 3 }\n}\n`);
  assert.deepEqual(errorsOf(resolveExperiment(analysis, 'a')), ['the warm-up (5 epochs) is longer than the run (3 epochs)']);
  assert.equal(config(analysis, 'a', [{ keyPath: 'train.epochs', valueText: '6' }]).train.epochs, 6);
});

test('structural errors block resolution; errors elsewhere in the file do not', () => {
  const analysis = analyseText(`${HEAD}  method mask { lrr 1 }\n}\nexperiment ok extends a { method finetune }\nexperiment other { modle "x" }\n`);
  assert.deepEqual(errorsOf(resolveExperiment(analysis, 'a')), ["unknown method knob 'lrr'; did you mean 'lr'?"]);
  // `ok` replaces the broken method block, but what it extends is still broken.
  assert.deepEqual(errorsOf(resolveExperiment(analysis, 'ok')), ["unknown method knob 'lrr'; did you mean 'lr'?"]);
  const clean = analyseText(`${HEAD}  method mask\n}\nexperiment other { modle "x" }\n`);
  assert.equal(config(clean, 'a').name, 'a');
});

test('unknown experiment names get did-you-mean; a sweep needs an index', () => {
  const analysis = analyseText(`${HEAD}  method mask\n}\nexperiment sst2_mask extends a { }\nsweep seeds of a { train.seed 1, 2 }\n`);
  assert.deepEqual(errorsOf(resolveExperiment(analysis, 'sst2_maks')), ["unknown experiment 'sst2_maks'; did you mean 'sst2_mask'?"]);
  assert.deepEqual(errorsOf(resolveExperiment(analysis, 'seeds')), ["'seeds' is a sweep: choose one of its cells (--index N, 0-based)"]);
});

test('sweeps: cartesian product, first axis slowest, ranges expanded', () => {
  const analysis = analyseText(`${HEAD}  method mask\n}\nsweep s of a {\n  train.seed 1..3\n  method.lr 1e-4, 1e-3\n}\n`);
  const expansion = expandSweep(analysis, 's');
  assert.ok('cells' in expansion);
  assert.deepEqual(
    expansion.cells.map((c) => [c.index, c.values['train.seed'], c.values['method.lr']]),
    [
      [0, 1, 1e-4],
      [1, 1, 1e-3],
      [2, 2, 1e-4],
      [3, 2, 1e-3],
      [4, 3, 1e-4],
      [5, 3, 1e-3],
    ],
  );
  const cell = ok(resolveSweepCell(analysis, 's', 3));
  assert.equal(cell.name, 's-3');
  assert.equal(cell.experiment, 'a');
  assert.deepEqual(cell.sweep, { name: 's', index: 3, cells: 6, values: { 'train.seed': 2, 'method.lr': 1e-3 } });
  assert.deepEqual([cell.train.seed, cell.method.lr], [2, 1e-3]);
  // Overrides apply after the cell.
  const overridden = ok(resolveSweepCell(analysis, 's', 3, { overrides: [{ keyPath: 'train.seed', valueText: '9' }] }));
  assert.equal(overridden.train.seed, 9);
  assert.deepEqual(errorsOf(resolveSweepCell(analysis, 's', 6)), ["index 6 is outside sweep 's', whose 6 cells have indices 0..5"]);
});

test('a sweep over the method kind resolves each cell with that method', () => {
  const analysis = analyseText(`${HEAD}  method mask { threshold 0.02 }\n}\nsweep m of a { method finetune, dsee  method.lr 1e-4 }\n`);
  const expansion = expandSweep(analysis, 'm');
  assert.ok('cells' in expansion && expansion.cells.length === 2);
  assert.deepEqual(
    [0, 1].map((i) => {
      const c = ok(resolveSweepCell(analysis, 'm', i));
      return [c.method.kind, c.method.lr];
    }),
    [
      ['finetune', 1e-4],
      ['dsee', 1e-4],
    ],
  );
});

test('an invalid sweep cannot be expanded', () => {
  const analysis = analyseText(`${HEAD}  method mask\n}\nsweep s of a { train.sed 1, 2 }\n`);
  assert.deepEqual(
    ('errors' in expandSweep(analysis, 's') ? (expandSweep(analysis, 's') as { errors: { message: string }[] }).errors : []).map((e) => e.message),
    ["unknown key 'train.sed'; did you mean 'train.seed'?"],
  );
});

test('parseSetArgument splits at the first =', () => {
  assert.deepEqual(parseSetArgument('method.select=re"a=b"'), { keyPath: 'method.select', valueText: 're"a=b"' });
  assert.ok('problem' in parseSetArgument('method.lr'));
});
