// Integer lists as LEB128 varints: 7 bits per byte, high bit set on all but the last byte. Sorted
// index lists (DSEE's support Ω, pruned positions) are stored as gaps, which are small.

/** Appends unsigned integers (each < 2^53) as LEB128 into a growing byte list. */
function writeUnsigned(out: number[], value: number): void {
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
}

function readUnsigned(bytes: Uint8Array, at: { offset: number }): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (at.offset >= bytes.length) throw new RangeError('a varint list ends in the middle of a number');
    const byte = bytes[at.offset++];
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return value;
    scale *= 0x80;
    if (scale > 2 ** 56) throw new RangeError('a varint is longer than any integer Masklab writes');
  }
}

/** True when `values` are non-negative safe integers in non-decreasing order. */
export function isSortedIndexList(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isSafeInteger(v) || v < 0 || (i > 0 && v < values[i - 1])) return false;
  }
  return true;
}

/** Non-decreasing non-negative integers as the first value and the gaps, each a varint. */
export function encodeDeltaVarints(values: ArrayLike<number>): Uint8Array {
  const out: number[] = [];
  let previous = 0;
  for (let i = 0; i < values.length; i++) {
    writeUnsigned(out, values[i] - previous);
    previous = values[i];
  }
  return Uint8Array.from(out);
}

export function decodeDeltaVarints(bytes: Uint8Array, count: number): number[] {
  const at = { offset: 0 };
  const values = new Array<number>(count);
  let previous = 0;
  for (let i = 0; i < count; i++) {
    previous += readUnsigned(bytes, at);
    values[i] = previous;
  }
  if (at.offset !== bytes.length) throw new RangeError(`a varint list holds more than its ${count} values`);
  return values;
}

/** Signed safe integers, zigzag-mapped (0, −1, 1, −2 … → 0, 1, 2, 3 …) then varints. */
export function encodeZigzagVarints(values: ArrayLike<number>): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    writeUnsigned(out, v >= 0 ? v * 2 : -v * 2 - 1);
  }
  return Uint8Array.from(out);
}

export function decodeZigzagVarints(bytes: Uint8Array, count: number): number[] {
  const at = { offset: 0 };
  const values = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const u = readUnsigned(bytes, at);
    values[i] = u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }
  if (at.offset !== bytes.length) throw new RangeError(`a varint list holds more than its ${count} values`);
  return values;
}
