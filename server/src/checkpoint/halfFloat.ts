// IEEE half precision (F16) and bfloat16 (BF16) <-> float32, for checkpoints stored in 16 bits.
// Both directions round to nearest, ties to even, as PyTorch's `.half()` / `.bfloat16()` do, so a
// tensor written here and read back by PyTorch (or the reverse) gets the same values.

const scratch = new DataView(new ArrayBuffer(4));

function float32Bits(value: number): number {
  scratch.setFloat32(0, value, true);
  return scratch.getUint32(0, true);
}

function bitsToFloat32(bits: number): number {
  scratch.setUint32(0, bits >>> 0, true);
  return scratch.getFloat32(0, true);
}

/** float32 value -> 16-bit IEEE half pattern (overflow -> ±Infinity, tiny -> subnormal or ±0). */
export function float32ToFloat16Bits(value: number): number {
  const bits = float32Bits(value);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Subnormal half: shift the full 24-bit significand right, rounding what falls off.
    if (halfExponent < -10) return sign;
    const significand = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    let half = significand >>> shift;
    const remainder = significand & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (remainder > halfway || (remainder === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (halfExponent << 10) | (mantissa >>> 13);
  const remainder = mantissa & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (and reaches Infinity at the top).
  if (remainder > 0x1000 || (remainder === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

let halfTable: Float32Array | undefined;

/** All 65,536 half values as float32, built on first use (256 KB) so decoding is one lookup. */
function float16Table(): Float32Array {
  if (halfTable) return halfTable;
  halfTable = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >>> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) halfTable[h] = sign * mantissa * 2 ** -24;
    else if (exponent === 0x1f) halfTable[h] = mantissa === 0 ? sign * Infinity : NaN;
    else halfTable[h] = bitsToFloat32(((h & 0x8000) << 16) | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }
  return halfTable;
}

export function float16BitsToFloat32(bits: number): number {
  return float16Table()[bits & 0xffff];
}

/** float32 value -> bfloat16 pattern (the top 16 bits, rounded to nearest even). */
export function float32ToBfloat16Bits(value: number): number {
  const bits = float32Bits(value);
  if ((bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0) return (bits >>> 16) | 0x40;
  const rounded = bits + 0x7fff + ((bits >>> 16) & 1);
  return (rounded >>> 16) & 0xffff;
}

export function bfloat16BitsToFloat32(bits: number): number {
  return bitsToFloat32((bits & 0xffff) << 16);
}

/** Decodes little-endian 16-bit values from `bytes` into a new Float32Array. */
export function decodeHalfs(bytes: Uint8Array, format: 'F16' | 'BF16'): Float32Array {
  const count = bytes.length >>> 1;
  const out = new Float32Array(count);
  if (format === 'F16') {
    const table = float16Table();
    for (let i = 0; i < count; i++) out[i] = table[bytes[2 * i] | (bytes[2 * i + 1] << 8)];
  } else {
    // A bfloat16 is the top half of a float32: write the bits through an integer view of `out`
    // (both views use the host's byte order, so this holds on any host).
    const words = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) words[i] = ((bytes[2 * i] | (bytes[2 * i + 1] << 8)) << 16) >>> 0;
  }
  return out;
}

/** Encodes float32 values as little-endian 16-bit values. */
export function encodeHalfs(values: Float32Array, format: 'F16' | 'BF16'): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const encode = format === 'F16' ? float32ToFloat16Bits : float32ToBfloat16Bits;
  for (let i = 0; i < values.length; i++) {
    const bits = encode(values[i]);
    out[2 * i] = bits & 0xff;
    out[2 * i + 1] = bits >>> 8;
  }
  return out;
}

let littleEndian: boolean | undefined;

/** Typed arrays use the host's byte order; safetensors is little-endian. */
export function littleEndianHost(): boolean {
  littleEndian ??= new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  return littleEndian;
}
