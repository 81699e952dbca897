// How one array of the per-task artifact becomes the bytes of one section, and back. Each array
// gets the smallest lossless encoding that fits it: 0/1 masks are entropy-coded (or bit-packed),
// sorted index lists become varint gaps, other integers zigzag varints or raw, floats raw
// little-endian. Decoding gives back the same array class with the same values, bit for bit.

import { decodeBinary, encodeBinary } from './binaryArithmeticCoder';
import { isBinary, packBits, unpackBits } from './bitPacking';
import { decodeDeltaVarints, decodeZigzagVarints, encodeDeltaVarints, encodeZigzagVarints, isSortedIndexList } from './varint';

export type SectionEncoding =
  /** 0/1 values, adaptive binary arithmetic coding (binaryArithmeticCoder.ts). */
  | 'mask-arith'
  /** 0/1 values, 8 per byte, most significant bit first. */
  | 'mask-packed'
  /** Non-decreasing non-negative integers: first value and gaps as LEB128 varints. */
  | 'delta-varint'
  /** Signed integers, zigzag-mapped, LEB128 varints. */
  | 'zigzag-varint'
  /** The element type's bytes, little-endian. */
  | 'raw-le';

export type ArrayType =
  | 'Uint8Array'
  | 'Int8Array'
  | 'Uint16Array'
  | 'Int16Array'
  | 'Uint32Array'
  | 'Int32Array'
  | 'Float32Array'
  | 'Float64Array'
  /** A plain array of numbers (stored as float64 when not all integers). */
  | 'number[]';

export type NumericArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array | number[];

const TYPED: Record<Exclude<ArrayType, 'number[]'>, { make: (n: number) => Exclude<NumericArray, number[]>; bytes: number; integer: boolean }> = {
  Uint8Array: { make: (n) => new Uint8Array(n), bytes: 1, integer: true },
  Int8Array: { make: (n) => new Int8Array(n), bytes: 1, integer: true },
  Uint16Array: { make: (n) => new Uint16Array(n), bytes: 2, integer: true },
  Int16Array: { make: (n) => new Int16Array(n), bytes: 2, integer: true },
  Uint32Array: { make: (n) => new Uint32Array(n), bytes: 4, integer: true },
  Int32Array: { make: (n) => new Int32Array(n), bytes: 4, integer: true },
  Float32Array: { make: (n) => new Float32Array(n), bytes: 4, integer: false },
  Float64Array: { make: (n) => new Float64Array(n), bytes: 8, integer: false },
};

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The array type of a value, or undefined when it is not an array of numbers this format stores. */
export function arrayTypeOf(value: unknown): ArrayType | undefined {
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    return Object.hasOwn(TYPED, name) ? (name as ArrayType) : undefined;
  }
  return undefined;
}

export interface EncodedSection {
  encoding: SectionEncoding;
  bytes: Uint8Array;
}

/** The smallest lossless encoding of `values`; masks are bit-packed instead when `entropyCoding` is off. */
export function encodeSection(values: NumericArray, type: ArrayType, entropyCoding: boolean): EncodedSection {
  if (type === 'Uint8Array' && isBinary(values as Uint8Array)) {
    const packed: EncodedSection = { encoding: 'mask-packed', bytes: packBits(values as Uint8Array) };
    if (!entropyCoding) return packed;
    const coded: EncodedSection = { encoding: 'mask-arith', bytes: encodeBinary(values as Uint8Array) };
    return coded.bytes.length < packed.bytes.length ? coded : packed;
  }
  const integer = type === 'number[]' ? values.every((v) => Number.isSafeInteger(v) && !Object.is(v, -0)) : TYPED[type].integer;
  const candidates: EncodedSection[] = [];
  if (type !== 'number[]' || !integer) candidates.push({ encoding: 'raw-le', bytes: rawBytes(values, type === 'number[]' ? 'Float64Array' : type) });
  if (integer) {
    if (isSortedIndexList(values)) candidates.push({ encoding: 'delta-varint', bytes: encodeDeltaVarints(values) });
    candidates.push({ encoding: 'zigzag-varint', bytes: encodeZigzagVarints(values) });
  }
  return candidates.reduce((best, c) => (c.bytes.length < best.bytes.length ? c : best));
}

export function decodeSection(bytes: Uint8Array, encoding: SectionEncoding, type: ArrayType, count: number): NumericArray {
  switch (encoding) {
    case 'mask-arith':
      return fromNumbers(decodeBinary(bytes, count), type);
    case 'mask-packed':
      return fromNumbers(unpackBits(bytes, count), type);
    case 'delta-varint':
      return fromNumbers(decodeDeltaVarints(bytes, count), type);
    case 'zigzag-varint':
      return fromNumbers(decodeZigzagVarints(bytes, count), type);
    case 'raw-le': {
      const storage = type === 'number[]' ? 'Float64Array' : type;
      const values = fromRawBytes(bytes, storage, count);
      return type === 'number[]' ? Array.from(values) : values;
    }
    default:
      throw new RangeError(`unknown section encoding '${String(encoding)}'`);
  }
}

function fromNumbers(values: ArrayLike<number>, type: ArrayType): NumericArray {
  if (type === 'number[]') return Array.from(values);
  const out = TYPED[type].make(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return out;
}

function rawBytes(values: NumericArray, storage: Exclude<ArrayType, 'number[]'>): Uint8Array {
  const typed = Array.isArray(values) ? Float64Array.from(values) : values;
  if (LITTLE_ENDIAN_HOST || TYPED[storage].bytes === 1) {
    return new Uint8Array(typed.buffer.slice(typed.byteOffset, typed.byteOffset + typed.byteLength));
  }
  const out = new Uint8Array(typed.length * TYPED[storage].bytes);
  const view = new DataView(out.buffer);
  for (let i = 0; i < typed.length; i++) setLittleEndian(view, storage, i, typed[i]);
  return out;
}

function fromRawBytes(bytes: Uint8Array, storage: Exclude<ArrayType, 'number[]'>, count: number): Exclude<NumericArray, number[]> {
  const size = TYPED[storage].bytes;
  if (bytes.length !== count * size) throw new RangeError(`a raw section of ${count} ${storage} values needs ${count * size} bytes, not ${bytes.length}`);
  const out = TYPED[storage].make(count);
  if (LITTLE_ENDIAN_HOST || size === 1) {
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) out[i] = getLittleEndian(view, storage, i);
  return out;
}

function setLittleEndian(view: DataView, storage: Exclude<ArrayType, 'number[]'>, i: number, v: number): void {
  const at = i * TYPED[storage].bytes;
  if (storage === 'Uint16Array') view.setUint16(at, v, true);
  else if (storage === 'Int16Array') view.setInt16(at, v, true);
  else if (storage === 'Uint32Array') view.setUint32(at, v, true);
  else if (storage === 'Int32Array') view.setInt32(at, v, true);
  else if (storage === 'Float32Array') view.setFloat32(at, v, true);
  else view.setFloat64(at, v, true);
}

function getLittleEndian(view: DataView, storage: Exclude<ArrayType, 'number[]'>, i: number): number {
  const at = i * TYPED[storage].bytes;
  if (storage === 'Uint16Array') return view.getUint16(at, true);
  if (storage === 'Int16Array') return view.getInt16(at, true);
  if (storage === 'Uint32Array') return view.getUint32(at, true);
  if (storage === 'Int32Array') return view.getInt32(at, true);
  if (storage === 'Float32Array') return view.getFloat32(at, true);
  return view.getFloat64(at, true);
}
