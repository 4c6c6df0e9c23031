/**
 * Error-free transformations of doubles (Knuth's TwoSum, Dekker's TwoProduct), the building
 * blocks of the exact window sums and double-double means. Each returns the rounded result and
 * stores the exact rounding error in {@link err}, so a hot loop allocates nothing.
 *
 * TwoSum is exact for any finite inputs whose sum does not overflow. TwoProduct is exact when the
 * product stays within ~1e-290…1e300 in magnitude (or is 0): Dekker's split overflows above, and
 * the error underflows below. Engine notionals (1e-30…1e30) are far inside.
 */
export const err = { value: 0 };

/** `a + b` rounded; `err.value` = the exact error, so `a + b = result + err.value` exactly. */
export function twoSum(a: number, b: number): number {
  const s = a + b;
  const bb = s - a;
  err.value = a - (s - bb) + (b - bb);
  return s;
}

/** 2^27 + 1: Veltkamp's splitter for 53-bit doubles. */
const SPLITTER = 134217729;

/** `a · b` rounded; `err.value` = the exact error, so `a · b = result + err.value` exactly. */
export function twoProduct(a: number, b: number): number {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  err.value = ah * bh - p + ah * bl + al * bh + al * bl;
  return p;
}

/**
 * The sum of `xs` to within one ulp of the exact sum: Shewchuk's non-overlapping partials
 * (Python's `math.fsum` idea), so terms that cancel leave no residue — equal and opposite terms
 * sum to exactly 0, and an exact sum of 0 gives exactly 0.
 * O(n · partials); for the few terms of one event (user definitions, `featurizer` API).
 */
export function exactSum(xs: readonly number[]): number {
  const partials: number[] = [];
  for (let x of xs) {
    let n = 0;
    for (let j = 0; j < partials.length; j++) {
      let y = partials[j]!;
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[n++] = lo;
      x = hi;
    }
    partials.length = n;
    partials.push(x);
  }
  // The partials do not overlap: adding them largest first rounds once where it matters.
  let total = 0;
  for (let j = partials.length - 1; j >= 0; j--) total += partials[j]!;
  return total;
}
