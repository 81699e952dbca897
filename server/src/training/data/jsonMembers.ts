// Streams the members of a file holding one big JSON object ({"0": {...}, "1": {...}}, the form
// of QNLI's train_subset9k.json) or one big array, without parsing the whole file at once: a
// small scanner finds where each top-level value starts and ends (tracking strings, escapes and
// nesting), and only that value's text goes through JSON.parse.

import { DataError } from './dataError';
import { readTextChunks } from './textChunks';

export interface JsonMember {
  /** The member's key, or its index (as a string) in a top-level array. */
  key: string;
  value: unknown;
  /** 1-based line the member starts on. */
  line: number;
}

type State = 'start' | 'key' | 'keyString' | 'colon' | 'valueStart' | 'value' | 'afterValue' | 'done';

export class JsonMemberScanner {
  private state: State = 'start';
  private container: 'object' | 'array' = 'object';
  private line = 1;
  private memberLine = 1;
  private keyText = '';
  private valueParts: string[] = [];
  private depth = 0;
  private inString = false;
  private escaped = false;
  private index = 0;

  constructor(private readonly file: string) {}

  push(chunk: string): JsonMember[] {
    const members: JsonMember[] = [];
    let valueFrom = this.state === 'value' ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const char = chunk[i];
      if (this.state === 'value') {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (char === '\\') this.escaped = true;
          else if (char === '"') this.inString = false;
        } else if (char === '"') {
          this.inString = true;
        } else if (char === '{' || char === '[') {
          this.depth++;
        } else if ((char === '}' || char === ']') && this.depth > 0) {
          this.depth--;
        } else if (this.depth === 0 && (char === ',' || char === '}' || char === ']')) {
          this.valueParts.push(chunk.slice(valueFrom, i));
          valueFrom = -1;
          members.push(this.finishValue());
          this.state = 'afterValue';
          i--; // let afterValue see the comma or the closing bracket
          continue;
        }
        if (char === '\n') this.line++;
        continue;
      }
      if (char === '\n') this.line++;
      const blank = char === ' ' || char === '\t' || char === '\n' || char === '\r';
      switch (this.state) {
        case 'start':
          if (blank) break;
          if (char === '{') this.state = 'key';
          else if (char === '[') {
            this.container = 'array';
            this.state = 'valueStart';
          } else this.fail(`expected the file to hold one JSON object ({"0": {...}, ...}) or array, found ${JSON.stringify(char)}`);
          break;
        case 'key':
          if (blank) break;
          if (char === '"') {
            this.memberLine = this.line;
            this.keyText = '"';
            this.state = 'keyString';
          } else if (char === '}' && this.index === 0) this.state = 'done';
          else this.fail(`expected a quoted member name, found ${JSON.stringify(char)}`);
          break;
        case 'keyString':
          this.keyText += char;
          if (this.escaped) this.escaped = false;
          else if (char === '\\') this.escaped = true;
          else if (char === '"') this.state = 'colon';
          break;
        case 'colon':
          if (blank) break;
          if (char === ':') this.state = 'valueStart';
          else this.fail(`expected ":" after member name ${this.keyText}, found ${JSON.stringify(char)}`);
          break;
        case 'valueStart':
          if (blank) break;
          if (char === ']' && this.container === 'array' && this.index === 0) {
            this.state = 'done';
            break;
          }
          if (this.container === 'array') this.memberLine = this.line;
          this.state = 'value';
          this.depth = 0;
          this.inString = false;
          this.escaped = false;
          this.valueParts = [];
          valueFrom = i;
          i--; // re-read the value's first character in the value state
          break;
        case 'afterValue':
          if (blank) break;
          if (char === ',') this.state = this.container === 'object' ? 'key' : 'valueStart';
          else if ((char === '}' && this.container === 'object') || (char === ']' && this.container === 'array')) this.state = 'done';
          else this.fail(`expected "," or the end of the ${this.container}, found ${JSON.stringify(char)}`);
          break;
        case 'done':
          if (!blank) this.fail(`unexpected ${JSON.stringify(char)} after the end of the top-level ${this.container}`);
          break;
      }
    }
    if (valueFrom >= 0) this.valueParts.push(chunk.slice(valueFrom));
    return members;
  }

  end(): void {
    if (this.state !== 'done') this.fail(`the file ends before its top-level ${this.state === 'start' ? 'object' : this.container} is closed`);
  }

  private finishValue(): JsonMember {
    const valueText = this.valueParts.join('');
    this.valueParts = [];
    let key: string;
    let value: unknown;
    try {
      key = this.container === 'object' ? (JSON.parse(this.keyText) as string) : String(this.index);
      value = JSON.parse(valueText);
    } catch (error) {
      throw new DataError(this.file, this.memberLine, `member ${this.container === 'object' ? this.keyText : `#${this.index}`} is not valid JSON (${(error as Error).message}).`, {
        cause: error,
      });
    }
    this.index++;
    return { key, value, line: this.memberLine };
  }

  private fail(problem: string): never {
    throw new DataError(this.file, this.line, `${problem}.`);
  }
}

export async function* readJsonMembers(file: string, role: string): AsyncGenerator<JsonMember> {
  const scanner = new JsonMemberScanner(file);
  for await (const chunk of readTextChunks(file, role)) yield* scanner.push(chunk);
  scanner.end();
}
