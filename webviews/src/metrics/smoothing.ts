// Debiased exponential smoothing, as TensorBoard draws its curves: an exponential moving average
// whose start-up bias towards 0 is divided out (the first smoothed value equals the first raw
// value, instead of creeping up from 0). Non-finite values pass through and do not disturb it.

/** `weight` in [0, 1): 0 returns the values unchanged, 0.99 smooths over about 100 points. */
export function debiasedEma(values: ArrayLike<number>, weight: number, length = values.length): Float64Array {
  const w = Math.min(Math.max(weight, 0), 0.999);
  const smoothed = new Float64Array(length);
  // A constant series stays exactly constant (the running average would wobble in the last bits,
  // and an autoscaled axis would magnify that into noise).
  if (isConstant(values, length)) {
    for (let i = 0; i < length; i++) smoothed[i] = values[i];
    return smoothed;
  }
  const ema = new DebiasedEma(w);
  for (let i = 0; i < length; i++) {
    const value = values[i];
    smoothed[i] = Number.isFinite(value) ? ema.next(value) : value;
  }
  return smoothed;
}

/** The same smoothing one value at a time: a live series is extended, not smoothed again from its start. */
export class DebiasedEma {
  private average = 0;
  /** w^n, the part of the average still owed to the zero it started from. */
  private bias = 1;
  private readonly weight: number;

  constructor(weight: number) {
    this.weight = Math.min(Math.max(weight, 0), 0.999);
  }

  /** The smoothed value after `value` (finite). */
  next(value: number): number {
    const w = this.weight;
    this.average = this.average * w + (1 - w) * value;
    this.bias *= w;
    return w === 0 ? value : this.average / (1 - this.bias);
  }
}

function isConstant(values: ArrayLike<number>, length: number): boolean {
  let first: number | undefined;
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (!Number.isFinite(value)) continue;
    if (first === undefined) first = value;
    else if (value !== first) return false;
  }
  return true;
}
