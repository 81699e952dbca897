// Snapshot-style expectations: small documents and every diagnostic they produce, as
// `line:col severity message` (1-based), against a BERT-Tiny-shaped model stub.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyse } from '../../../server/src/analysis/analyse';
import { parse } from '../../../server/src/dsl/parser';
import { DIR, FILE, StubModels, TINY_DIR, analyseText, bertDescription, diagnosticsOf, renderDiagnostic, tinyModels } from './helpers';

const HEAD = `experiment a {
  model "models/tiny"
  task glue.sst2 { data "data/SST-2" }
`;

test('a complete experiment has no diagnostics', () => {
  assert.deepEqual(diagnosticsOf(`${HEAD}  method mask\n}\n`), []);
});

test('a key written in the wrong block says where it belongs', () => {
  const doc = `${HEAD}  method mask { seed 3 }
  epochs 3
  learning_rate 1e-3
  train { epochs 1 }
}`;
  const messages = diagnosticsOf(doc);
  assert.ok(messages.includes("4:17 error unknown method knob 'seed'; 'seed' belongs in 'train { … }'"), messages.join('\n'));
  assert.ok(messages.includes("5:3 error unknown block or key 'epochs'; 'epochs' belongs in 'train { … }'"), messages.join('\n'));
  assert.ok(messages.includes("6:3 error unknown block or key 'learning_rate'; Masklab calls it 'lr', in 'method { … }'"), messages.join('\n'));
});

test('names from Hugging Face Trainer and PEFT suggest ours', () => {
  const doc = `${HEAD}  method dsee { learning_rate 2e-4  lora_r 8 }
  train { batch_size 16  num_train_epochs 3 }
}`;
  const messages = diagnosticsOf(doc).map((d) => d.replace(/^\d+:\d+ error /, ''));
  for (const [theirs, ours] of [['learning_rate', 'lr'], ['lora_r', 'rank'], ['batch_size', 'batch'], ['num_train_epochs', 'epochs']]) {
    assert.ok(messages.some((m) => m.includes(`'${theirs}'; did you mean '${ours}'?`)), `${theirs}: ${messages.join(' | ')}`);
  }
});

test('unknown keys, blocks and methods get did-you-mean', () => {
  const doc = `experiment a {
  modle "models/tiny"
  task glue.sst2 { data "data/SST-2" }
  method maks { lr 1e-3  threshhold 0.01 }
  trian { epochs 3 }
}`;
  assert.deepEqual(diagnosticsOf(doc), [
    `1:12 error experiment 'a' needs a model: add 'model "path/to/checkpoint"' (a Hugging Face folder relative to this file)`,
    "2:3 error unknown block or key 'modle'; did you mean 'model'?",
    "4:10 error unknown method 'maks'; did you mean 'mask'?",
    "4:26 error unknown method knob 'threshhold'; did you mean 'threshold'?",
    "5:3 error unknown block or key 'trian'; did you mean 'train'?",
  ]);
});

test('did-you-mean diagnostics carry a quick fix replacing the word', () => {
  const doc = `${HEAD}  method mask { variant treshold }\n}\n`;
  const analysis = analyseText(doc);
  const [d] = analysis.diagnostics;
  assert.equal(d.code, 'unknown-value');
  assert.deepEqual(d.fix && { text: doc.slice(d.fix.span.start, d.fix.span.end), newText: d.fix.newText }, { text: 'treshold', newText: 'threshold' });
});

test('unknown task and enum values, duplicates and quoted identifiers', () => {
  const doc = `experiment a {
  model "models/tiny"
  task glue.sst3 { data "data/SST-2" }
  method mask { lr 1e-3 lr 2e-3 variant treshold schedule "linear" }
}`;
  assert.deepEqual(diagnosticsOf(doc), [
    "3:8 error unknown task 'glue.sst3'; did you mean 'glue.sst2'?",
    "4:25 error duplicate key 'lr': it is already set in this method block",
    "4:41 error unknown variant value 'treshold'; did you mean 'threshold'?",
    "4:59 error 'schedule' takes the identifier linear without quotes",
  ]);
});

test('a duplicate key points at the first with related information', () => {
  const doc = `${HEAD}  method mask\n  train { seed 1\n    seed 2 }\n}\n`;
  const analysis = analyseText(doc);
  const dup = analysis.diagnostics.find((d) => d.code === 'duplicate-key');
  assert.ok(dup);
  assert.equal(renderDiagnostic(doc, dup), "6:5 error duplicate key 'seed': it is already set in this train block");
  assert.equal(dup.related?.length, 1);
  assert.equal(renderDiagnostic(doc, { ...dup, span: dup.related[0].span }).slice(0, 4), '5:11');
});

test('types and ranges name what was expected', () => {
  const doc = `experiment a {
  model "models/tiny"
  task glue.sst2 { data "data/SST-2" max_length 1024 }
  method mask { lr -1 initial_sparsity 150% init_low fast }
  train { batch 0 epochs 0 seed 1.5 checkpoint_every 200 dropout 10 }
}`;
  assert.deepEqual(diagnosticsOf(doc), [
    "3:49 error 'max_length' must be an integer in 1..512; got 1024",
    "4:20 error 'lr' must be a number > 0; got -1",
    "4:40 error 'initial_sparsity' must be in (0, 1), i.e. 0% < x < 100%; got 150%",
    "4:54 error 'init_low' expects a number ≥ 0; got 'fast'",
    "5:17 error 'batch' must be an integer in 1..4096; got 0",
    "5:26 error 'epochs' must be a number > 0; got 0",
    "5:33 error 'seed' must be an integer; got 1.5",
    "5:54 error 'checkpoint_every' expects a duration such as '60 steps' or '1 epochs'; add a unit to 200",
    "5:66 error 'dropout' must be in [0, 1), i.e. 0% ≤ x < 100%; got 10 (for a percentage write 10%)",
  ]);
});

test('a knob of another method names the method it belongs to', () => {
  assert.deepEqual(diagnosticsOf(`${HEAD}  method mask { rank 16  train_head true  prune heads { } }\n}\n`), [
    "4:17 error 'rank' is a dsee knob; it has no effect in method mask",
    "4:26 error 'train_head' is a finetune or sparse_finetune knob; it has no effect in method mask",
    "4:43 error 'prune' is a dsee block; it has no effect in method mask",
  ]);
});

test('keys of another task family or pruning kind, and per-method also values', () => {
  const doc = `experiment a {
  model "models/tiny"
  task glue.sst2 { data "data/SST-2"  text "sentence" }
  method dsee { prune unstructured { heads 1 }  also embeddings }
}`;
  assert.deepEqual(diagnosticsOf(doc), [
    "3:39 error 'text' is a key of task csv, tsv or jsonl; it has no effect in task glue.sst2",
    "4:38 error 'heads' is a key of prune heads; it has no effect in prune unstructured",
    "4:54 error 'embeddings' cannot be used in 'also' with method dsee; there it takes 'pooler' or 'head'",
  ]);
});

test('warm-up longer than the run: steps computed only when the dataset size is known', () => {
  const known = `experiment a {
  model "models/tiny"
  task glue.sst2 { data "data/SST-2" max_examples 320 }
  method finetune { warmup 200 steps }
  train { epochs 2 batch 32 }
}`;
  assert.deepEqual(diagnosticsOf(known), [
    '4:28 error the warm-up (200 steps) is longer than the run (20 steps: 2 epochs of 10 steps, from max_examples 320 and batch 32)',
  ]);
  // Without max_examples the dataset size is unknown: steps are not compared with epochs.
  assert.deepEqual(diagnosticsOf(known.replace(' max_examples 320', '')), []);
  // Durations of the same unit are compared without knowing it.
  assert.deepEqual(diagnosticsOf(known.replace(' max_examples 320', '').replace('200 steps', '3 epochs')), [
    '4:28 error the warm-up (3 epochs) is longer than the run (2 epochs)',
  ]);
  assert.deepEqual(diagnosticsOf(known.replace(' max_examples 320', '').replace('batch 32', 'max_steps 100')), [
    '4:28 error the warm-up (200 steps) is longer than the run (at most 100 steps (max_steps) and 2 epochs)',
  ]);
});

test('schedule_start must precede schedule_end; topk knobs have no effect in mode layers, inherited ones too', () => {
  const doc = `${HEAD}  method sparse_finetune { sparsity_schedule cubic schedule_start 2 epochs schedule_end 1 epochs }
}
experiment b extends a { method sparse_finetune { mode layers sparsity 10% head_lr 1e-3 train_head false } }
`;
  assert.deepEqual(diagnosticsOf(doc), [
    '4:67 error schedule_start (2 epochs) must precede schedule_end (1 epochs)',
    "6:12 error inherited from 'a': 'sparsity_schedule' has no effect in mode layers: it applies to mode topk",
    "6:12 error inherited from 'a': 'schedule_start' has no effect in mode layers: it applies to mode topk",
    "6:12 error inherited from 'a': 'schedule_end' has no effect in mode layers: it applies to mode topk",
    "6:63 error 'sparsity' has no effect in mode layers: it applies to mode topk",
    "6:76 warning 'head_lr' has no effect with train_head false: the head is not trained",
  ]);
});

test('contradictions and metrics that do not fit the task', () => {
  const doc = `${HEAD}  method finetune { train_head false also pooler, head }
  device { backend wasm require_gpu true }
}
experiment g extends a { task glue.stsb { data "data/STS-B" } evaluate { metrics accuracy, pearson } }
experiment h extends a { task glue.mnli { data "data/MNLI" } evaluate { metrics f1 } }
`;
  assert.deepEqual(diagnosticsOf(doc), [
    "4:21 error train_head false contradicts 'also', which lists head; write one of them",
    '5:37 error require_gpu true cannot be met with backend wasm, which never uses a GPU: use backend auto or tensorflow',
    "7:82 error 'accuracy' needs class labels, but glue.stsb is a regression task: use pearson or spearman",
    "8:81 error 'f1' is the F1 of the positive class of a two-class task, but glue.mnli has 3 labels: use accuracy or mcc",
  ]);
});

test('extends: unknown base, cycles on every participant, duplicate names', () => {
  const doc = `${HEAD}  method mask
}
experiment b extends aa { }
experiment c extends d { }
experiment d extends c { }
experiment a { }
`;
  assert.deepEqual(diagnosticsOf(doc), [
    // Too short for a suggestion: the known names are listed instead.
    "6:22 error unknown experiment 'aa'; expected 'a', 'c' or 'd'",
    "7:22 error 'extends' goes round in a circle: c → d → c; one of them must not extend the others",
    "8:22 error 'extends' goes round in a circle: c → d → c; one of them must not extend the others",
    "9:12 error duplicate name 'a': an experiment of that name is already declared in this file",
  ]);
});

test('a problem caused only through inheritance is reported on the child, pointing at the entry', () => {
  const doc = `${HEAD}  method mask { warmup 5 epochs }
}
experiment q extends a { train { epochs 3 } }
experiment r extends a { }
`;
  const analysis = analyseText(doc);
  assert.deepEqual(analysis.diagnostics.map((d) => renderDiagnostic(doc, d)), [
    "6:12 error inherited from 'a': the warm-up (5 epochs) is longer than the run (3 epochs)",
  ]);
  const related = analysis.diagnostics[0].related?.[0];
  assert.ok(related);
  assert.equal(doc.slice(related.span.start, related.span.end), '5 epochs');
});

test('a child may leave the method kind to its parent; a different kind replaces the block', () => {
  const doc = `${HEAD}  method dsee { rank 4 }
}
experiment b extends a { method { rank 8  threshold 0.1 } }
experiment c extends a { method mask { lr 1e-3 } }
`;
  assert.deepEqual(diagnosticsOf(doc), ["6:43 error 'threshold' is a mask knob; it has no effect in method dsee"]);
});

test('missing files and folders, relative to the experiment file', () => {
  const doc = `experiment a {
  model "models/missing"
  task glue.sst2 { data "data/nope" }
  method mask
}
experiment b extends a {
  model "models/tiny"
  task csv { train "reviews/train.csv"  dev "reviews/dev.tsv" }
}
experiment c extends a {
  model "models/tiny"
  task tsv { data "reviews" }
}`;
  assert.deepEqual(diagnosticsOf(doc), [
    '2:9 error /proj/experiments/models/missing does not exist',
    '3:25 error the folder "data/nope" does not exist (looked for /proj/experiments/data/nope; paths are relative to this file)',
    '8:45 error the file "reviews/dev.tsv" does not exist (looked for /proj/experiments/reviews/dev.tsv; paths are relative to this file)',
    '12:19 error reviews has no train.tsv (looked for /proj/experiments/reviews/train.tsv); add it or name the file with \'train\'',
    '12:19 error reviews has no dev.tsv (looked for /proj/experiments/reviews/dev.tsv); add it or name the file with \'dev\'',
  ]);
});

test('an unreadable checkpoint is reported on the model line with the problem text', () => {
  const doc = `experiment a {\n  model "models/broken"\n  task glue.sst2 { data "data/SST-2" }\n  method mask\n}\n`;
  assert.deepEqual(diagnosticsOf(doc), [
    '2:9 error /proj/experiments/models/broken/model.safetensors is truncated: the header says 4,400,000 bytes but the file has 1,024',
  ]);
});

test('selections are checked against the parameter names of the model', () => {
  const doc = `${HEAD}  method mask {
    blocks 0..3, 7
    select "encoder.layer.0.attention.self.querry.weight", "encoder.layer.*.output.LayerNorm.weight", re"(", re"pooler\\..*"
  }
}
experiment d extends a { method dsee { prune heads { heads 2 }  rank 200 } }
experiment e extends a { task glue.sst2 { data "data/SST-2" max_length 600 } }
`;
  assert.deepEqual(diagnosticsOf(doc), [
    '5:12 error blocks 2, 3, 7 do not exist: the model has 2 blocks (0..1)',
    "6:12 error \"encoder.layer.0.attention.self.querry.weight\" matches no parameter of the model in /proj/experiments/models/tiny; did you mean 'encoder.layer.0.attention.self.query.weight'?",
    '6:60 error "encoder.layer.*.output.LayerNorm.weight" matches 2 tensors, but none is a weight matrix, and method mask changes only weight matrices (biases, LayerNorm parameters and embeddings never are)',
    '6:103 error invalid regular expression re"(": /(/: Unterminated group',
    "9:60 error removing 2 heads per block leaves none: the model has 2 attention heads per block, so 'heads' must be below 2",
    '9:70 error rank 200 exceeds the smaller side (128) of the selected matrices: a rank above 128 adds nothing',
    "10:72 error 'max_length' must be an integer in 1..512; got 600",
  ]);
});

test('a pooler-less checkpoint makes `also pooler` an error', () => {
  const models = new StubModels({ [TINY_DIR]: bertDescription(TINY_DIR, { pooler: false }) });
  assert.deepEqual(diagnosticsOf(`${HEAD}  method mask { also pooler, head }\n}\n`, { models }), [
    "4:22 error the model has no pooler to select (/proj/experiments/models/tiny); remove 'pooler' from 'also'",
  ]);
});

test('max_length beyond the model positions is reported against the checkpoint', () => {
  const models = new StubModels({ [TINY_DIR]: bertDescription(TINY_DIR, { positions: 64 }) });
  assert.deepEqual(diagnosticsOf(HEAD.replace('"data/SST-2"', '"data/SST-2" max_length 128') + '  method mask\n}\n', { models }), [
    '3:49 error max_length 128 exceeds the 64 positions the model has (max_position_embeddings in /proj/experiments/models/tiny/config.json)',
  ]);
});

test('sweeps: unknown keys, knobs of another method, values, unknown targets and broken cells', () => {
  const doc = `${HEAD}  method mask { warmup 5 epochs }
}
sweep s of a { method.lrr 1, 2  train.seed 1..3  method.rank 1 }
sweep t of nothing { train.seed 1 }
sweep u of a { train.batch 0, 32  method finetune, maks }
sweep v of a { train.epochs 2, 20 }
sweep w of a { method finetune, dsee  method.rank 1, 2 }
`;
  assert.deepEqual(diagnosticsOf(doc), [
    "6:23 error unknown key 'method.lrr'; did you mean 'method.lr'?",
    "6:50 error 'method.rank' is a dsee knob; it has no effect in method mask (experiment 'a')",
    "7:12 error unknown experiment 'nothing'; expected 'a'",
    "8:28 error 'batch' must be an integer in 1..4096; got 0",
    "8:52 error unknown method 'maks'; did you mean 'mask'?",
    '9:7 error cell 0 (train.epochs 2): the warm-up (5 epochs) is longer than the run (2 epochs)',
    "10:7 error cell 0 (method finetune, method.rank 1): 'rank' is a dsee knob; it has no effect in method finetune",
  ]);
});

test('syntax errors of the parser are part of the diagnostics', () => {
  const doc = `${HEAD}  method mask { lr }\n}\n`;
  const analysis = analyseText(doc);
  assert.ok(analysis.diagnostics.length >= 1);
  assert.ok(analysis.diagnostics.every((d) => d.severity === 'error'));
  assert.ok(analysis.diagnostics.some((d) => analysis.document.errors.some((e) => e.code === d.code && e.span.start === d.span.start)));
});

test('selections record matched tensors and parameters per node', () => {
  const doc = `${HEAD}  method mask {
    blocks 1
    matrices query, value
    also pooler, head
    select "encoder.layer.0.intermediate.dense.weight"
  }
}`;
  const analysis = analyseText(doc);
  assert.deepEqual(analysis.diagnostics, []);
  const byLabel = Object.fromEntries(
    analysis.selections.map((s) => [`${s.label} @ ${doc.slice(s.span.start, s.span.end)}`, [s.tensors, s.parameters]]),
  );
  assert.deepEqual(byLabel, {
    'blocks × matrices @ blocks 1': [2, 2 * 128 * 128],
    'blocks × matrices @ matrices query, value': [2, 2 * 128 * 128],
    'also pooler @ pooler': [1, 128 * 128],
    // BERT-Tiny's MLM checkpoint has no classifier: the head is created for SST-2's 2 labels.
    'also head @ head': [1, 2 * 128],
    'select "encoder.layer.0.intermediate.dense.weight" @ "encoder.layer.0.intermediate.dense.weight"': [1, 512 * 128],
    'method mask: every target @ mask': [5, 2 * 128 * 128 + 128 * 128 + 2 * 128 + 512 * 128],
  });
  const head = analysis.selections.find((s) => s.label === 'also head');
  assert.deepEqual(head?.created.map((c) => [c.canonical, c.shape]), [['classifier.weight', [2, 128]]]);
});

test('hf: references go through the model resolver; its problem lands on the model line', () => {
  const text = `experiment a {\n  model "hf:google/bert-tiny"\n  task glue.sst2 { data "data/SST-2" }\n  method mask\n}\n`;
  const asked: string[] = [];
  const analysis = analyse(parse(text), {
    filePath: FILE,
    text,
    models: tinyModels(),
    fileExists: (p) => p.startsWith(path.join(DIR, 'data/SST-2')),
    resolveModel: (ref) => {
      asked.push(ref);
      return ref === 'hf:google/bert-tiny' ? { dir: TINY_DIR } : { problem: `${ref} is not in the Hugging Face cache` };
    },
  });
  assert.deepEqual(analysis.diagnostics, []);
  assert.deepEqual(asked, ['hf:google/bert-tiny']);
  const model = analysis.experiments.get('a')?.model;
  assert.ok(model && 'description' in model);
  assert.equal(model.dir, TINY_DIR);

  const missing = text.replace('hf:google/bert-tiny', 'hf:google/bert-huge');
  const other = analyse(parse(missing), { filePath: FILE, text: missing, models: tinyModels(), fileExists: () => true, resolveModel: () => ({ problem: 'hf:google/bert-huge is not in the Hugging Face cache' }) });
  assert.deepEqual(other.diagnostics.map((d) => renderDiagnostic(missing, d)), ['2:9 error hf:google/bert-huge is not in the Hugging Face cache']);
});
