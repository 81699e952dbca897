// Theme colours for canvases and charts. VS Code puts every theme colour on the page as a CSS
// variable (`--vscode-editor-foreground`, …) and marks the body `vscode-light`, `vscode-dark` or
// `vscode-high-contrast`; both change live when the user switches themes.

import { parseCssColor, type Rgba } from './color';

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export function themeKind(): ThemeKind {
  const classes = document.body.classList;
  if (classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.contains('vscode-high-contrast')) return 'high-contrast';
  return classes.contains('vscode-light') ? 'light' : 'dark';
}

/** The colour of `--vscode-<name>`, or `fallback` (a CSS colour) when the theme leaves it unset. */
export function themeColor(name: string, fallback: string): Rgba {
  const value = getComputedStyle(document.documentElement).getPropertyValue(`--vscode-${name}`);
  return parseCssColor(value) ?? parseCssColor(fallback) ?? { r: 128, g: 128, b: 128, a: 1 };
}

export function themeFont(): string {
  const style = getComputedStyle(document.body);
  const family = style.getPropertyValue('--vscode-font-family').trim() || 'sans-serif';
  return family;
}

/** Calls `listener` (debounced to one frame) whenever the theme changes. */
export function onThemeChange(listener: () => void): void {
  let queued = false;
  const changed = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      listener();
    });
  };
  const observer = new MutationObserver(changed);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}
