/**
 * Exact arithmetic for tests (imported by *.test.ts only): every finite double is a rational
 * `m·2^e` with integer m, so sums, differences and products of doubles are exact as BigInt
 * "dyadic" rationals, and a quotient of two of them is rounded only once, when converted back
 * to a number for comparison. Nothing here shares code with the engine's float arithmetic.
 */

/** The exact value `m · 2^e` (m a BigInt, e an integer). */
export interface Exact {
  readonly m: bigint;
  readonly e: number;
}

export const ZERO: Exact = { m: 0n, e: 0 };

const view = new DataView(new ArrayBuffer(8));

/** The exact value of a finite double, from its bits (no decimal rounding on the way). */
export function exact(x: number): Exact {
  if (!Number.isFinite(x)) throw new Error(`not finite: ${x}`);
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased !== 0) mant |= 1n << 52n; // normal: the implicit leading 1
  const e = (biased === 0 ? 1 : biased) - 1075;
  return { m: sign * mant, e };
}

function align(a: Exact, b: Exact): [bigint, bigint, number] {
  if (a.e === b.e) return [a.m, b.m, a.e];
  if (a.e > b.e) return [a.m << BigInt(a.e - b.e), b.m, b.e];
  return [a.m, b.m << BigInt(b.e - a.e), a.e];
}

export function add(a: Exact, b: Exact): Exact {
  const [x, y, e] = align(a, b);
  return { m: x + y, e };
}

export function sub(a: Exact, b: Exact): Exact {
  const [x, y, e] = align(a, b);
  return { m: x - y, e };
}

export function mul(a: Exact, b: Exact): Exact {
  return { m: a.m * b.m, e: a.e + b.e };
}

/** An integer, exactly. */
export function int(n: number | bigint): Exact {
  return { m: BigInt(n), e: 0 };
}

export function sign(a: Exact): -1 | 0 | 1 {
  return a.m === 0n ? 0 : a.m > 0n ? 1 : -1;
}

export function sumOf(xs: readonly Exact[]): Exact {
  return xs.reduce(add, ZERO);
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * `a / b` as a number, within 2⁻⁶⁰ relative of the exact quotient before the final rounding to a
 * double (so within one ulp of it). Throws on division by zero.
 */
export function ratio(a: Exact, b: Exact): number {
  if (b.m === 0n) throw new Error('division by zero');
  if (a.m === 0n) return 0;
  const neg = a.m < 0n !== b.m < 0n;
  const x = a.m < 0n ? -a.m : a.m;
  const y = b.m < 0n ? -b.m : b.m;
  // Scale x so that the integer quotient has ≥ 64 significant bits.
  const k = 64 - (bitLength(x) - bitLength(y));
  const q = k >= 0 ? (x << BigInt(k)) / y : x / (y << BigInt(-k));
  // In two factors, so that neither overflows nor underflows on its own.
  const p = a.e - b.e - k;
  const half = Math.trunc(p / 2);
  const value = Number(q) * 2 ** half * 2 ** (p - half);
  return neg ? -value : value;
}

/** `a` as a number (rounded once, to within an ulp). */
export function toNumber(a: Exact): number {
  return ratio(a, int(1));
}
