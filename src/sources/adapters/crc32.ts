/**
 * Standard CRC-32 (IEEE 802.3 / zlib / PNG: reflected polynomial 0xEDB88320, init and final xor
 * 0xFFFFFFFF), the checksum Kraken, OKX and Bitfinex use for order books.
 */

/** Slicing-by-4 tables: T[0] is the classic byte table, T[k] advances k more zero bytes. */
const [T0, T1, T2, T3] = makeTables();

function makeTables(): [Int32Array, Int32Array, Int32Array, Int32Array] {
  const t0 = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t0[n] = c;
  }
  const next = (prev: Int32Array): Int32Array => prev.map((p) => (p >>> 8) ^ t0[p & 0xff]!);
  const t1 = next(t0);
  const t2 = next(t1);
  return [t0, t1, t2, next(t2)];
}

/**
 * CRC-32 of the string's bytes as an unsigned 32-bit integer. Only the low byte of each UTF-16 code
 * unit is used: checksum strings are ASCII (digits, `.`, `:`, `-`, `e`).
 *
 * `previous` chains like zlib's `crc32(data, value)`: `crc32(b, crc32(a)) === crc32(a + b)`, so a
 * checksum over many level strings needs no concatenation.
 */
export function crc32(text: string, previous = 0): number {
  let c = ~previous;
  const n = text.length;
  const end = n - (n & 3);
  let i = 0;
  // Four bytes per step (slicing-by-4): about twice the byte-at-a-time speed in V8.
  for (; i < end; i += 4) {
    c ^=
      (text.charCodeAt(i) & 0xff) |
      ((text.charCodeAt(i + 1) & 0xff) << 8) |
      ((text.charCodeAt(i + 2) & 0xff) << 16) |
      ((text.charCodeAt(i + 3) & 0xff) << 24);
    c = T3[c & 0xff]! ^ T2[(c >>> 8) & 0xff]! ^ T1[(c >>> 16) & 0xff]! ^ T0[c >>> 24]!;
  }
  for (; i < n; i++) c = T0[(c ^ text.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** The same CRC as a signed 32-bit integer (how OKX and Bitfinex transmit it). */
export function crc32Signed(text: string, previous = 0): number {
  return crc32(text, previous) | 0;
}

const POLY = 0xedb88320;

/** Product of two polynomials modulo the CRC polynomial (reflected bit order), as zlib's multmodp. */
function multModP(a: number, b: number): number {
  if (a === 0) return 0;
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p;
}

/** X2N[k] = x^(2^k) mod P. */
const X2N = new Int32Array(32);
X2N[0] = 0x40000000;
for (let k = 1; k < 32; k++) X2N[k] = multModP(X2N[k - 1]!, X2N[k - 1]!);

/** x^(8·len) mod P, the operator that appends `len` zero bytes; cached for short lengths. */
const SHIFT_CACHE = new Int32Array(1024);
function shiftOperator(len: number): number {
  if (len < SHIFT_CACHE.length && SHIFT_CACHE[len] !== 0) return SHIFT_CACHE[len]!;
  let p = 0x80000000 | 0; // x^0
  let k = 3;
  for (let n = len; n > 0; n >>>= 1, k++) if (n & 1) p = multModP(X2N[k & 31]!, p);
  if (len < SHIFT_CACHE.length) SHIFT_CACHE[len] = p;
  return p;
}

/**
 * CRC-32 of `a + b` from `crc32(a)`, `crc32(b)` and `b.length` (zlib's `crc32_combine`), so parts
 * of a checksummed string can be cached separately.
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  return (multModP(shiftOperator(lengthB), crcA) ^ crcB) >>> 0;
}
