// Fewer points than pixels: a 100,000-step run is drawn from a few thousand points without
// changing what the eye sees. Points are bucketed by horizontal position (one bucket per pixel or
// two); each bucket keeps its first, lowest, highest and last point, in their original order, so
// spikes survive and the line's shape at bucket edges is kept. The envelope keeps each bucket's
// raw lowest and highest value, drawn as a band behind the smoothed line.

export interface XY {
  x: number[];
  y: number[];
}

export interface Envelope {
  x: number[];
  low: number[];
  high: number[];
}

/** Maps an x value to its horizontal position in [0, 1]; values outside are clamped. */
export type Position = (x: number) => number;

export function linearPosition(low: number, high: number): Position {
  const span = high - low;
  return span > 0 ? (x) => (x - low) / span : () => 0;
}

/** Position on a logarithmic axis; x ≤ 0 lands at the left edge. */
export function logPosition(low: number, high: number): Position {
  const lo = Math.log(Math.max(low, Number.MIN_VALUE));
  const span = Math.log(Math.max(high, Number.MIN_VALUE)) - lo;
  return span > 0 ? (x) => (x > 0 ? (Math.log(x) - lo) / span : 0) : () => 0;
}

function bucketOf(position: Position, x: number, buckets: number): number {
  const p = position(x);
  if (!(p > 0)) return 0;
  if (p >= 1) return buckets - 1;
  return Math.floor(p * buckets);
}

/**
 * The points of (x, y) to draw `buckets` buckets wide. Non-finite y values are skipped. With at
 * most four points per bucket on average the input is returned whole (as finite points).
 */
export function decimateMinMax(x: ArrayLike<number>, y: ArrayLike<number>, buckets: number, position: Position, length = x.length): XY {
  const out: XY = { x: [], y: [] };
  const n = Math.min(length, x.length, y.length);
  if (n <= buckets * 4) {
    for (let i = 0; i < n; i++) {
      if (Number.isFinite(y[i]) && Number.isFinite(x[i])) {
        out.x.push(x[i]);
        out.y.push(y[i]);
      }
    }
    return out;
  }
  let current = -1;
  let first = -1;
  let low = -1;
  let high = -1;
  let last = -1;
  const flush = () => {
    if (first < 0) return;
    const picked = [first, low, high, last].sort((a, b) => a - b);
    let previous = -1;
    for (const i of picked) {
      if (i === previous) continue;
      previous = i;
      out.x.push(x[i]);
      out.y.push(y[i]);
    }
  };
  for (let i = 0; i < n; i++) {
    const value = y[i];
    if (!Number.isFinite(value) || !Number.isFinite(x[i])) continue;
    const bucket = bucketOf(position, x[i], buckets);
    if (bucket !== current) {
      flush();
      current = bucket;
      first = low = high = last = i;
      continue;
    }
    if (value < y[low]) low = i;
    if (value > y[high]) high = i;
    last = i;
  }
  flush();
  return out;
}

/** Per bucket: the x of its first point and the lowest and highest raw values in it. */
export function minMaxEnvelope(x: ArrayLike<number>, y: ArrayLike<number>, buckets: number, position: Position, length = x.length): Envelope {
  const out: Envelope = { x: [], low: [], high: [] };
  const n = Math.min(length, x.length, y.length);
  let current = -1;
  for (let i = 0; i < n; i++) {
    const value = y[i];
    if (!Number.isFinite(value) || !Number.isFinite(x[i])) continue;
    const bucket = n <= buckets ? i : bucketOf(position, x[i], buckets);
    if (bucket !== current) {
      current = bucket;
      out.x.push(x[i]);
      out.low.push(value);
      out.high.push(value);
      continue;
    }
    const k = out.low.length - 1;
    if (value < out.low[k]) out.low[k] = value;
    if (value > out.high[k]) out.high[k] = value;
  }
  return out;
}
