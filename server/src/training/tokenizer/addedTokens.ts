// Special tokens written literally in the text ("[MASK]", "<mask>") become their own ids, as in
// Hugging Face tokenizers, instead of being cut into "[", "mask", "]". Matching is exact and
// case-sensitive on the raw text, longest token first, before any normalisation.

export interface AddedToken {
  content: string;
  id: number;
  /** Swallow the whitespace before the token (RoBERTa's <mask> does: "a <mask>" → "a", "<mask>"). */
  lstrip: boolean;
  /** Swallow the whitespace after the token. */
  rstrip: boolean;
}

export type TextSegment = { text: string } | { added: AddedToken };

export class AddedTokenSplitter {
  private readonly pattern: RegExp | undefined;
  private readonly byContent = new Map<string, AddedToken>();

  constructor(tokens: readonly AddedToken[]) {
    for (const token of tokens) if (token.content !== '') this.byContent.set(token.content, token);
    const contents = [...this.byContent.keys()].sort((a, b) => b.length - a.length);
    this.pattern = contents.length === 0 ? undefined : new RegExp(contents.map(escapeRegExp).join('|'), 'gu');
  }

  isAdded(content: string): boolean {
    return this.byContent.has(content);
  }

  /** Cuts `text` into plain runs and added tokens, in order; empty runs are dropped. */
  split(text: string): TextSegment[] {
    if (this.pattern === undefined) return text === '' ? [] : [{ text }];
    const segments: TextSegment[] = [];
    let start = 0;
    let stripNextStart = false;
    for (const match of text.matchAll(this.pattern)) {
      const added = this.byContent.get(match[0]) as AddedToken;
      let before = text.slice(start, match.index);
      if (stripNextStart) before = before.trimStart();
      if (added.lstrip) before = before.trimEnd();
      if (before !== '') segments.push({ text: before });
      segments.push({ added });
      start = match.index + match[0].length;
      stripNextStart = added.rstrip;
    }
    let rest = text.slice(start);
    if (stripNextStart) rest = rest.trimStart();
    if (rest !== '') segments.push({ text: rest });
    return segments;
  }
}

function escapeRegExp(text: string): string {
  // Only syntax characters may be escaped under the `u` flag.
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
