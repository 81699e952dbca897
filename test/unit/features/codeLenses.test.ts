// Code lenses: Train (Cancel while training), Evaluate, Open last run, resolved config and a method
// summary on experiments; Train / Evaluate / Open last run of a chosen cell and one lens per cell on sweeps.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CANCEL_RUN,
  codeLenses,
  EVALUATE,
  MAX_CELL_LENSES,
  MAX_LISTED_CELLS,
  OPEN_LAST_RUN,
  SHOW_RESOLVED_CONFIG,
  TRAIN,
  type CodeLensOptions,
  type SweepCellChoice,
} from '../../../server/src/features/codeLenses';
import { analysed } from './documents';

const URI = 'file:///proj/experiments/exp.masklab';

const DOC = `experiment a {
  model "models/tiny"
  task glue.sst2 { data "data/SST-2" }
  method mask
}
experiment b extends a {
  method finetune { blocks 1 }
}
sweep seeds_and_rates of a {
  train.seed 1, 2, 3
  method.lr 1e-4, 1e-3
}
`;

/** Each lens as `line: title -> command(arguments)`, `line: title` when it only shows text. */
function lenses(text: string, options?: CodeLensOptions): string[] {
  const a = analysed(text);
  return codeLenses(a.analysis, a.lines, options).map((l) => {
    assert.equal(l.range.start.line, l.range.end.line, 'a lens sits on its declaration’s first line');
    const c = l.command;
    assert.ok(c);
    return c.command === '' ? `${l.range.start.line}: ${c.title}` : `${l.range.start.line}: ${c.title} -> ${c.command}(${JSON.stringify(c.arguments)})`;
  });
}

/** The lenses every experiment gets, in order, before its method summary. */
const runLenses = (line: number, name: string) => [
  `${line}: $(play) Train -> ${TRAIN}(["${URI}","${name}"])`,
  `${line}: Evaluate -> ${EVALUATE}(["${URI}","${name}"])`,
  `${line}: Open last run -> ${OPEN_LAST_RUN}(["${URI}","${name}"])`,
  `${line}: Show resolved config -> ${SHOW_RESOLVED_CONFIG}(["${URI}","${name}"])`,
];

const SWEEP_CHOICE: SweepCellChoice = {
  cellCount: 6,
  cellLabels: ['seed=1, lr=1e-4', 'seed=1, lr=1e-3', 'seed=2, lr=1e-4', 'seed=2, lr=1e-3', 'seed=3, lr=1e-4', 'seed=3, lr=1e-3'],
};
const sweepTarget = JSON.stringify([URI, 'seeds_and_rates', null, SWEEP_CHOICE]);

test('experiments: train, evaluate, open the last run, show the resolved config, and what the method touches', () => {
  assert.deepEqual(lenses(DOC), [
    ...runLenses(0, 'a'),
    '0: mask · 14 matrices · 0.4M params',
    ...runLenses(5, 'b'),
    '5: finetune · 14 tensors · 4.2M params',
    `8: $(play) Train cell… -> ${TRAIN}(${sweepTarget})`,
    `8: Evaluate cell… -> ${EVALUATE}(${sweepTarget})`,
    `8: Open last run… -> ${OPEN_LAST_RUN}(${sweepTarget})`,
    `8: cell 0: seed=1, lr=1e-4 -> ${SHOW_RESOLVED_CONFIG}(["${URI}","seeds_and_rates",0])`,
    `8: cell 1: seed=1, lr=1e-3 -> ${SHOW_RESOLVED_CONFIG}(["${URI}","seeds_and_rates",1])`,
    `8: cell 2: seed=2, lr=1e-4 -> ${SHOW_RESOLVED_CONFIG}(["${URI}","seeds_and_rates",2])`,
    `8: cell 3: seed=2, lr=1e-3 -> ${SHOW_RESOLVED_CONFIG}(["${URI}","seeds_and_rates",3])`,
    `8: cell 4: seed=3, lr=1e-4 -> ${SHOW_RESOLVED_CONFIG}(["${URI}","seeds_and_rates",4])`,
    `8: cell 5: seed=3, lr=1e-3 -> ${SHOW_RESOLVED_CONFIG}(["${URI}","seeds_and_rates",5])`,
  ]);
});

test('no summary when the selection is unknown: no model, or a method inherited unchanged', () => {
  assert.deepEqual(lenses('experiment a {\n  model "models/broken"\n  method mask\n}'), runLenses(0, 'a'));
  assert.deepEqual(lenses(`${DOC}experiment c extends a {}\n`).filter((l) => l.startsWith('12:')), runLenses(12, 'c'));
});

test('while a run trains, its Train lens becomes Cancel (a sweep cell gets its own Cancel); other experiments keep Train', () => {
  const active: CodeLensOptions = {
    activeRuns: (name) => (name === 'a' ? [{ runId: 'run-a' }] : name === 'seeds_and_rates' ? [{ runId: 'run-cell4', index: 4 }] : []),
  };
  const shown = lenses(DOC, active);
  assert.equal(shown[0], `0: $(debug-stop) Cancel training -> ${CANCEL_RUN}(["run-a"])`);
  assert.ok(!shown.some((l) => l.startsWith('0:') && l.includes(TRAIN)), 'no Train lens on a training experiment');
  assert.ok(shown.includes(`5: $(play) Train -> ${TRAIN}(["${URI}","b"])`));
  const sweep = shown.filter((l) => l.startsWith('8:'));
  assert.equal(sweep[0], `8: $(debug-stop) Cancel cell 4 -> ${CANCEL_RUN}(["run-cell4"])`);
  assert.equal(sweep[1], `8: $(play) Train cell… -> ${TRAIN}(${sweepTarget})`, 'other cells can still be started');
});

test('a sweep lists its cells for the client to pick from, up to MAX_LISTED_CELLS, and always says how many there are', () => {
  const big = DOC.replace('train.seed 1, 2, 3', 'train.seed 1..200');
  const a = analysed(big);
  const train = codeLenses(a.analysis, a.lines).find((l) => l.command?.command === TRAIN && l.range.start.line === 8);
  const choice = train?.command?.arguments?.[3] as SweepCellChoice;
  assert.equal(choice.cellCount, 400);
  assert.equal(choice.cellLabels.length, MAX_LISTED_CELLS);
  assert.equal(choice.cellLabels[MAX_LISTED_CELLS - 1], 'seed=128, lr=1e-3');
});

test('a large sweep shows the first cells and how many more', () => {
  const doc = DOC.replace('train.seed 1, 2, 3', 'train.seed 1..10');
  const cells = lenses(doc).filter((l) => /^8: (cell \d+|\+\d+ more)/.test(l));
  assert.equal(cells.length, MAX_CELL_LENSES + 1);
  assert.equal(cells[MAX_CELL_LENSES - 1], `8: cell 15: seed=8, lr=1e-3 -> ${SHOW_RESOLVED_CONFIG}(["${URI}","seeds_and_rates",15])`);
  assert.equal(cells[MAX_CELL_LENSES], `8: +${20 - MAX_CELL_LENSES} more cells`);
});

test('axes ending alike keep their full keys; a sweep with errors has no cells', () => {
  const dsee = `experiment d {\n  model "models/tiny"\n  task glue.sst2 { data "data/SST-2" }\n  method sparse_finetune { sparsity 10% }\n}\nsweep s of d {\n  method.sparsity 10%, 20%\n  train.seed 1\n}\n`;
  assert.deepEqual(lenses(dsee).filter((l) => l.startsWith('5: cell')), [
    `5: cell 0: sparsity=10%, seed=1 -> ${SHOW_RESOLVED_CONFIG}(["${URI}","s",0])`,
    `5: cell 1: sparsity=20%, seed=1 -> ${SHOW_RESOLVED_CONFIG}(["${URI}","s",1])`,
  ]);
  const clash = `experiment d {\n  model "models/tiny"\n  task glue.sst2 { data "data/SST-2" }\n  method dsee { prune unstructured }\n}\nsweep s of d {\n  method.prune.sparsity 10%, 20%\n  train.seed 1\n  task.max_length 64\n  method.lr 1e-3\n  train.epochs 1\n  evaluate.every 1 epochs\n}\n`;
  assert.match(lenses(clash).find((l) => l.startsWith('5: cell 0')) ?? '', /^5: cell 0: sparsity=10%, seed=1, max_length=64, lr=1e-3, epochs=1, every=1 epochs/);
  const twoSparsities = `experiment d {\n  model "models/tiny"\n  task glue.sst2 { data "data/SST-2" }\n  method sparse_finetune\n}\nsweep s of d {\n  method sparse_finetune\n  method.sparsity 10%\n}\n`;
  assert.ok(lenses(twoSparsities).some((l) => l.includes('cell 0: method=sparse_finetune, sparsity=10%')));
  assert.deepEqual(lenses(`${DOC}sweep bad of a {\n  train.seed 1, x\n}\n`).filter((l) => l.startsWith('12:')), []);
});
