// A binary mask at 1 bit per masked parameter: the baseline size every entropy-coded mask is
// compared with (methods.md: BERT-base's 71.4 Mbit of masks is 8.9 MB packed).

/** Packs 0/1 values, most significant bit first; a trailing partial byte is padded with zeros. */
export function packBits(bits: Uint8Array): Uint8Array {
  const packed = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) {
    if (bits[i] !== 0) packed[i >>> 3] |= 0x80 >>> (i & 7);
  }
  return packed;
}

/** The inverse of packBits: `count` values of 0/1. */
export function unpackBits(packed: Uint8Array, count: number): Uint8Array {
  if (packed.length * 8 < count) throw new RangeError(`a packed mask of ${packed.length} bytes cannot hold ${count} bits`);
  const bits = new Uint8Array(count);
  for (let i = 0; i < count; i++) bits[i] = (packed[i >>> 3] >>> (7 - (i & 7))) & 1;
  return bits;
}

/** True when every value is 0 or 1 (a mask, not arbitrary bytes). */
export function isBinary(values: Uint8Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] > 1) return false;
  return true;
}
