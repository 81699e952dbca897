// A user's own CSV / TSV / JSONL files with named columns: labels given or discovered, regression,
// and the errors a user sees for broken files.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataError, loadSplit, readExamples, resolveLabelSpace, sortLabelValues, type FileTaskSpec } from '../../../../server/src/training/data';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'masklab-files-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(root, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('CSV tasks', () => {
  const train = write('reviews-train.csv', 'id,review,label\n1,"Great, really great",pos\n2,"Not ""great""\nat all",neg\n3,meh,neutral\n4,fine,pos\n');
  const dev = write('reviews-dev.csv', 'label,review,id\r\nneg,awful,9\r\nspam,buy now,10\r\n');
  const spec: FileTaskSpec = { kind: 'csv', train, dev, textColumn: 'review' };

  test('labels discovered from train, sorted by code point', async () => {
    assert.deepEqual(await resolveLabelSpace(spec), { kind: 'classification', names: ['neg', 'neutral', 'pos'] });
  });

  test('quoted commas, doubled quotes and line breaks; lines are where records start', async () => {
    const { examples } = await loadSplit(spec, 'train');
    assert.deepEqual(examples, [
      { text: 'Great, really great', label: 2, line: 2 },
      { text: 'Not "great"\nat all', label: 0, line: 3 },
      { text: 'meh', label: 1, line: 5 },
      { text: 'fine', label: 2, line: 6 },
    ]);
  });

  test('columns are found by name in any order; a label unseen in train is an error at its line', async () => {
    const labels = await resolveLabelSpace(spec);
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const example of readExamples(spec, 'dev', labels)) seen.push(example.text);
      })(),
      (error: unknown) => error instanceof DataError && error.line === 3 && /reviews-dev\.csv:3: unknown label "spam"/.test(error.message),
    );
    assert.deepEqual(seen, ['awful']);
  });

  test('a given label list fixes the order', async () => {
    const { examples } = await loadSplit({ ...spec, labels: ['pos', 'neg', 'neutral'] }, 'train');
    assert.deepEqual(
      examples.map((example) => example.label),
      [0, 1, 2, 0],
    );
  });

  test('a missing column is named with the header it looked in', async () => {
    await assert.rejects(loadSplit({ ...spec, pairColumn: 'title' }, 'train'), /reviews-train\.csv:1: no column "title" in the header; it has "id", "review", "label"/);
  });
});

describe('TSV tasks', () => {
  test('pairs, numeric labels sorted numerically, and a short row named by line', async () => {
    const train = write('pairs-train.tsv', 'a\tb\tlabel\nx\ty\t10\nx\t"z\t2\nq\tr\t2\n');
    const spec: FileTaskSpec = { kind: 'tsv', train, textColumn: 'a', pairColumn: 'b' };
    // "10" sorts after "2" numerically (by code point it would come first).
    assert.deepEqual(await resolveLabelSpace(spec), { kind: 'classification', names: ['2', '10'] });
    const { examples } = await loadSplit(spec, 'train');
    assert.deepEqual(examples[1], { text: 'x', pair: '"z', label: 0, line: 3 });
    const broken = write('broken.tsv', 'text\tlabel\nok\t1\nno label here\n');
    await assert.rejects(loadSplit({ kind: 'tsv', train: broken, labels: ['0', '1'] }, 'train'), (error: unknown) => {
      assert.ok(error instanceof DataError);
      assert.equal(error.line, 3);
      assert.match(error.message, /expected 2 tab-separated cells \(as in the header\), found 1/);
      return true;
    });
  });

  test('the dev split must be named to be read; a missing file is named', async () => {
    const train = write('only-train.tsv', 'text\tlabel\na\t0\nb\t1\n');
    await assert.rejects(loadSplit({ kind: 'tsv', train }, 'dev'), /the task names no dev file/);
    const missing = path.join(root, 'nope.tsv');
    await assert.rejects(loadSplit({ kind: 'tsv', train, dev: missing }, 'dev'), (error: unknown) => {
      assert.ok(error instanceof DataError);
      assert.equal(error.file, missing);
      assert.match(error.message, /nope\.tsv: the dev file does not exist/);
      return true;
    });
  });
});

describe('JSONL tasks', () => {
  test('numbers and booleans as labels, blank lines skipped', async () => {
    const train = write('flags.jsonl', '{"text": "yes", "label": true}\n\n{"text": "no", "label": false}\n{"text": "again", "label": true}\n');
    const { examples, labels } = await loadSplit({ kind: 'jsonl', train }, 'train');
    assert.deepEqual(labels, { kind: 'classification', names: ['false', 'true'] });
    assert.deepEqual(examples, [
      { text: 'yes', label: 1, line: 1 },
      { text: 'no', label: 0, line: 3 },
      { text: 'again', label: 1, line: 4 },
    ]);
  });

  test('regression targets from numbers or numeric strings; a non-number is an error', async () => {
    const train = write('scores.jsonl', '{"s": "a", "y": 0.5}\n{"s": "b", "y": "4.25"}\n');
    const spec: FileTaskSpec = { kind: 'jsonl', train, textColumn: 's', labelColumn: 'y', regression: true };
    const { examples, labels } = await loadSplit(spec, 'train');
    assert.deepEqual(labels, { kind: 'regression' });
    assert.deepEqual(
      examples.map((example) => example.label),
      [0.5, 4.25],
    );
    const bad = write('scores-bad.jsonl', '{"s": "a", "y": "high"}\n');
    await assert.rejects(loadSplit({ ...spec, train: bad }, 'train'), /scores-bad\.jsonl:1: the label \(column "y"\) is "high", but this is a regression task/);
  });

  test('a line that is not an object, a missing key or a non-string text is named by line', async () => {
    const notJson = write('bad1.jsonl', '{"text": "a", "label": 1}\n{"text": "b", "label": \n');
    await assert.rejects(loadSplit({ kind: 'jsonl', train: notJson, labels: ['0', '1'] }, 'train'), /bad1\.jsonl:2: not valid JSON/);
    const noKey = write('bad2.jsonl', '{"text": "a"}\n');
    await assert.rejects(loadSplit({ kind: 'jsonl', train: noKey, labels: ['0', '1'] }, 'train'), /bad2\.jsonl:1: the object has no "label"; its keys are "text"/);
    const numberText = write('bad3.jsonl', '{"text": 5, "label": 1}\n');
    await assert.rejects(loadSplit({ kind: 'jsonl', train: numberText, labels: ['0', '1'] }, 'train'), /bad3\.jsonl:1: the text \(column "text"\) is 5; expected a string/);
  });

  test('a single discovered class is refused', async () => {
    const train = write('one-class.jsonl', '{"text": "a", "label": "x"}\n{"text": "b", "label": "x"}\n');
    await assert.rejects(resolveLabelSpace({ kind: 'jsonl', train }), /every train example has the label "x"/);
  });
});

test('sortLabelValues: numeric when all are numbers, else code-point order, duplicates dropped', () => {
  assert.deepEqual(sortLabelValues(['10', '2', '-1', '2', '0.5']), ['-1', '0.5', '2', '10']);
  assert.deepEqual(sortLabelValues(['b', 'B', 'a', '10', '9']), ['10', '9', 'B', 'a', 'b']);
});
