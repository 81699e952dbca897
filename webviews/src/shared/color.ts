// Colours as numbers, for canvases and charts that are painted from the theme's CSS variables
// (`--vscode-…`), so that light, dark and high-contrast themes all read well. Pure functions.

export interface Rgba {
  r: number;
  g: number;
  b: number;
  /** 0–1. */
  a: number;
}

/** Parses `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb(…)` and `rgba(…)`; undefined for anything else. */
export function parseCssColor(text: string): Rgba | undefined {
  const value = text.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3,8})$/.exec(value);
  if (hex) {
    const digits = hex[1];
    if (digits.length === 3 || digits.length === 4) {
      const [r, g, b, a] = [...digits].map((d) => parseInt(d + d, 16));
      return { r, g, b, a: a === undefined ? 1 : a / 255 };
    }
    if (digits.length === 6 || digits.length === 8) {
      const part = (i: number) => parseInt(digits.slice(i, i + 2), 16);
      return { r: part(0), g: part(2), b: part(4), a: digits.length === 8 ? part(6) / 255 : 1 };
    }
    return undefined;
  }
  const functional = /^rgba?\(\s*([^)]*)\)$/.exec(value);
  if (!functional) return undefined;
  const parts = functional[1].split(/[\s,/]+/).filter((p) => p.length > 0);
  if (parts.length !== 3 && parts.length !== 4) return undefined;
  const channel = (p: string) => (p.endsWith('%') ? (parseFloat(p) / 100) * 255 : parseFloat(p));
  const alpha = (p: string) => (p.endsWith('%') ? parseFloat(p) / 100 : parseFloat(p));
  const [r, g, b] = parts.slice(0, 3).map(channel);
  const a = parts.length === 4 ? alpha(parts[3]) : 1;
  if (![r, g, b, a].every(Number.isFinite)) return undefined;
  return { r: clamp(r, 0, 255), g: clamp(g, 0, 255), b: clamp(b, 0, 255), a: clamp(a, 0, 1) };
}

/** `a` blended towards `b` by `t` in [0, 1] (straight interpolation of each channel). */
export function mix(a: Rgba, b: Rgba, t: number): Rgba {
  const u = clamp(t, 0, 1);
  return { r: a.r + (b.r - a.r) * u, g: a.g + (b.g - a.g) * u, b: a.b + (b.b - a.b) * u, a: a.a + (b.a - a.a) * u };
}

/** A colour with alpha drawn over an opaque background, as the eye sees it. */
export function over(top: Rgba, background: Rgba): Rgba {
  return { ...mix(background, { ...top, a: 1 }, top.a), a: 1 };
}

export function toCss(color: Rgba, alpha = color.a): string {
  const c = (v: number) => Math.round(clamp(v, 0, 255));
  return `rgba(${c(color.r)}, ${c(color.g)}, ${c(color.b)}, ${+clamp(alpha, 0, 1).toFixed(3)})`;
}

/** WCAG relative luminance of an opaque colour, 0 (black) to 1 (white). */
export function luminance(color: Rgba): number {
  const linear = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b);
}

export function contrastRatio(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Of two candidate text colours, the one that reads better on `background`. */
export function readableOn(background: Rgba, light: Rgba, dark: Rgba): Rgba {
  return contrastRatio(background, light) >= contrastRatio(background, dark) ? light : dark;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
