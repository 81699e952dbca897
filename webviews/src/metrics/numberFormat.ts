// Numbers as the metrics panel shows them. Pure.

/** Table values: fractions to 4 places, very small and very large values in exponent form. */
export function formatMetric(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e5) return value.toExponential(2);
  return value.toFixed(4).replace(/\.?0+$/, '');
}

