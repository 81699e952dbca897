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
  let average = 0;
  let accumulated = 0;
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (!Number.isFinite(value)) {
      smoothed[i] = value;
      continue;
    }
    average = average * w + (1 - w) * value;
    accumulated++;
    const debias = w === 0 ? 1 : 1 - Math.pow(w, accumulated);
    smoothed[i] = average / debias;
  }
  return smoothed;
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
