// An RFC 4180 CSV reader that works on chunks: fields separated by commas, records by CRLF or LF,
// a field in double quotes may hold commas, line breaks and doubled quotes (""). It is lenient
// where real files are (a quote inside an unquoted field is kept as text) and strict where
// guessing would corrupt data (text after a closing quote, a quote never closed).

import { DataError } from './dataError';
import { readTextChunks } from './textChunks';

export interface CsvRecord {
  fields: string[];
  /** 1-based line the record starts on. */
  line: number;
}

type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted';

export class CsvRecordParser {
  private state: State = 'fieldStart';
  private fields: string[] = [];
  private field = '';
  private line = 1;
  private column = 0;
  private recordLine = 1;
  private quoteLine = 1;
  private quoteColumn = 1;
  private pendingCarriageReturn = false;

  constructor(
    private readonly file: string,
    private readonly delimiter = ',',
  ) {}

  /** Feeds the next chunk; returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    const records: CsvRecord[] = [];
    for (const char of chunk) {
      if (this.pendingCarriageReturn) {
        this.pendingCarriageReturn = false;
        // CRLF ends one record; a lone CR (old Mac files) ends one as well.
        if (char === '\n') {
          this.newLine();
          continue;
        }
        this.newLine();
      }
      this.column++;
      this.step(char, records);
    }
    return records;
  }

  /** Ends the input; returns the last record when the file does not end with a line break. */
  end(): CsvRecord[] {
    const records: CsvRecord[] = [];
    if (this.state === 'quoted') {
      throw new DataError(this.file, this.quoteLine, 'a quoted field starts here but its closing quote never comes; close it with " (write a quote inside a quoted field as "").', {
        column: this.quoteColumn,
      });
    }
    if (this.state !== 'fieldStart' || this.fields.length > 0 || this.field !== '') this.finishRecord(records);
    return records;
  }

  private step(char: string, records: CsvRecord[]): void {
    switch (this.state) {
      case 'fieldStart':
        if (char === '"') {
          this.state = 'quoted';
          this.quoteLine = this.line;
          this.quoteColumn = this.column;
        } else if (char === this.delimiter) {
          this.finishField();
        } else if (char === '\n' || char === '\r') {
          this.lineBreak(char, records);
        } else {
          this.field += char;
          this.state = 'unquoted';
        }
        return;
      case 'unquoted':
        if (char === this.delimiter) this.finishField();
        else if (char === '\n' || char === '\r') this.lineBreak(char, records);
        else this.field += char;
        return;
      case 'quoted':
        if (char === '"') this.state = 'quoteInQuoted';
        else {
          this.field += char;
          if (char === '\n') this.newLine();
        }
        return;
      case 'quoteInQuoted':
        if (char === '"') {
          this.field += '"';
          this.state = 'quoted';
        } else if (char === this.delimiter) {
          this.finishField();
        } else if (char === '\n' || char === '\r') {
          this.lineBreak(char, records);
        } else {
          throw new DataError(this.file, this.line, `unexpected ${JSON.stringify(char)} after the closing quote of a field; a quoted field must end at a comma or line end (write a quote inside a quoted field as "").`, {
            column: this.column,
          });
        }
        return;
    }
  }

  private lineBreak(char: string, records: CsvRecord[]): void {
    this.finishRecord(records);
    if (char === '\r') this.pendingCarriageReturn = true;
    else this.newLine();
  }

  private newLine(): void {
    this.line++;
    this.column = 0;
    if (this.state === 'fieldStart' && this.fields.length === 0) this.recordLine = this.line;
  }

  private finishField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.state = 'fieldStart';
  }

  private finishRecord(records: CsvRecord[]): void {
    this.finishField();
    // A blank line is not a record with one empty field.
    if (!(this.fields.length === 1 && this.fields[0] === '')) records.push({ fields: this.fields, line: this.recordLine });
    this.fields = [];
    this.recordLine = this.line;
  }
}

export async function* readCsvRecords(file: string, role: string): AsyncGenerator<CsvRecord> {
  const parser = new CsvRecordParser(file);
  for await (const chunk of readTextChunks(file, role)) yield* parser.push(chunk);
  yield* parser.end();
}
