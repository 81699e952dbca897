// GPT-2's byte-level alphabet, used by RoBERTa: every UTF-8 byte is shown as one printable
// character so BPE can work on strings with no unknown symbols. Printable Latin-1 bytes map to
// themselves; the other 68 bytes (controls, space, NBSP, soft hyphen, …) map to U+0100 onwards
// in byte order, which is why a leading space shows up as "Ġ" (byte 0x20 → U+0120).

function buildByteAlphabet(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const printableSet = new Set(printable);
  const alphabet: string[] = new Array<string>(256);
  for (const b of printable) alphabet[b] = String.fromCharCode(b);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    if (!printableSet.has(b)) alphabet[b] = String.fromCharCode(next++);
  }
  return alphabet;
}

/** Byte value → its stand-in character. */
export const BYTE_TO_CHAR: readonly string[] = buildByteAlphabet();

const CHAR_TO_BYTE = new Map<string, number>(BYTE_TO_CHAR.map((char, byte) => [char, byte]));

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/** The UTF-8 bytes of `text`, each written as its stand-in character. */
export function toByteLevel(text: string): string {
  let out = '';
  for (const byte of encoder.encode(text)) out += BYTE_TO_CHAR[byte];
  return out;
}

/** Inverse of toByteLevel; characters outside the alphabet are kept as their own UTF-8. */
export function fromByteLevel(symbols: string): string {
  const bytes: number[] = [];
  for (const char of symbols) {
    const byte = CHAR_TO_BYTE.get(char);
    if (byte !== undefined) bytes.push(byte);
    else bytes.push(...encoder.encode(char));
  }
  return decoder.decode(new Uint8Array(bytes));
}

// GPT-2's pre-tokenisation: English contractions, letter runs and digit runs and other-symbol
// runs each with at most one leading space, and whitespace runs (a run followed by a word leaves
// its last space to that word).
const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

export function byteLevelPreTokenize(text: string, addPrefixSpace: boolean): string[] {
  const prefixed = addPrefixSpace && !text.startsWith(' ') ? ` ${text}` : text;
  return prefixed.match(GPT2_SPLIT) ?? [];
}
