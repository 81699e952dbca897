// The GLUE loaders on the real files in ../shared/data/glue (each task skips when absent).
// Row counts are the README's table; first and last rows were read off the files by hand.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadSplit, resolveLabelSpace, type Example, type GlueTaskName, type Split } from '../../../../server/src/training/data';
import { sharedGlueDir, skipWithoutGlue } from './sharedGlue';

function spec(name: GlueTaskName, folder: string) {
  return { kind: 'glue' as const, name, dataDir: path.join(sharedGlueDir, folder) };
}

async function load(name: GlueTaskName, folder: string, split: Split) {
  return loadSplit(spec(name, folder), split);
}

function labelCounts(examples: readonly Example[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const example of examples) counts.set(example.label, (counts.get(example.label) ?? 0) + 1);
  return counts;
}

const last = <T>(items: readonly T[]): T => items[items.length - 1];

describe('SST-2', { skip: skipWithoutGlue('SST-2') }, () => {
  test('train: 67,349 rows, trailing space before the tab trimmed', async () => {
    const { examples, labels, file } = await load('sst2', 'SST-2', 'train');
    assert.equal(path.basename(file), 'train.tsv');
    assert.deepEqual(labels, { kind: 'classification', names: ['0', '1'] });
    assert.equal(examples.length, 67349);
    assert.deepEqual(examples[0], { text: 'hide new secretions from the parental units', label: 0, line: 2 });
    assert.deepEqual(last(examples), { text: 'this new jangle of noise , mayhem and stupidity must be a serious contender for the title .', label: 0, line: 67350 });
    assert.deepEqual([...labelCounts(examples).keys()].sort(), [0, 1]);
    assert.ok(examples.every((example) => example.pair === undefined && example.text === example.text.trim()));
  });

  test('dev: 872 rows', async () => {
    const { examples } = await load('sst2', 'SST-2', 'dev');
    assert.equal(examples.length, 872);
    assert.deepEqual(examples[0], { text: "it 's a charming and often affecting journey .", label: 1, line: 2 });
    assert.equal(last(examples).text, "looking aristocratic , luminous yet careworn in jane hamilton 's exemplary costumes , rampling gives a performance that could not be improved upon . '");
  });

  test('labelled test copy: 1,821 CRLF rows, no carriage return left in labels or text', async () => {
    const { examples, file } = await load('sst2', 'SST-2', 'test');
    assert.equal(path.basename(file), 'test-labeled.tsv');
    assert.equal(examples.length, 1821);
    assert.deepEqual(examples[0], { text: 'uneasy mishmash of styles and genres .', label: 0, line: 2 });
    assert.equal(last(examples).label, 1);
    assert.ok(examples.every((example) => !example.text.includes('\r')));
  });
});

describe('MRPC', { skip: skipWithoutGlue('MRPC') }, () => {
  test('train: 3,668 pairs; the header with a byte-order mark is recognised', async () => {
    const { examples } = await load('mrpc', 'MRPC', 'train');
    assert.equal(examples.length, 3668);
    assert.deepEqual(examples[0], {
      text: 'Amrozi accused his brother, whom he called "the witness", of deliberately distorting his evidence.',
      pair: 'Referring to him as only "the witness", Amrozi accused his brother of deliberately distorting his evidence.',
      label: 1,
      line: 2,
    });
    assert.equal(last(examples).text, 'The 30-year bond US30YT=RR rose 22/32 for a yield of 4.31 percent, versus 4.35 percent at Wednesday\'s close.');
    assert.equal(last(examples).label, 0);
  });

  test('dev: 408 pairs, stray quotes kept as text (TSV is not quote-aware)', async () => {
    const { examples } = await load('mrpc', 'MRPC', 'dev');
    assert.equal(examples.length, 408);
    assert.equal(examples[0].pair, '"The foodservice pie business does not fit our long-term growth strategy.');
    assert.equal(last(examples).pair, 'In Soviet times the Beatles\' music "was considered propaganda of an alien ideology.');
  });

  test('labelled test (msr_paraphrase_test.txt): 1,725 pairs', async () => {
    const { examples } = await load('mrpc', 'MRPC', 'test');
    assert.equal(examples.length, 1725);
    assert.equal(examples[0].text, "PCCW's chief operating officer, Mike Butcher, and Alex Arena, the chief financial officer, will report directly to Mr So.");
  });
});

describe('CoLA', { skip: skipWithoutGlue('CoLA') }, () => {
  test('train: 8,551 rows without a header (the first line is an example)', async () => {
    const { examples } = await load('cola', 'CoLA', 'train');
    assert.equal(examples.length, 8551);
    assert.deepEqual(examples[0], { text: "Our friends won't buy this analysis, let alone the next one we propose.", label: 1, line: 1 });
    assert.deepEqual(last(examples), { text: 'What all did you get for Christmas?', label: 1, line: 8551 });
    assert.deepEqual([...labelCounts(examples).keys()].sort(), [0, 1]);
  });

  test('dev: 1,043 rows, the last without a final line break', async () => {
    const { examples } = await load('cola', 'CoLA', 'dev');
    assert.equal(examples.length, 1043);
    assert.equal(examples[0].text, 'The sailors rode the breeze clear of the rocks.');
    assert.equal(last(examples).text, 'John talked to Bill about himself.');
  });
});

describe('RTE', { skip: skipWithoutGlue('RTE') }, () => {
  test('train 2,490 / dev 277; entailment = 0, not_entailment = 1', async () => {
    const train = await load('rte', 'RTE', 'train');
    assert.deepEqual(train.labels, { kind: 'classification', names: ['entailment', 'not_entailment'] });
    assert.equal(train.examples.length, 2490);
    assert.deepEqual(train.examples[0], { text: 'No Weapons of Mass Destruction Found in Iraq Yet.', pair: 'Weapons of Mass Destruction Found in Iraq.', label: 1, line: 2 });
    assert.equal(last(train.examples).pair, 'U.S. to use Turkish military bases.');
    assert.deepEqual([...labelCounts(train.examples).keys()].sort(), [0, 1]);
    const dev = await load('rte', 'RTE', 'dev');
    assert.equal(dev.examples.length, 277);
    assert.equal(dev.examples[0].pair, 'Christopher Reeve had an accident.');
  });
});

describe('STS-B', { skip: skipWithoutGlue('STS-B') }, () => {
  test('train 5,749 / dev 1,500; the score column is a float label', async () => {
    assert.deepEqual(await resolveLabelSpace(spec('stsb', 'STS-B')), { kind: 'regression' });
    const train = await load('stsb', 'STS-B', 'train');
    assert.equal(train.examples.length, 5749);
    assert.deepEqual(train.examples[0], { text: 'A plane is taking off.', pair: 'An air plane is taking off.', label: 5, line: 2 });
    assert.deepEqual(last(train.examples), {
      text: 'Putin spokesman: Doping charges appear unfounded',
      pair: 'The Latest on Severe Weather: 1 Dead in Texas After Tornado',
      label: 0,
      line: 5750,
    });
    assert.ok(train.examples.every((example) => example.label >= 0 && example.label <= 5));
    assert.ok(train.examples.some((example) => !Number.isInteger(example.label)));
    const dev = await load('stsb', 'STS-B', 'dev');
    assert.equal(dev.examples.length, 1500);
    assert.equal(dev.examples[0].pair, 'A man wearing a hard hat is dancing.');
  });
});

describe('QNLI', { skip: skipWithoutGlue('QNLI') }, () => {
  test('train falls back to train_subset9k.json: 8,999 members', async () => {
    const { examples, file } = await load('qnli', 'QNLI', 'train');
    assert.equal(path.basename(file), 'train_subset9k.json');
    assert.equal(examples.length, 8999);
    assert.equal(examples[0].text, 'What sector has expanded radiply by selling outsourcing services to North America and Europe?');
    assert.equal(examples[0].pair, 'The IT sector has been stimulated by new Egyptian entrepreneurs with government encouragement.[citation needed]');
    assert.equal(examples[0].label, 1);
    assert.equal(examples[0].line, 2);
    assert.equal(last(examples).text, 'What was the headline for a page 2 Sun story on 17 November 1989?');
    assert.equal(last(examples).pair, 'On 17 November 1989, The Sun headlined a page 2 news story titled "STRAIGHT SEX CANNOT GIVE YOU AIDS \u2013 OFFICIAL."');
    assert.equal(last(examples).label, 0);
    // Counted independently (Python json + Counter): 4,523 entailment, 4,476 not_entailment.
    assert.deepEqual(labelCounts(examples), new Map([[1, 4476], [0, 4523]]));
  });

  test('dev: 5,463 rows from dev.tsv', async () => {
    const { examples } = await load('qnli', 'QNLI', 'dev');
    assert.equal(examples.length, 5463);
    assert.deepEqual(examples[0], {
      text: 'What came into force after the new constitution was herald?',
      pair: 'As of that day, the new constitution heralding the Second Republic came into force.',
      label: 0,
      line: 2,
    });
    assert.equal(last(examples).text, 'Who discovered this and where did they come from?');
  });

  test('maxExamples stops after the first N', async () => {
    const { examples, truncated } = await loadSplit(spec('qnli', 'QNLI'), 'dev', { maxExamples: 10 });
    assert.equal(examples.length, 10);
    assert.equal(truncated, true);
    assert.equal(examples[9].line, 11);
  });
});
