// The analyser against real checkpoints read by FileSystemModelKnowledge: the shared BERT-Tiny
// (skipped when ../shared is absent) and the repository's own example model that the quickstart names.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { validateConfig } from '../../../schemas/src/validateConfig';
import { analyse } from '../../../server/src/analysis/analyse';
import { resolveExperiment } from '../../../server/src/analysis/resolve';
import { FileSystemModelKnowledge } from '../../../server/src/checkpoint/modelKnowledge';
import { parse } from '../../../server/src/dsl/parser';
import { renderDiagnostic, repoRoot } from './helpers';
import { quickstartModelRef } from '../../support/quickstart';

const root = repoRoot();
const SHARED_MODEL = path.resolve(root, '../shared/models/bert-tiny-glue-mlm');
const SHARED_SST2 = path.resolve(root, '../shared/data/glue/SST-2');
const sharedAbsent = !fs.existsSync(path.join(SHARED_MODEL, 'model.safetensors')) || !fs.existsSync(SHARED_SST2);
const QUICKSTART = path.join(root, 'examples', 'quickstart.masklab');
/** The model folder the quickstart names (relative to the file), read from the file itself. */
const QUICKSTART_MODEL = path.join(root, 'examples', quickstartModelRef() || 'missing');

function analyseFile(filePath: string, text: string) {
  return analyse(parse(text), { filePath, text, models: new FileSystemModelKnowledge() });
}

test('the shared BERT-Tiny: blocks, selections and parameter counts from the real file', { skip: sharedAbsent && 'shared data absent: ../shared/models/bert-tiny-glue-mlm' }, () => {
  // The experiment file is placed (virtually) in the repository root, so paths are ../shared/….
  const filePath = path.join(root, 'virtual.masklab');
  const text = `experiment sst2_mask {
  model "../shared/models/bert-tiny-glue-mlm"
  task glue.sst2 { data "../shared/data/glue/SST-2"  max_length 64 }
  method mask {
    blocks 0..2
    matrices query, key, value, attention_output, intermediate, output
    also pooler, head
    select "encoder.layer.1.intermediate.dense.weight"
  }
}
experiment heads extends sst2_mask { method dsee { prune heads { heads 2 } } }
`;
  const analysis = analyseFile(filePath, text);
  assert.deepEqual(analysis.diagnostics.map((d) => renderDiagnostic(text, d)), [
    '5:12 error block 2 does not exist: the model has 2 blocks (0..1)',
    "11:72 error removing 2 heads per block leaves none: the model has 2 attention heads per block, so 'heads' must be below 2",
  ]);
  const total = analysis.selections.find((s) => s.label === 'method mask: every target');
  // 2 blocks × (4 × 128² + 2 × 128 × 512) + pooler 128² + a created 2 × 128 head.
  assert.equal(total?.parameters, 2 * (4 * 128 * 128 + 2 * 128 * 512) + 128 * 128 + 2 * 128);
  assert.equal(total?.tensors, 12 + 1 + 1);
  const select = analysis.selections.find((s) => s.label.startsWith('select'));
  assert.deepEqual(select?.matches.map((p) => [p.name, p.shape]), [['bert.encoder.layer.1.intermediate.dense.weight', [512, 128]]]);

  const fixed = text.replace('blocks 0..2', 'blocks all').replace('heads 2', 'heads 1');
  const clean = analyseFile(filePath, fixed);
  assert.deepEqual(clean.diagnostics, []);
  const result = resolveExperiment(clean, 'heads');
  assert.ok('config' in result);
  assert.equal(result.config.model.dir, SHARED_MODEL);
  assert.equal(result.config.task.train.path, path.join(SHARED_SST2, 'train.tsv'));
  assert.deepEqual(result.config.method.blocks, [0, 1]);
  assert.ok(validateConfig(JSON.parse(JSON.stringify(result.config))).valid);
});

test('a corrupt checkpoint is reported on the model line', { skip: sharedAbsent && 'shared data absent: ../shared/models/bert-tiny-glue-mlm' }, (t) => {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(require('node:os').tmpdir()), 'masklab-corrupt-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'model'));
  fs.copyFileSync(path.join(SHARED_MODEL, 'config.json'), path.join(dir, 'model', 'config.json'));
  // The first kilobyte of the real weights: a header that promises far more data than follows.
  const head = Buffer.alloc(1024);
  const fd = fs.openSync(path.join(SHARED_MODEL, 'model.safetensors'), 'r');
  fs.readSync(fd, head, 0, 1024, 0);
  fs.closeSync(fd);
  fs.writeFileSync(path.join(dir, 'model', 'model.safetensors'), head);
  const text = `experiment a {\n  model "model"\n  task glue.sst2 { data "${SHARED_SST2}" }\n  method mask\n}\n`;
  const analysis = analyseFile(path.join(dir, 'x.masklab'), text);
  assert.equal(analysis.diagnostics.length, 1);
  const [d] = analysis.diagnostics;
  assert.equal(d.code, 'model-unreadable');
  assert.equal(text.slice(d.span.start, d.span.end), '"model"');
  assert.match(d.message, /model\.safetensors/);
});

test('examples/quickstart.masklab is clean against the example model it names and resolves', { skip: !fs.existsSync(QUICKSTART_MODEL) && 'the quickstart\'s model is absent' }, () => {
  const text = fs.readFileSync(QUICKSTART, 'utf8');
  const analysis = analyseFile(QUICKSTART, text);
  assert.deepEqual(analysis.diagnostics.map((d) => renderDiagnostic(text, d)), []);
  const result = resolveExperiment(analysis, 'quickstart');
  assert.ok('config' in result);
  assert.equal(result.config.model.dir, QUICKSTART_MODEL);
  assert.ok(validateConfig(JSON.parse(JSON.stringify(result.config))).valid);
  const total = analysis.selections.find((s) => s.label === 'method mask: every target');
  assert.ok(total && total.tensors === 2 * 6 + 2, `selection: ${total?.tensors}`);
  // A block beyond the example model's two is caught against the real file.
  const broken = text.replace('blocks           all', 'blocks           1..2');
  const brokenAnalysis = analyseFile(QUICKSTART, broken);
  assert.deepEqual(brokenAnalysis.diagnostics.map((d) => d.code), ['block-out-of-range']);
});
