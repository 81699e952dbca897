// The per-task artifact file (`artifact.masklab-task`): what must be stored, besides the shared
// pretrained checkpoint, to rebuild one task's model — masks, DSEE deltas and supports, head seed
// or values. Format (documented in README.md beside this file):
//
//   offset 0   8 bytes  magic 89 4D 4C 54 0D 0A 1A 0A ("\x89MLT\r\n\x1a\n", PNG-style: catches
//                       text-mode transfers and truncation at once)
//          8   u16 LE   format version (1)
//         10   u16 LE   flags (0)
//         12   u32 LE   header length H
//         16   u32 LE   CRC-32 of the header bytes
//         20   H bytes  header, UTF-8 JSON: {format, version, info, parts, sections}
//     20 + H   sections, back to back, each at `offset` (relative to 20 + H) with `length` bytes
//
// `parts` is the artifact's own structure as JSON, with every numeric array replaced by
// {"$section": i}; the encoder is structural, so whatever the trainer puts in its
// TaskArtifactParts comes back with the same shape, array classes and values, bit for bit.

import { crc32 } from './crc32';
import { arrayTypeOf, decodeSection, encodeSection, type ArrayType, type NumericArray, type SectionEncoding } from './sectionCoding';

export const ARTIFACT_MAGIC = Uint8Array.of(0x89, 0x4d, 0x4c, 0x54, 0x0d, 0x0a, 0x1a, 0x0a);
export const ARTIFACT_FORMAT_VERSION = 1;
const FIXED_PREFIX = 20;
/** A plain number array at least this long is stored as a section rather than inline JSON. */
const INLINE_NUMBERS_LIMIT = 16;

export interface ArtifactSection {
  /** Where the array sits in `parts`, keys joined by `/`, e.g. `masks/bert.encoder.layer.0.attention.self.query.weight/mask`. */
  name: string;
  type: ArrayType;
  encoding: SectionEncoding;
  /** Number of values. */
  count: number;
  offset: number;
  length: number;
  crc32: number;
}

export interface ArtifactHeader {
  format: 'masklab-task';
  version: number;
  /** What the artifact belongs to: run id, experiment, method, model reference and size … */
  info: Record<string, unknown>;
  parts: unknown;
  sections: ArtifactSection[];
}

export interface EncodeOptions {
  /** Entropy-code masks (default); off, masks are bit-packed at 1 bit per parameter. */
  entropyCoding?: boolean;
}

/** The file is not a readable artifact; the message says which file and what is wrong. */
export class ArtifactFormatError extends Error {
  override name = 'ArtifactFormatError';
}

export function encodeTaskArtifact(parts: unknown, info: Record<string, unknown>, options: EncodeOptions = {}): Uint8Array {
  const entropyCoding = options.entropyCoding !== false;
  const sections: ArtifactSection[] = [];
  const payloads: Uint8Array[] = [];
  let offset = 0;
  const addSection = (values: NumericArray, type: ArrayType, path: string[]): number => {
    const encoded = encodeSection(values, type, entropyCoding);
    sections.push({ name: path.join('/'), type, encoding: encoded.encoding, count: values.length, offset, length: encoded.bytes.length, crc32: crc32(encoded.bytes) });
    payloads.push(encoded.bytes);
    offset += encoded.bytes.length;
    return sections.length - 1;
  };
  const tree = toTree(parts, [], addSection);
  const header: ArtifactHeader = { format: 'masklab-task', version: ARTIFACT_FORMAT_VERSION, info, parts: tree, sections };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(FIXED_PREFIX + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  out.set(ARTIFACT_MAGIC, 0);
  view.setUint16(8, ARTIFACT_FORMAT_VERSION, true);
  view.setUint16(10, 0, true);
  view.setUint32(12, headerBytes.length, true);
  view.setUint32(16, crc32(headerBytes), true);
  out.set(headerBytes, FIXED_PREFIX);
  let at = FIXED_PREFIX + headerBytes.length;
  for (const payload of payloads) {
    out.set(payload, at);
    at += payload.length;
  }
  return out;
}

/** Reads and checks the header without decoding any section (for listings and `export`). */
export function readArtifactHeader(bytes: Uint8Array, source = 'the artifact'): ArtifactHeader & { dataStart: number } {
  const fail = (what: string): never => {
    throw new ArtifactFormatError(`${source}: ${what}`);
  };
  if (bytes.length < FIXED_PREFIX || !ARTIFACT_MAGIC.every((b, i) => bytes[i] === b)) {
    fail('not a Masklab task artifact (the file does not start with the .masklab-task signature); export one with `masklab export RUN`');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(8, true);
  if (version !== ARTIFACT_FORMAT_VERSION) {
    fail(`format version ${version}, but this Masklab reads version ${ARTIFACT_FORMAT_VERSION}; use the Masklab version that wrote it`);
  }
  const headerLength = view.getUint32(12, true);
  const dataStart = FIXED_PREFIX + headerLength;
  if (dataStart > bytes.length) fail(`the header claims ${headerLength} bytes but the file has only ${bytes.length - FIXED_PREFIX} after the prefix: it is truncated`);
  const headerBytes = bytes.subarray(FIXED_PREFIX, dataStart);
  if (crc32(headerBytes) !== view.getUint32(16, true)) fail('the header is damaged (CRC-32 mismatch); export the artifact again');
  let header: ArtifactHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes)) as ArtifactHeader;
  } catch (error) {
    return fail(`the header is not valid JSON (${(error as Error).message})`);
  }
  if (header.format !== 'masklab-task' || !Array.isArray(header.sections)) fail('the header does not describe a masklab-task artifact');
  let expected = 0;
  for (const section of header.sections) {
    if (section.offset !== expected || !Number.isSafeInteger(section.length) || section.length < 0) {
      fail(`section '${section.name}' is not where the previous one ends`);
    }
    expected += section.length;
  }
  if (dataStart + expected !== bytes.length) {
    fail(`the sections need ${expected} bytes after the header but the file has ${bytes.length - dataStart}: it is ${dataStart + expected > bytes.length ? 'truncated' : 'followed by stray bytes'}`);
  }
  return { ...header, dataStart };
}

/** Decodes a whole artifact back into its parts (every section checked against its CRC-32). */
export function decodeTaskArtifact(bytes: Uint8Array, source = 'the artifact'): { info: Record<string, unknown>; parts: unknown; sections: ArtifactSection[] } {
  const header = readArtifactHeader(bytes, source);
  const arrays = header.sections.map((section) => {
    const payload = bytes.subarray(header.dataStart + section.offset, header.dataStart + section.offset + section.length);
    if (crc32(payload) !== section.crc32) throw new ArtifactFormatError(`${source}: section '${section.name}' is damaged (CRC-32 mismatch); export the artifact again`);
    try {
      return decodeSection(payload, section.encoding, section.type, section.count);
    } catch (error) {
      throw new ArtifactFormatError(`${source}: section '${section.name}' cannot be decoded (${(error as Error).message})`);
    }
  });
  return { info: header.info, parts: fromTree(header.parts, arrays, source), sections: header.sections };
}

type AddSection = (values: NumericArray, type: ArrayType, path: string[]) => number;

function toTree(value: unknown, path: string[], addSection: AddSection): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value) && !Object.is(value, -0)) return value;
    return { $number: Object.is(value, -0) ? '-0' : String(value) };
  }
  const type = arrayTypeOf(value);
  if (type) return { $section: addSection(value as NumericArray, type, path) };
  if (Array.isArray(value)) {
    if (value.length >= INLINE_NUMBERS_LIMIT && value.every((v) => typeof v === 'number')) {
      return { $section: addSection(value as number[], 'number[]', path) };
    }
    // Items named `name` (a mask, a tensor) get their name in section names, not a bare index.
    const names = value.map((item) => (typeof item === 'object' && item !== null && typeof (item as { name?: unknown }).name === 'string' ? (item as { name: string }).name : undefined));
    const named = names.every((n) => n !== undefined) && new Set(names).size === names.length;
    return value.map((item, i) => (item === undefined ? null : toTree(item, [...path, named ? (names[i] as string) : String(i)], addSection)));
  }
  if (typeof value === 'object' && value !== undefined) {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto === Object.prototype || proto === null) {
      const out: Record<string, unknown> = {};
      let escaped = false;
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (item === undefined) continue;
        if (key.startsWith('$')) escaped = true;
        out[key] = toTree(item, [...path, key], addSection);
      }
      return escaped ? { $object: out } : out;
    }
  }
  const where = path.length > 0 ? `'${path.join('/')}'` : 'the top level';
  throw new TypeError(`cannot store ${describe(value)} at ${where} of a task artifact: only JSON values and numeric arrays can be stored`);
}

function fromTree(node: unknown, arrays: NumericArray[], source: string): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((item) => fromTree(item, arrays, source));
  const record = node as Record<string, unknown>;
  if (typeof record.$section === 'number') {
    const array = arrays[record.$section];
    if (array === undefined) throw new ArtifactFormatError(`${source}: the header refers to section ${record.$section}, which does not exist`);
    return array;
  }
  if (typeof record.$number === 'string') return record.$number === '-0' ? -0 : Number(record.$number);
  const inner = record.$object !== undefined ? (record.$object as Record<string, unknown>) : record;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(inner)) out[key] = fromTree(item, arrays, source);
  return out;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return 'a bigint';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && value !== null) return `a ${value.constructor?.name ?? 'object'}`;
  return typeof value;
}
