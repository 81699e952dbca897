import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from '../../../server/src/dsl/parser';
import { format } from '../../../server/src/dsl/printer';
import { sameTree } from '../../../server/src/dsl/sameTree';

/** Formats `before`, compares with `after`, and checks the result is stable and means the same. */
function check(before: string, after: string, options?: { indent?: number }): void {
  const once = format(before, options);
  assert.equal(once, after);
  assert.equal(format(once, options), once, 'formatting must be idempotent');
  assert.ok(sameTree(parse(before), parse(once)), 'formatting must not change the tree');
  assert.deepEqual(parse(once).comments.map((c) => c.text), parse(before).comments.map((c) => c.text), 'every comment is kept');
}

test('canonical layout: indentation, one entry per line, key value, value', () => {
  check(
    'experiment   a   extends b{model "m"   matrices query ,key,\n value\n task glue.sst2{data "d"\nmax_length 64}}',
    'experiment a extends b {\n  model "m"\n  matrices query, key, value\n  task glue.sst2 {\n    data "d"\n    max_length 64\n  }\n}\n',
  );
});

test('a block written on one line with only properties stays on one line', () => {
  check(
    'experiment a {\n  train    { epochs 10   batch 32   seed 42 }\n  evaluate{every 60   steps metrics accuracy,f1 keep best}\n}',
    'experiment a {\n  train { epochs 10  batch 32  seed 42 }\n  evaluate { every 60 steps  metrics accuracy, f1  keep best }\n}\n',
  );
});

test('one-line blocks holding a block, and multi-line blocks, are laid out one entry per line', () => {
  check(
    'experiment a { method dsee { prune { s 1 } }\n  t { a 1\n  b 2 } }',
    'experiment a {\n  method dsee {\n    prune { s 1 }\n  }\n  t {\n    a 1\n    b 2\n  }\n}\n',
  );
});

test('one blank line between declarations; user blank lines in bodies collapse to one', () => {
  check(
    '\n\nexperiment a {\n\n\n  a 1\n\n\n\n  b 2\n\n}\nexperiment b {}\n\n\n\nsweep s of a {\n  x 1, 2\n}\n\n\n',
    'experiment a {\n  a 1\n\n  b 2\n}\n\nexperiment b {}\n\nsweep s of a {\n  x 1, 2\n}\n',
  );
});

test('literals are written as the user wrote them', () => {
  check(
    'experiment a { x 1E-3, 0.50, 5%, 2..11, "a\\u{41}\\t", re"\\d+\\"", glue.sst2, -1\n  d 3   epochs, 60steps }',
    'experiment a {\n  x 1E-3, 0.50, 5%, 2..11, "a\\u{41}\\t", re"\\d+\\"", glue.sst2, -1\n  d 3 epochs, 60 steps\n}\n',
  );
});

test('comments stay where they were: own-line, trailing, inline', () => {
  check(
    [
      '// header',
      '',
      '/* block header */ experiment a { // after brace',
      '  lr 1   // trailing',
      '',
      '  // own line',
      '  matrices query, // first',
      '           key',
      '  t { a 1 /* inline */ b 2 }',
      '      // indented oddly',
      '  x /* between */ 2',
      '} // after decl',
      '// footer',
    ].join('\n'),
    [
      '// header',
      '',
      '/* block header */',
      'experiment a { // after brace',
      '  lr 1 // trailing',
      '',
      '  // own line',
      '  matrices query, // first',
      '    key',
      '  t { a 1 /* inline */  b 2 }',
      '  // indented oddly',
      '  x /* between */ 2',
      '} // after decl',
      '',
      '// footer',
      '',
    ].join('\n'),
  );
});

test('a comment between declarations stays with the next one', () => {
  check('experiment a {}\n// about b\nexperiment b {}\n', 'experiment a {}\n\n// about b\nexperiment b {}\n');
  check('experiment a {}\n\n// about b\n\nexperiment b {}\n', 'experiment a {}\n\n// about b\n\nexperiment b {}\n');
});

test('multi-line block comments keep their inner lines verbatim', () => {
  check('experiment a {\n      /* one\n         two */\n  x 1\n}', 'experiment a {\n  /* one\n         two */\n  x 1\n}\n');
});

test('empty bodies become {}; a body holding only comments keeps them', () => {
  check('experiment a {\n}\nexperiment b { t { } u {\n  // note\n} }', 'experiment a {}\n\nexperiment b {\n  t {}\n  u {\n    // note\n  }\n}\n');
});

test('CRLF files stay CRLF', () => {
  check('experiment a {\r\n  x 1\r\n\r\n\r\n  y 2 // c\r\n}\r\n', 'experiment a {\r\n  x 1\r\n\r\n  y 2 // c\r\n}\r\n');
});

test('the indent option sets spaces per level', () => {
  check('experiment a { t { x 1\n} }', 'experiment a {\n    t {\n        x 1\n    }\n}\n', { indent: 4 });
});

test('documents with syntax errors come back unchanged', () => {
  for (const broken of ['experiment a {\n   lr 1', 'experiment a { x "open\n}', 'foo   bar', 'experiment a { x 1 } }', 'experiment a {  x 1,  }']) {
    assert.ok(parse(broken).errors.length > 0);
    assert.equal(format(broken), broken);
  }
});

test('empty and whitespace-only documents format to nothing; comments alone are kept', () => {
  assert.equal(format(''), '');
  assert.equal(format(' \n\n\t\n'), '');
  check('\n\n  // only a note\n\n\n/* and this */  \n', '// only a note\n\n/* and this */\n');
});

test('the fixtures are already formatted except for alignment, and stay stable', () => {
  const dir = path.join(__dirname, 'fixtures');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.masklab'))) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    const once = format(text);
    assert.notEqual(once, text, `${name} has aligned columns the formatter removes`);
    assert.equal(format(once), once, name);
    assert.ok(sameTree(parse(text), parse(once)), name);
  }
});
