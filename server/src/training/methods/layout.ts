// Conversions between the trainer's [in, out] matrices and the checkpoint's [out, in] order
// (masks, artifacts and snapshots are stored in the checkpoint's order). Pure transposes: exact.

/** Row-major [rows, cols] → row-major [cols, rows]. */
export function transposeFlat<T extends Float32Array | Uint8Array>(data: T, rows: number, cols: number): T {
  const out = new (data.constructor as { new (n: number): T })(data.length);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[base + c];
  }
  return out;
}

/** A 0/1 float mask in [in, out] → bits in [out, in]. */
export function maskBitsTorchOrder(mask: Float32Array, inFeatures: number, outFeatures: number): Uint8Array {
  const bits = new Uint8Array(mask.length);
  for (let i = 0; i < inFeatures; i++) {
    const base = i * outFeatures;
    for (let o = 0; o < outFeatures; o++) bits[o * inFeatures + i] = mask[base + o] > 0 ? 1 : 0;
  }
  return bits;
}

/** Bits in [out, in] → a 0/1 float mask in [in, out]. */
export function maskFromTorchBits(bits: Uint8Array, outFeatures: number, inFeatures: number): Float32Array {
  const mask = new Float32Array(bits.length);
  for (let o = 0; o < outFeatures; o++) {
    const base = o * inFeatures;
    for (let i = 0; i < inFeatures; i++) mask[i * outFeatures + o] = bits[base + i] ? 1 : 0;
  }
  return mask;
}
