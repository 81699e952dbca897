// GLUE layouts that are not in ../shared (MNLI, QQP) and the loader's error paths, on small
// files written here in the GLUE download's format.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataError, loadSplit, readExamples, resolveLabelSpace, type GlueTaskSpec } from '../../../../server/src/training/data';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'masklab-glue-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function writeFolder(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

const row = (...cells: string[]) => cells.join('\t') + '\n';

// MNLI train has 12 columns, dev_matched 16 (five annotator labels); parses abbreviated.
const mnliDir = writeFolder('MNLI', {
  'train.tsv':
    row('index', 'promptID', 'pairID', 'genre', 'sentence1_binary_parse', 'sentence2_binary_parse', 'sentence1_parse', 'sentence2_parse', 'sentence1', 'sentence2', 'label1', 'gold_label') +
    row('0', '31193', '31193n', 'government', '( x )', '( y )', '(ROOT x)', '(ROOT y)', 'Conceptually cream skimming has two basic dimensions.', 'Product and geography are what make cream skimming work. ', 'neutral', 'neutral') +
    row('1', '101457', '101457e', 'telephone', '( x )', '( y )', '(ROOT x)', '(ROOT y)', 'you know during the season "and i guess', 'You lose the things to the following level.', 'entailment', 'entailment') +
    row('2', '134793', '134793e', 'fiction', '( x )', '( y )', '(ROOT x)', '(ROOT y)', 'One of our number will carry out your instructions.', 'A member of my team will execute your orders.', 'contradiction', 'contradiction'),
  'dev_matched.tsv':
    row('index', 'promptID', 'pairID', 'genre', 'sentence1_binary_parse', 'sentence2_binary_parse', 'sentence1_parse', 'sentence2_parse', 'sentence1', 'sentence2', 'label1', 'label2', 'label3', 'label4', 'label5', 'gold_label') +
    row('0', '63735', '63735n', 'slate', '( x )', '( y )', '(ROOT x)', '(ROOT y)', 'The new rights are nice enough', 'Everyone really likes the newest benefits ', 'neutral', 'entailment', 'neutral', 'neutral', 'neutral', 'neutral') +
    row('1', '91383', '91383c', 'government', '( x )', '( y )', '(ROOT x)', '(ROOT y)', 'This site includes a list of all award winners.', 'The Government Executive articles housed on the website are not able to be searched.', 'contradiction', 'contradiction', 'contradiction', 'contradiction', 'contradiction', 'contradiction'),
});

const qqpDir = writeFolder('QQP', {
  'train.tsv':
    row('id', 'qid1', 'qid2', 'question1', 'question2', 'is_duplicate') +
    row('133273', '213221', '213222', 'How is the life of a math student? Could you describe your own experiences?', 'Which level of prepration is enough for the exam jlpt5?', '0') +
    row('402555', '536040', '536041', 'How do I control my horny emotions?', 'How do you control your horniness?', '1') +
    // A stray, unbalanced quote: a quote-aware reader would swallow the next line into this cell.
    row('360472', '364011', '490273', 'What causes stool color to change to "yellow?', 'What can cause stool to come out as little balls?', '0') +
    row('150662', '155721', '7256', 'What can one do after MBBS?', 'What do i do after my MBBS ?', '1'),
  'dev.tsv': row('id', 'qid1', 'qid2', 'question1', 'question2', 'is_duplicate') + row('1', '2', '3', 'Why?', 'Why not?', '2'),
});

const mnli: GlueTaskSpec = { kind: 'glue', name: 'mnli', dataDir: mnliDir };
const qqp: GlueTaskSpec = { kind: 'glue', name: 'qqp', dataDir: qqpDir };

describe('MNLI layout', () => {
  test('labels in Hugging Face datasets order: entailment 0, neutral 1, contradiction 2', async () => {
    assert.deepEqual(await resolveLabelSpace(mnli), { kind: 'classification', names: ['entailment', 'neutral', 'contradiction'] });
    const { examples } = await loadSplit(mnli, 'train');
    assert.deepEqual(
      examples.map((example) => example.label),
      [1, 0, 2],
    );
    // sentence1/sentence2 found by header name, texts trimmed, stray quote kept.
    assert.deepEqual(examples[1], { text: 'you know during the season "and i guess', pair: 'You lose the things to the following level.', label: 0, line: 3 });
    assert.equal(examples[0].pair, 'Product and geography are what make cream skimming work.');
  });

  test('dev is dev_matched.tsv, its gold_label is the 16th column', async () => {
    const { examples, file } = await loadSplit(mnli, 'dev');
    assert.equal(path.basename(file), 'dev_matched.tsv');
    assert.deepEqual(
      examples.map((example) => [example.label, example.line]),
      [
        [1, 2],
        [2, 3],
      ],
    );
  });

  test('a caller-given label order wins', async () => {
    const { examples } = await loadSplit({ ...mnli, labels: ['contradiction', 'entailment', 'neutral'] }, 'train');
    assert.deepEqual(
      examples.map((example) => example.label),
      [2, 1, 0],
    );
  });

  test('there is no labelled test split', async () => {
    await assert.rejects(readExamples(mnli, 'test', { kind: 'regression' }).next(), DataError);
    await assert.rejects(loadSplit(mnli, 'test'), /has no labelled test split/);
  });
});

describe('QQP layout', () => {
  test('rows split on tabs only, so a stray quote stays in its cell', async () => {
    const { examples } = await loadSplit(qqp, 'train');
    assert.equal(examples.length, 4);
    assert.equal(examples[2].text, 'What causes stool color to change to "yellow?');
    assert.equal(examples[3].pair, 'What do i do after my MBBS ?');
    assert.deepEqual(
      examples.map((example) => example.label),
      [0, 1, 0, 1],
    );
  });

  test('an unknown label is a DataError naming file and line', async () => {
    await assert.rejects(loadSplit(qqp, 'dev'), (error: unknown) => {
      assert.ok(error instanceof DataError);
      assert.equal(error.file, path.join(qqpDir, 'dev.tsv'));
      assert.equal(error.line, 2);
      assert.match(error.message, /dev\.tsv:2: unknown label "2" \(column "is_duplicate"\); the task's labels are "0", "1"/);
      return true;
    });
  });
});

describe('GLUE errors', () => {
  test('a row with the wrong number of cells names its line', async () => {
    const dir = writeFolder('RTE', { 'train.tsv': row('index', 'sentence1', 'sentence2', 'label') + row('0', 'A.', 'B.', 'entailment') + 'x\tA stray\ttab\tin\tit\tentailment\n' });
    await assert.rejects(loadSplit({ kind: 'glue', name: 'rte', dataDir: dir }, 'train'), (error: unknown) => {
      assert.ok(error instanceof DataError);
      assert.equal(error.line, 3);
      assert.match(error.message, /expected 4 tab-separated cells \(as in the header\), found 6/);
      return true;
    });
  });

  test('a missing column names the header', async () => {
    const dir = writeFolder('SST-2-bad-header', { 'train.tsv': row('text', 'label') + row('fine .', '1') });
    await assert.rejects(loadSplit({ kind: 'glue', name: 'sst2', dataDir: dir }, 'train'), /train\.tsv:1: no column "sentence" in the header; it has "text", "label"/);
  });

  test('a missing split file names what was expected and where', async () => {
    const dir = writeFolder('empty-task', {});
    await assert.rejects(loadSplit({ kind: 'glue', name: 'qnli', dataDir: dir }, 'train'), (error: unknown) => {
      assert.ok(error instanceof DataError);
      assert.equal(error.file, dir);
      assert.match(error.message, /the GLUE qnli train file is missing: expected train\.tsv or train_subset9k\.json in this folder \(the GLUE download names this task's folder "QNLI"\)/);
      return true;
    });
  });

  test('a caller-named file replaces the standard one and keeps the layout', async () => {
    const dir = writeFolder('CoLA', { 'in_domain_dev.tsv': row('gj04', '0', '*', 'Sentence one.') + row('gj04', '1', '', 'Sentence two.') });
    const { examples } = await loadSplit({ kind: 'glue', name: 'cola', dataDir: dir, dev: path.join(dir, 'in_domain_dev.tsv') }, 'dev');
    assert.deepEqual(examples, [
      { text: 'Sentence one.', label: 0, line: 1 },
      { text: 'Sentence two.', label: 1, line: 2 },
    ]);
  });

  test('a task name outside GLUE is refused with the list', async () => {
    const spec = { kind: 'glue', name: 'wnli', dataDir: root } as unknown as GlueTaskSpec;
    await assert.rejects(loadSplit(spec, 'train'), /"wnli" is not a GLUE task; expected one of sst2, mrpc, cola, rte, qnli, stsb, mnli, qqp/);
  });

  test('an empty file is an error, not an empty training set', async () => {
    const dir = writeFolder('SST-2-empty', { 'train.tsv': 'sentence\tlabel\n' });
    await assert.rejects(loadSplit({ kind: 'glue', name: 'sst2', dataDir: dir }, 'train'), /train\.tsv: the train file has no examples/);
  });
});
