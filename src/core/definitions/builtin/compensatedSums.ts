import type { Monoid } from '../../stream/slidingAggregate.ts';
import { err, twoProduct } from '../../stream/exactFloat.ts';

/**
 * `k` compensated sums side by side, `[s₀, c₀, s₁, c₁, …]`, each sum being `s + c`: `s` the
 * rounded sum and `c` the accumulated rounding errors (Neumaier's compensation, generalised to a
 * merge: `s = s_a + s_b` by TwoSum, `c = c_a + c_b + its error`). A sum of n terms is then off by
 * at most ~n·2⁻¹⁰⁶·Σ|terms| before its final rounding, i.e. exactly rounded for any realistic
 * window, where a plain running sum is off by up to n·2⁻⁵³·Σ|terms|.
 *
 * Why compensation and not integer ticks: notional is price × amount of two decimals with
 * different, venue-specific tick sizes, and the engine sees doubles, not the decimal strings; an
 * exact product of doubles is a double-double (Dekker's TwoProduct, {@link liftProduct}) and a
 * compensated sum keeps what matters of it without assuming any tick grid.
 */
export function compensatedSums(k: number): Monoid {
  const width = 2 * k;
  const m: Monoid = {
    width,
    identity: new Array<number>(width).fill(0),
    combine: (a, ai, b, bi, out, o) => combineSums(a, ai, b, bi, out, o, width),
  };
  SUMS_MONOIDS.add(m);
  return m;
}

const SUMS_MONOIDS = new WeakSet<Monoid>();

/** Whether `m` was made by {@link compensatedSums} (so its combine is {@link combineSums}). */
export function isCompensatedSums(m: Monoid): boolean {
  return SUMS_MONOIDS.has(m);
}

/**
 * The combine of {@link compensatedSums} with `width` = 2k, as a plain function so a window that
 * only ever holds compensated sums (sumsWindow.ts) calls it directly and V8 can inline it.
 */
export function combineSums(
  a: readonly number[],
  ai: number,
  b: readonly number[],
  bi: number,
  out: number[],
  o: number,
  width: number,
): void {
  for (let j = 0; j < width; j += 2) {
    const x = a[ai + j]!;
    const y = b[bi + j]!;
    const c = a[ai + j + 1]! + b[bi + j + 1]!;
    const s = x + y;
    const t = s - x;
    out[o + j] = s;
    out[o + j + 1] = c + (x - (s - t) + (y - t));
  }
}

/** Write `price · amount` exactly, as a compensated sum pair, at `out[o]`, `out[o + 1]`. */
export function liftProduct(price: number, amount: number, out: number[], o: number): void {
  out[o] = twoProduct(price, amount);
  out[o + 1] = err.value;
}

/** The value of the compensated sum at `agg[i]`, `agg[i + 1]` (one rounding). */
export function sumAt(agg: readonly number[], i: number): number {
  return agg[i]! + agg[i + 1]!;
}

/** `(sum at i) − (sum at j)` with one rounding of the difference of the leading parts. */
export function differenceAt(agg: readonly number[], i: number, j: number): number {
  const x = agg[i]!;
  const y = -agg[j]!;
  const s = x + y;
  const t = s - x;
  return s + (x - (s - t) + (y - t) + (agg[i + 1]! - agg[j + 1]!));
}
