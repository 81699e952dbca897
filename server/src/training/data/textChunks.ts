// Reads a text file as a stream of decoded chunks, so no task file is ever loaded whole. UTF-8
// sequences cut at a chunk boundary are decoded correctly (the stream's StringDecoder keeps the
// partial bytes), and a leading byte-order mark (MRPC's header has one) is dropped.

import * as fs from 'node:fs';
import { fileError } from './dataError';

const CHUNK_BYTES = 1 << 16;

export async function* readTextChunks(file: string, role: string): AsyncGenerator<string> {
  let stream: fs.ReadStream;
  try {
    // Opening eagerly makes a missing file fail here, with its name, rather than mid-iteration.
    const handle = await fs.promises.open(file, 'r');
    stream = handle.createReadStream({ encoding: 'utf8', highWaterMark: CHUNK_BYTES });
  } catch (error) {
    throw fileError(file, error, role);
  }
  let first = true;
  try {
    for await (const chunk of stream) {
      let text = chunk as string;
      if (first) {
        first = false;
        if (text.startsWith('\uFEFF')) text = text.slice(1);
      }
      if (text !== '') yield text;
    }
  } catch (error) {
    throw fileError(file, error, role);
  } finally {
    stream.destroy();
  }
}

export interface TextLine {
  text: string;
  /** 1-based. */
  line: number;
}

/**
 * Lines split on "\n" only, with one trailing "\r" removed (CRLF files). A lone "\r" is kept,
 * because it is data inside a GLUE sentence, not a line end.
 */
export async function* readLines(file: string, role: string): AsyncGenerator<TextLine> {
  let rest = '';
  let line = 0;
  for await (const chunk of readTextChunks(file, role)) {
    const text = rest + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      line++;
      yield { text: withoutCarriageReturn(text.slice(start, end)), line };
      start = end + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') yield { text: withoutCarriageReturn(rest), line: line + 1 };
}

function withoutCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
