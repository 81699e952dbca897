// Top-k selection outside the gradient tape (tfjs has no gradient for topk, and the masks need
// none): a threshold from a quickselect over a copy of the scores, then an exact k-entry mask
// (ties at the threshold are admitted in index order, so the count is always exactly k).

/** The k-th largest value (1-based k, 1 ≤ k ≤ n) of `values`; `values` is not modified. */
export function kthLargest(values: ArrayLike<number>, k: number): number {
  const n = values.length;
  if (k < 1 || k > n) throw new RangeError(`kthLargest: k must be in 1…${n}, got ${k}`);
  const a = Float64Array.from(values as ArrayLike<number>);
  // The k-th largest is the (n − k)-th smallest, 0-based.
  const target = n - k;
  let low = 0;
  let high = n - 1;
  while (low < high) {
    const pivot = a[(low + high) >>> 1];
    let i = low;
    let j = high;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else break;
  }
  return a[target];
}

/** A 0/1 mask keeping exactly the k largest entries of each array together (one threshold over all of them). */
export function topkMasks(arrays: readonly Float32Array[], k: number): Float32Array[] {
  const total = arrays.reduce((sum, a) => sum + a.length, 0);
  const keep = Math.max(0, Math.min(total, Math.round(k)));
  if (keep === 0) return arrays.map((a) => new Float32Array(a.length));
  if (keep === total) return arrays.map((a) => new Float32Array(a.length).fill(1));
  let joined: Float32Array;
  if (arrays.length === 1) {
    joined = arrays[0];
  } else {
    joined = new Float32Array(total);
    let offset = 0;
    for (const a of arrays) {
      joined.set(a, offset);
      offset += a.length;
    }
  }
  const threshold = kthLargest(joined, keep);
  let above = 0;
  for (let i = 0; i < joined.length; i++) if (joined[i] > threshold) above++;
  let ties = keep - above;
  return arrays.map((a) => {
    const mask = new Float32Array(a.length);
    for (let i = 0; i < a.length; i++) {
      if (a[i] > threshold) mask[i] = 1;
      else if (a[i] === threshold && ties > 0) {
        mask[i] = 1;
        ties--;
      }
    }
    return mask;
  });
}

/** Keeps round((1 − sparsity)·n) entries: the count a sparsity target asks for. */
export function keptCount(size: number, sparsity: number): number {
  return Math.round((1 - sparsity) * size);
}
