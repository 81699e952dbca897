// Finds the `experiment NAME` and `sweep NAME` declarations of a `*.masklab` text, for the pick
// list of "Show Resolved Config" when it runs from the palette. A small scan rather than the
// server's parser: the client must not bundle server code, and this needs only the top-level
// names (skipping comments and strings so that `// experiment old` is not offered).

export type DeclarationKind = 'experiment' | 'sweep';

export interface DeclarationSummary {
  kind: DeclarationKind;
  name: string;
  /** Offset of the `experiment` / `sweep` keyword. */
  start: number;
  /** Offset just after the closing brace of its body, or where the next declaration (or the text) starts. */
  end: number;
}

const IDENTIFIER_START = /[A-Za-z_]/;
const IDENTIFIER_PART = /[A-Za-z0-9_]/;

export function findDeclarations(text: string): DeclarationSummary[] {
  const found: DeclarationSummary[] = [];
  let open: DeclarationSummary | undefined;
  let depth = 0;
  let i = 0;

  const close = (end: number): void => {
    if (open) {
      open.end = end;
      found.push(open);
      open = undefined;
    }
  };

  // Skips blanks and comments from `from`; returns the next offset holding anything else.
  const skipTrivia = (from: number): number => {
    let p = from;
    for (;;) {
      while (p < text.length && /\s/.test(text[p])) p++;
      if (text.startsWith('//', p)) {
        const newline = text.indexOf('\n', p);
        p = newline < 0 ? text.length : newline + 1;
      } else if (text.startsWith('/*', p)) {
        const closing = text.indexOf('*/', p + 2);
        p = closing < 0 ? text.length : closing + 2;
      } else {
        return p;
      }
    }
  };

  const readIdentifier = (from: number): string => {
    let p = from;
    if (p >= text.length || !IDENTIFIER_START.test(text[p])) return '';
    while (p < text.length && IDENTIFIER_PART.test(text[p])) p++;
    return text.slice(from, p);
  };

  while (i < text.length) {
    const c = text[i];
    if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      i = skipTrivia(i);
    } else if (c === '"') {
      // Strings (and the body of re"…") end at an unescaped quote or, unterminated, at the line end.
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      depth = Math.max(0, depth - 1);
      i++;
      if (depth === 0) close(i);
    } else if (IDENTIFIER_START.test(c) && (i === 0 || !IDENTIFIER_PART.test(text[i - 1]))) {
      const word = readIdentifier(i);
      if (depth === 0 && (word === 'experiment' || word === 'sweep')) {
        close(i);
        const nameAt = skipTrivia(i + word.length);
        const name = readIdentifier(nameAt);
        if (name) open = { kind: word, name, start: i, end: text.length };
        i = name ? nameAt + name.length : i + word.length;
      } else {
        i += word.length;
      }
    } else {
      i++;
    }
  }
  close(text.length);
  return found;
}

/** The declaration whose text contains `offset` (keyword through closing brace), if any. */
export function declarationAt(declarations: readonly DeclarationSummary[], offset: number): DeclarationSummary | undefined {
  return declarations.find((d) => d.start <= offset && offset <= d.end);
}

export interface DeclarationPickItem {
  label: string;
  description: string;
  declaration: DeclarationSummary;
}

/**
 * Items for the QuickPick, in document order except that the declaration under the cursor comes
 * first (so Enter picks it). Names declared twice are listed once: the server resolves by name.
 */
export function declarationPickItems(declarations: readonly DeclarationSummary[], cursorOffset?: number): DeclarationPickItem[] {
  const atCursor = cursorOffset === undefined ? undefined : declarationAt(declarations, cursorOffset);
  const seen = new Set<string>();
  const items: DeclarationPickItem[] = [];
  for (const declaration of declarations) {
    if (seen.has(declaration.name)) continue;
    seen.add(declaration.name);
    const where = declaration === atCursor ? ' · at cursor' : '';
    items.push({
      label: declaration.name,
      description: (declaration.kind === 'sweep' ? 'sweep (asks for a cell index)' : 'experiment') + where,
      declaration,
    });
  }
  if (atCursor) {
    const index = items.findIndex((item) => item.declaration.name === atCursor.name);
    if (index > 0) items.unshift(...items.splice(index, 1));
  }
  return items;
}

/** Validates a typed sweep cell index: the number, or a message saying what is expected. */
export function parseSweepIndex(text: string): number | { message: string } {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
    return { message: `expected a cell index: a whole number 0, 1, 2, … (got ${JSON.stringify(text)})` };
  }
  return Number(trimmed);
}
