// The safetensors format: an 8-byte little-endian header length N, N bytes of JSON describing
// every tensor ({dtype, shape, data_offsets} relative to the end of the header), then raw
// little-endian tensor bytes. The language server reads only the header (8 + N bytes, never the
// data); the trainer reads one tensor at a time by offset, so a 400 MB checkpoint is never
// loaded into memory whole.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { CheckpointError, describeFileSystemError, formatShape } from './checkpointError';
import { decodeHalfs, encodeHalfs, littleEndianHost } from './halfFloat';

export type SafetensorsDtype =
  | 'F64'
  | 'F32'
  | 'F16'
  | 'BF16'
  | 'I64'
  | 'I32'
  | 'I16'
  | 'I8'
  | 'U64'
  | 'U32'
  | 'U16'
  | 'U8'
  | 'BOOL'
  | 'F8_E4M3'
  | 'F8_E5M2';

/** Bytes per element of each dtype the format defines. */
export const DTYPE_BYTES: Readonly<Record<SafetensorsDtype, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
};

export const FLOATING_DTYPES: ReadonlySet<SafetensorsDtype> = new Set(['F64', 'F32', 'F16', 'BF16', 'F8_E4M3', 'F8_E5M2']);

export interface TensorInfo {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** Absolute byte offset of the first data byte in `file`. */
  begin: number;
  /** Absolute byte offset one past the last data byte in `file`. */
  end: number;
  /** Absolute path of the .safetensors file holding the data. */
  file: string;
}

export interface SafetensorsHeader {
  file: string;
  /** N, the length of the JSON header in bytes. */
  headerLength: number;
  /** 8 + N: where tensor data starts. */
  dataStart: number;
  /** Size of the file when the header was read. */
  fileSize: number;
  /** In the order the header lists them. */
  tensors: Map<string, TensorInfo>;
  metadata?: Record<string, string>;
}

/** The format's own limit; anything larger is a corrupt length, not a real header. */
const MAX_HEADER_LENGTH = 100_000_000;

/**
 * Reads and validates the header of a .safetensors file, reading at most 8 + N bytes.
 * Throws CheckpointError naming the file, the tensor and what is wrong.
 */
export function readSafetensorsHeader(file: string): SafetensorsHeader {
  const absolute = path.resolve(file);
  return withOpenFile(absolute, (fd, fileSize) => {
    if (fileSize < 8) {
      throw new CheckpointError(
        absolute,
        `${absolute} is ${fileSize} bytes long, too short to be a safetensors file (it starts with an 8-byte header length); the file is truncated or not safetensors.`,
      );
    }
    const lengthBytes = readExactly(fd, 8, 0, absolute);
    const declared = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 8).getBigUint64(0, true);
    if (declared > BigInt(fileSize - 8)) {
      throw new CheckpointError(
        absolute,
        `${absolute}: the header length (${declared} bytes) runs past the end of the file (${fileSize} bytes); the file is truncated or not safetensors.`,
      );
    }
    const headerLength = Number(declared);
    if (headerLength < 2 || headerLength > MAX_HEADER_LENGTH) {
      throw new CheckpointError(
        absolute,
        `${absolute}: the header length ${headerLength} is not plausible (expected 2…${MAX_HEADER_LENGTH} bytes); the file is corrupt or not safetensors.`,
      );
    }
    const headerBytes = readExactly(fd, headerLength, 8, absolute);
    return parseHeader(absolute, headerBytes, fileSize);
  });
}

function parseHeader(file: string, headerBytes: Uint8Array, fileSize: number): SafetensorsHeader {
  const headerLength = headerBytes.length;
  const dataStart = 8 + headerLength;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CheckpointError(file, `${file}: the safetensors header (${headerLength} bytes) is not valid UTF-8 JSON (${detail}); the file is corrupt.`, {
      cause: error,
    });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CheckpointError(file, `${file}: the safetensors header must be a JSON object of tensors; the file is corrupt.`);
  }

  const tensors = new Map<string, TensorInfo>();
  let metadata: Record<string, string> | undefined;
  for (const [name, entry] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(file, entry);
      continue;
    }
    tensors.set(name, parseTensorEntry(file, name, entry, dataStart, fileSize));
  }
  checkNoOverlap(file, tensors);
  return { file, headerLength, dataStart, fileSize, tensors, ...(metadata ? { metadata } : {}) };
}

function parseMetadata(file: string, entry: unknown): Record<string, string> {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new CheckpointError(file, `${file}: "__metadata__" must be an object of strings.`);
  }
  for (const [key, value] of Object.entries(entry)) {
    if (typeof value !== 'string') {
      throw new CheckpointError(file, `${file}: "__metadata__" entry "${key}" must be a string, found ${typeof value}.`);
    }
  }
  return { ...(entry as Record<string, string>) };
}

function parseTensorEntry(file: string, name: string, entry: unknown, dataStart: number, fileSize: number): TensorInfo {
  const fail = (what: string): never => {
    throw new CheckpointError(file, `${file}: tensor "${name}" ${what}`, { tensor: name });
  };
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return fail('must be described by an object {dtype, shape, data_offsets}; the header is corrupt.');
  }
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  if (typeof dtype !== 'string' || !Object.prototype.hasOwnProperty.call(DTYPE_BYTES, dtype)) {
    return fail(`has unknown dtype ${JSON.stringify(dtype)}; safetensors dtypes are ${Object.keys(DTYPE_BYTES).join(', ')}.`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    return fail(`has shape ${JSON.stringify(shape)}; expected a list of non-negative integers such as [768, 768].`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    return fail(`has data_offsets ${JSON.stringify(offsets)}; expected [begin, end] byte offsets.`);
  }
  const [relativeBegin, relativeEnd] = offsets as [number, number];
  if (relativeEnd < relativeBegin) {
    return fail(`has data_offsets [${relativeBegin}, ${relativeEnd}] out of order (end before begin); the header is corrupt.`);
  }
  const begin = dataStart + relativeBegin;
  const end = dataStart + relativeEnd;
  if (end > fileSize) {
    return fail(
      `has data_offsets [${relativeBegin}, ${relativeEnd}] that end at byte ${end}, past the end of the file (${fileSize} bytes); the file is truncated (re-download or re-save it).`,
    );
  }
  const elements = (shape as number[]).reduce((a, b) => a * b, 1);
  const expectedBytes = elements * DTYPE_BYTES[dtype as SafetensorsDtype];
  if (relativeEnd - relativeBegin !== expectedBytes) {
    return fail(
      `has data_offsets [${relativeBegin}, ${relativeEnd}] holding ${relativeEnd - relativeBegin} bytes, but shape ${formatShape(shape as number[])} of ${dtype} needs ${expectedBytes} bytes; the header is corrupt.`,
    );
  }
  return { name, dtype: dtype as SafetensorsDtype, shape: [...(shape as number[])], begin, end, file };
}

function checkNoOverlap(file: string, tensors: Map<string, TensorInfo>): void {
  const byBegin = [...tensors.values()].filter((t) => t.end > t.begin).sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < byBegin.length; i++) {
    const previous = byBegin[i - 1];
    const current = byBegin[i];
    if (current.begin < previous.end) {
      throw new CheckpointError(
        file,
        `${file}: tensor "${current.name}" (bytes ${current.begin}–${current.end}) overlaps tensor "${previous.name}" (bytes ${previous.begin}–${previous.end}); the header is corrupt.`,
        { tensor: current.name },
      );
    }
  }
}

/** Reads exactly this tensor's bytes with one positional read (the rest of the file is not touched). */
export function readTensorBytes(info: TensorInfo): Uint8Array {
  const length = info.end - info.begin;
  return withOpenFile(info.file, (fd, fileSize) => {
    if (info.end > fileSize) {
      throw new CheckpointError(
        info.file,
        `${info.file}: tensor "${info.name}" ends at byte ${info.end} but the file is now ${fileSize} bytes; it changed since its header was read.`,
        { tensor: info.name },
      );
    }
    return readExactly(fd, length, info.begin, info.file);
  });
}

/** Reads one tensor and converts it to float32 (from F32, F16, BF16, F64 or an integer dtype). */
export function readTensorFloat32(info: TensorInfo): Float32Array {
  const bytes = readTensorBytes(info);
  const count = bytes.length / DTYPE_BYTES[info.dtype];
  switch (info.dtype) {
    case 'F32':
      return littleEndianHost() ? new Float32Array(bytes.buffer, bytes.byteOffset, count) : convertWithView(bytes, count, (v, i) => v.getFloat32(i * 4, true));
    case 'F16':
    case 'BF16':
      return decodeHalfs(bytes, info.dtype);
    case 'F64':
      return convertWithView(bytes, count, (v, i) => v.getFloat64(i * 8, true));
    case 'I64':
      return convertWithView(bytes, count, (v, i) => Number(v.getBigInt64(i * 8, true)));
    case 'U64':
      return convertWithView(bytes, count, (v, i) => Number(v.getBigUint64(i * 8, true)));
    case 'I32':
      return convertWithView(bytes, count, (v, i) => v.getInt32(i * 4, true));
    case 'U32':
      return convertWithView(bytes, count, (v, i) => v.getUint32(i * 4, true));
    case 'I16':
      return convertWithView(bytes, count, (v, i) => v.getInt16(i * 2, true));
    case 'U16':
      return convertWithView(bytes, count, (v, i) => v.getUint16(i * 2, true));
    case 'I8':
      return convertWithView(bytes, count, (v, i) => v.getInt8(i));
    case 'U8':
    case 'BOOL':
      return Float32Array.from(bytes);
    default:
      throw new CheckpointError(
        info.file,
        `${info.file}: tensor "${info.name}" has dtype ${info.dtype}, which Masklab cannot convert to float32; re-save the checkpoint in float32, float16 or bfloat16.`,
        { tensor: info.name },
      );
  }
}

function convertWithView(bytes: Uint8Array, count: number, get: (view: DataView, index: number) => number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = get(view, i);
  return out;
}

export interface TensorToWrite {
  name: string;
  dtype: 'F32' | 'F16' | 'BF16';
  shape: number[];
  data: Float32Array;
}

/**
 * Writes a safetensors file (tensors in the given order, header padded with spaces to a multiple
 * of 8 so that data is aligned). Atomic: writes a temporary file beside `file`, then renames it,
 * so a reader never sees half a checkpoint.
 */
export function writeSafetensors(file: string, tensors: readonly TensorToWrite[], metadata?: Record<string, string>): void {
  const absolute = path.resolve(file);
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const payloads: Uint8Array[] = [];
  let offset = 0;
  for (const tensor of tensors) {
    if (tensor.name === '__metadata__' || Object.prototype.hasOwnProperty.call(header, tensor.name)) {
      throw new CheckpointError(absolute, `${absolute}: cannot write tensor "${tensor.name}" twice (or under a reserved name).`, { tensor: tensor.name });
    }
    const elements = tensor.shape.reduce((a, b) => a * b, 1);
    if (!tensor.shape.every((d) => Number.isSafeInteger(d) && d >= 0) || elements !== tensor.data.length) {
      throw new CheckpointError(
        absolute,
        `${absolute}: tensor "${tensor.name}" has ${tensor.data.length} values but shape ${formatShape(tensor.shape)} needs ${elements}.`,
        { tensor: tensor.name },
      );
    }
    const payload = encodeTensor(tensor);
    header[tensor.name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, offset + payload.length] };
    payloads.push(payload);
    offset += payload.length;
  }
  let headerText = JSON.stringify(header);
  const headerBytesLength = Buffer.byteLength(headerText, 'utf8');
  headerText += ' '.repeat((8 - ((8 + headerBytesLength) % 8)) % 8);
  const headerBytes = Buffer.from(headerText, 'utf8');
  const lengthBytes = Buffer.alloc(8);
  lengthBytes.writeBigUInt64LE(BigInt(headerBytes.length));

  const temporary = path.join(path.dirname(absolute), `.${path.basename(absolute)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temporary, 'wx');
    fs.writeSync(fd, lengthBytes);
    fs.writeSync(fd, headerBytes);
    for (const payload of payloads) writeAll(fd, payload);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temporary, absolute);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temporary, { force: true });
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError(absolute, describeFileSystemError(error, absolute), { cause: error });
  }
}

function encodeTensor(tensor: TensorToWrite): Uint8Array {
  if (tensor.dtype === 'F16' || tensor.dtype === 'BF16') return encodeHalfs(tensor.data, tensor.dtype);
  if (littleEndianHost()) return new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  const out = new Uint8Array(tensor.data.length * 4);
  const view = new DataView(out.buffer);
  tensor.data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
}

/** Opens a regular file for reading, runs `use`, always closes. File-system errors become CheckpointError. */
function withOpenFile<T>(file: string, use: (fd: number, fileSize: number) => T): T {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    throw new CheckpointError(file, describeFileSystemError(error, file, 'safetensors file'), { cause: error });
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      throw new CheckpointError(file, `${file} is ${stat.isDirectory() ? 'a folder' : 'not a regular file'}, but a safetensors file was expected there.`);
    }
    return use(fd, stat.size);
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError(file, describeFileSystemError(error, file, 'safetensors file'), { cause: error });
  } finally {
    fs.closeSync(fd);
  }
}

/** One positional read of `length` bytes at `position` (looping only if the OS returns less). */
function readExactly(fd: number, length: number, position: number, file: string): Uint8Array {
  const bytes = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const got = fs.readSync(fd, bytes, filled, length - filled, position + filled);
    if (got === 0) {
      throw new CheckpointError(file, `${file} ended after ${position + filled} bytes while ${position + length} were expected; the file is truncated.`);
    }
    filled += got;
  }
  return bytes;
}
