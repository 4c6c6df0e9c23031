/**
 * CRC-32 helpers only tests need: the signed form OKX and Bitfinex transmit, and zlib's
 * `crc32_combine` (its own copy of zlib's polynomial arithmetic, so it stays independent of the
 * product code), an independent way to check the CRC parts the Kraken adapter caches.
 */
import { crc32 } from '../../sources/adapters/crc32.ts';

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
