// Building the panels' DOM without HTML strings: text always goes through `textContent`, so
// nothing from a run folder (names, messages) can ever be parsed as markup.

type Attributes = Record<string, string | number | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Node | string | undefined | null | false)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

export function clear(element: Element): void {
  while (element.firstChild) element.firstChild.remove();
}

/** Downloads nothing: turns a canvas into the `data:image/png;base64,…` URL the host saves. */
export function canvasPng(canvas: HTMLCanvasElement): string {
  return canvas.toDataURL('image/png');
}
