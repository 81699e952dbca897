// RFC 4180 CSV: quotes, doubled quotes, line breaks in quoted fields, CRLF; errors with positions;
// and the same records however the input is cut into chunks.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CsvRecordParser, type CsvRecord } from '../../../../server/src/training/data/csvRecords';
import { DataError } from '../../../../server/src/training/data';

function parse(text: string, chunks: number[] = []): CsvRecord[] {
  const parser = new CsvRecordParser('t.csv');
  const records: CsvRecord[] = [];
  let at = 0;
  for (const cut of [...chunks, text.length]) {
    records.push(...parser.push(text.slice(at, cut)));
    at = cut;
  }
  records.push(...parser.end());
  return records;
}

describe('CSV records', () => {
  test('plain, quoted and doubled-quote fields', () => {
    assert.deepEqual(parse('text,label\nhello,1\n"a, b",0\n"say ""hi""",1\n'), [
      { fields: ['text', 'label'], line: 1 },
      { fields: ['hello', '1'], line: 2 },
      { fields: ['a, b', '0'], line: 3 },
      { fields: ['say "hi"', '1'], line: 4 },
    ]);
  });

  test('a line break inside quotes stays in the field; the next record knows its line', () => {
    assert.deepEqual(parse('t,l\n"two\nlines",1\nnext,0'), [
      { fields: ['t', 'l'], line: 1 },
      { fields: ['two\nlines', '1'], line: 2 },
      { fields: ['next', '0'], line: 4 },
    ]);
  });

  test('CRLF record ends, empty fields, blank lines skipped, a quote inside an unquoted field kept', () => {
    assert.deepEqual(parse('a,b\r\n,x\r\n\r\n5\'10",y\r\n'), [
      { fields: ['a', 'b'], line: 1 },
      { fields: ['', 'x'], line: 2 },
      { fields: ['5\'10"', 'y'], line: 4 },
    ]);
  });

  test('text after a closing quote and an unclosed quote are errors with line and column', () => {
    assert.throws(
      () => parse('t,l\n"ab"c,1\n'),
      (error: unknown) => error instanceof DataError && error.line === 2 && error.column === 5 && /t\.csv:2:5: unexpected "c" after the closing quote/.test(error.message),
    );
    assert.throws(
      () => parse('t,l\nok,1\nx,"never closed\nmore\n'),
      (error: unknown) => error instanceof DataError && error.line === 3 && error.column === 3 && /closing quote never comes/.test(error.message),
    );
  });

  test('chunk boundaries never change the records', () => {
    const text = 'text,label\r\n"a ""quoted"" one\r\nwith a break",1\r\nplain,0\r\n"",2\n"é, ü",3';
    const whole = parse(text);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 12 }), (cuts) => {
        assert.deepEqual(parse(text, cuts.sort((a, b) => a - b)), whole);
      }),
    );
  });
});
