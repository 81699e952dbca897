// Bit-level reading and writing, most significant bit first, for the mask coders.

/** Collects bits into bytes; grows as needed. */
export class BitWriter {
  private bytes = new Uint8Array(1024);
  private length = 0;
  private current = 0;
  private filled = 0;

  write(bit: number): void {
    this.current = (this.current << 1) | bit;
    if (++this.filled === 8) {
      if (this.length === this.bytes.length) {
        const grown = new Uint8Array(this.bytes.length * 2);
        grown.set(this.bytes);
        this.bytes = grown;
      }
      this.bytes[this.length++] = this.current;
      this.current = 0;
      this.filled = 0;
    }
  }

  /** The bits written so far, the last byte padded with zeros. */
  finish(): Uint8Array {
    while (this.filled !== 0) this.write(0);
    return this.bytes.slice(0, this.length);
  }
}

/** Reads bits from bytes; past the end it reads zeros (what the arithmetic decoder's tail needs). */
export class BitReader {
  private position = 0;

  constructor(private readonly bytes: Uint8Array) {}

  read(): number {
    const byte = this.position >>> 3;
    if (byte >= this.bytes.length) {
      this.position++;
      return 0;
    }
    const bit = (this.bytes[byte] >>> (7 - (this.position & 7))) & 1;
    this.position++;
    return bit;
  }
}
