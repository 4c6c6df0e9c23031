/**
 * A growable UTF-8 byte buffer that output lines are written into, so a batch run's output never
 * becomes one long string. Concatenating each output's text into a 64 KiB string and encoding it
 * for the file made the engine flatten a tree of ~2 500 small strings per write, a copy the
 * garbage collector then had to find room for (in the CLI's profile: ~0.1 s of a 0.8 s run and
 * three times the page faults of a plain read/parse/write loop).
 *
 * Pure (no I/O): the CLI hands {@link bytes} `0..length` to the file and calls {@link clear}.
 */
export class ByteLines {
  private buf: Uint8Array;
  /** Bytes written so far (the valid prefix of {@link bytes}). */
  length = 0;

  constructor(capacity = 1 << 17) {
    this.buf = new Uint8Array(capacity);
  }

  /** The buffer; bytes `0..length` are the output written since the last {@link clear}. */
  get bytes(): Uint8Array {
    return this.buf;
  }

  clear(): void {
    this.length = 0;
  }

  /** Room for `n` more bytes (the buffer doubles; what was written is kept). */
  reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  /** Append already-encoded bytes (a key, a line's head). */
  raw(b: Uint8Array): void {
    const n = b.length;
    this.reserve(n);
    const buf = this.buf;
    let at = this.length;
    for (let i = 0; i < n; i++) buf[at++] = b[i]!;
    this.length = at;
  }

  /**
   * Append `s` as UTF-8, as Node's `Buffer.write(s, 'utf8')` and `TextEncoder` encode it (a lone
   * surrogate becomes U+FFFD). Text without non-ASCII characters, nearly all output, is copied
   * code unit by code unit.
   */
  text(s: string): void {
    const n = s.length;
    this.reserve(n);
    const buf = this.buf;
    let at = this.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.length = at;
        this.utf8(s, i);
        return;
      }
      buf[at++] = c;
    }
    this.length = at;
  }

  /** The rest of `s` from code unit `from`, through the platform's encoder. */
  private utf8(s: string, from: number): void {
    const b = ENCODER.encode(s.slice(from));
    this.raw(b);
  }
}

const ENCODER = new TextEncoder();

/** `s` as UTF-8 bytes (for the parts of a line that are encoded once, up front). */
export function utf8(s: string): Uint8Array {
  return ENCODER.encode(s);
}
