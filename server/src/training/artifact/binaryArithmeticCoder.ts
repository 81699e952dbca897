// An adaptive binary arithmetic coder for masks. A mask of density d carries H(d) bits per
// parameter (0.29 bit at 5 % masked), so coding it with the probabilities it actually shows gets
// close to that instead of 1 bit per parameter.
//
// The coder is the classic integer arithmetic coder (Witten, Neal & Cleary, 1987) with 32-bit
// bounds and underflow ("pending") bits; probabilities are 16-bit fixed point. Products stay below
// 2^48, so plain JavaScript numbers compute them exactly. The model keeps counts per context (the
// two previous bits: learned masks come in runs along rows more often than chance) with the
// Krichevsky–Trofimov start of ½ and halves them past a limit, so it follows a mask whose density
// drifts across a matrix while costing a negligible ~1/(2N ln 2) bits per parameter on a uniform one.

import { BitReader, BitWriter } from './bitStream';

const PROBABILITY_BITS = 16;
const PROBABILITY_ONE = 1 << PROBABILITY_BITS;
const TOP = 2 ** 32;
const HALF = 2 ** 31;
const QUARTER = 2 ** 30;
const THREE_QUARTERS = HALF + QUARTER;

/** Counts (in halves) above which a context's counts are halved. */
const COUNT_LIMIT = 2 * 8192;
const CONTEXT_BITS = 2;
const CONTEXTS = 1 << CONTEXT_BITS;

/** Adaptive probability of a 1 per context of the previous bits. */
class BitModel {
  // Counts are kept doubled so the KT start of ½ is an integer 1.
  private readonly zeros = new Float64Array(CONTEXTS).fill(1);
  private readonly ones = new Float64Array(CONTEXTS).fill(1);
  private context = 0;

  /** P(next bit = 0) in 1 … PROBABILITY_ONE − 1. */
  probabilityOfZero(): number {
    const z = this.zeros[this.context];
    const p = Math.floor((z * PROBABILITY_ONE) / (z + this.ones[this.context]));
    return p < 1 ? 1 : p > PROBABILITY_ONE - 1 ? PROBABILITY_ONE - 1 : p;
  }

  update(bit: number): void {
    const c = this.context;
    if (bit) this.ones[c] += 2;
    else this.zeros[c] += 2;
    if (this.zeros[c] + this.ones[c] > COUNT_LIMIT) {
      this.zeros[c] = Math.max(1, Math.floor(this.zeros[c] / 2));
      this.ones[c] = Math.max(1, Math.floor(this.ones[c] / 2));
    }
    this.context = ((c << 1) | bit) & (CONTEXTS - 1);
  }
}

/** Codes a sequence of 0/1 values; returns the bytes. Decode with decodeBinary and the same count. */
export function encodeBinary(bits: Uint8Array): Uint8Array {
  const out = new BitWriter();
  const model = new BitModel();
  let low = 0;
  let high = TOP - 1;
  let pending = 0;
  const emit = (bit: number) => {
    out.write(bit);
    for (; pending > 0; pending--) out.write(bit ^ 1);
  };
  for (let i = 0; i < bits.length; i++) {
    const bit = bits[i] === 0 ? 0 : 1;
    const split = low + Math.floor(((high - low + 1) * model.probabilityOfZero()) / PROBABILITY_ONE) - 1;
    if (bit) low = split + 1;
    else high = split;
    model.update(bit);
    for (;;) {
      if (high < HALF) {
        emit(0);
      } else if (low >= HALF) {
        emit(1);
        low -= HALF;
        high -= HALF;
      } else if (low >= QUARTER && high < THREE_QUARTERS) {
        pending++;
        low -= QUARTER;
        high -= QUARTER;
      } else {
        break;
      }
      low *= 2;
      high = high * 2 + 1;
    }
  }
  // Two more bits pick a point inside [low, high]; the decoder reads zeros after them.
  pending++;
  emit(low < QUARTER ? 0 : 1);
  return out.finish();
}

/** The inverse of encodeBinary: `count` values of 0/1. */
export function decodeBinary(bytes: Uint8Array, count: number): Uint8Array {
  const input = new BitReader(bytes);
  const model = new BitModel();
  const bits = new Uint8Array(count);
  let low = 0;
  let high = TOP - 1;
  let value = 0;
  for (let i = 0; i < 32; i++) value = value * 2 + input.read();
  for (let i = 0; i < count; i++) {
    const split = low + Math.floor(((high - low + 1) * model.probabilityOfZero()) / PROBABILITY_ONE) - 1;
    const bit = value > split ? 1 : 0;
    if (bit) low = split + 1;
    else high = split;
    bits[i] = bit;
    model.update(bit);
    for (;;) {
      if (high < HALF) {
        // nothing to remove
      } else if (low >= HALF) {
        low -= HALF;
        high -= HALF;
        value -= HALF;
      } else if (low >= QUARTER && high < THREE_QUARTERS) {
        low -= QUARTER;
        high -= QUARTER;
        value -= QUARTER;
      } else {
        break;
      }
      low *= 2;
      high = high * 2 + 1;
      value = value * 2 + input.read();
    }
  }
  return bits;
}

/** H(d) = −d log₂ d − (1−d) log₂(1−d): the information in one parameter of a mask of density d. */
export function binaryEntropy(density: number): number {
  if (density <= 0 || density >= 1) return 0;
  return -density * Math.log2(density) - (1 - density) * Math.log2(1 - density);
}
