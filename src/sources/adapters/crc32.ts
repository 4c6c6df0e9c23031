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

/*
 * CRC parts. The CRC register is affine in its input: running bytes `s` (length L) from register
 * `r` gives `Z_L(r) ^ K(s)`, where `K(s)` is the register `s` leaves starting from 0 and `Z_L`
 * (running L zero bytes) is linear. So a string's contribution is the pair (K, L), cached once per
 * string, and appending it to a running CRC is `Z_L` by four table lookups instead of re-reading
 * the bytes: checksums over cached level tokens (Kraken) cost a few lookups per level.
 *
 * A part is packed into one double, `L · 2^32 + K` (exact below 2^53), so caches hold plain numbers.
 */

const TWO_32 = 4294967296;

/** Packs a register and a length into a part. */
function packPart(register: number, length: number): number {
  return length * TWO_32 + (register >>> 0);
}

/** Byte length of a part. */
export function crc32PartLength(part: number): number {
  return Math.floor(part / TWO_32);
}

/** Z_L as four byte tables (bits 0–7, 8–15, 16–23, 24–31 of the register), built on first use. */
const ZERO_TABLES: (Int32Array | undefined)[] = [];
/** Longer runs of zeros go through `shiftOperator` (rare: a whole side of long tokens). */
const MAX_TABLE_LENGTH = 1024;

function zeroTable(length: number): Int32Array {
  let z = ZERO_TABLES[length];
  if (z !== undefined) return z;
  z = new Int32Array(1024);
  // Z_L is linear over GF(2): run the 32 one-bit registers through L zero bytes, then XOR.
  const bit = new Int32Array(32);
  for (let b = 0; b < 32; b++) {
    let c = 1 << b;
    for (let i = 0; i < length; i++) c = T0[c & 0xff]! ^ (c >>> 8);
    bit[b] = c;
  }
  for (let k = 0; k < 4; k++) {
    for (let v = 1; v < 256; v++) {
      const low = v & -v; // lowest set bit: entry = entry without it ^ that bit's image
      z[k * 256 + v] = z[k * 256 + (v ^ low)]! ^ bit[k * 8 + 31 - Math.clz32(low)]!;
    }
  }
  ZERO_TABLES[length] = z;
  return z;
}

/** Register after `length` zero bytes from `register`. */
function runZeros(register: number, length: number): number {
  if (length === 0) return register;
  if (length > MAX_TABLE_LENGTH) {
    // x^(8L) · r mod P, in the reflected representation zlib uses for crc32_combine.
    return multModP(shiftOperator(length), register);
  }
  const z = zeroTable(length);
  return (
    z[register & 0xff]! ^
    z[256 + ((register >>> 8) & 0xff)]! ^
    z[512 + ((register >>> 16) & 0xff)]! ^
    z[768 + (register >>> 24)]!
  );
}

/** The part of a string (ASCII, as `crc32`). */
export function crc32PartOf(text: string): number {
  let c = 0;
  for (let i = 0; i < text.length; i++) c = T0[(c ^ text.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return packPart(c, text.length);
}

const DIGITS = new Uint8Array(24);

/**
 * The part of the decimal digits of a non-negative integer `n` < 2^53 (`String(n)` without making
 * the string): no leading zeros, `0` for zero.
 */
export function crc32PartOfInteger(n: number): number {
  let length = 0;
  do {
    const q = Math.floor(n / 10);
    DIGITS[length++] = 48 + (n - q * 10);
    n = q;
  } while (n > 0);
  let c = 0;
  for (let i = length - 1; i >= 0; i--) c = T0[(c ^ DIGITS[i]!) & 0xff]! ^ (c >>> 8);
  return packPart(c, length);
}

/** The part of the concatenation `a + b`. */
export function crc32JoinParts(a: number, b: number): number {
  const lengthB = crc32PartLength(b);
  return packPart(runZeros(a >>> 0, lengthB) ^ (b >>> 0), crc32PartLength(a) + lengthB);
}

/** `crc32(s, previous)` for the string `s` behind `part`: chains like `crc32`. */
export function crc32AppendPart(previous: number, part: number): number {
  return ~(runZeros(~previous, crc32PartLength(part)) ^ (part >>> 0)) >>> 0;
}
