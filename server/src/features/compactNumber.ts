// Numbers as the editor shows them beside selections: short (`1.2M params`) in hints and lenses,
// grouped (`393,216`) in hover tables where the exact count matters.

/** `950`, `16.4K`, `0.4M`, `4.4M`, `110M`, `1.3B`: at most one decimal, a unit from 100K up in millions. */
export function compactNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  if (a < 1000) return sign + String(Math.round(a));
  // From 100K on, millions read better beside model sizes (BERT-Tiny's blocks are 0.4M, BERT-base 110M).
  if (a < 100_000) return sign + scaled(a / 1e3) + 'K';
  // 999,999,999 rounds to 1000M: say 1B instead.
  if (a < 1e9 && Math.round(a / 1e6) < 1000) return sign + scaled(a / 1e6) + 'M';
  return sign + scaled(a / 1e9) + 'B';
}

function scaled(v: number): string {
  const text = v >= 100 ? String(Math.round(v)) : v.toFixed(1);
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/** `393,216`: digits grouped by three, independent of the machine's locale. */
export function groupDigits(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const [whole, fraction] = String(Math.abs(n)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (n < 0 ? '-' : '') + grouped + (fraction !== undefined ? `.${fraction}` : '');
}

/** `1 tensor`, `12 tensors`. */
export function plural(n: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : pluralNoun}`;
}
