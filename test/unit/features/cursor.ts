// Inline cursor markers for feature tests: documents are written with `<|>` where the cursor is
// (or `<[>` … `<]>` around a range), and these helpers strip the markers and give the offsets.

export const CURSOR = '<|>';
const RANGE_START = '<[>';
const RANGE_END = '<]>';

/** The text without its single `<|>` marker, and the marker's offset. */
export function cursorIn(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf(CURSOR);
  if (offset < 0 || marked.indexOf(CURSOR, offset + 1) >= 0) throw new Error(`expected exactly one ${CURSOR} in ${JSON.stringify(marked)}`);
  return { text: marked.slice(0, offset) + marked.slice(offset + CURSOR.length), offset };
}

/** The text without its `<[>` and `<]>` markers, and the span between them. */
export function rangeIn(marked: string): { text: string; start: number; end: number } {
  const start = marked.indexOf(RANGE_START);
  const endMarker = marked.indexOf(RANGE_END);
  if (start < 0 || endMarker < start) throw new Error(`expected ${RANGE_START} … ${RANGE_END} in ${JSON.stringify(marked)}`);
  const end = endMarker - RANGE_START.length;
  return { text: marked.slice(0, start) + marked.slice(start + RANGE_START.length, endMarker) + marked.slice(endMarker + RANGE_END.length), start, end };
}
