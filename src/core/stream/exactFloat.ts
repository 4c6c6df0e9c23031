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
  let n = 0;
  for (const x of xs) n = growPartials(partials, n, x);
  return partialsTotal(partials, n);
}

/**
 * Adds `x` to the non-overlapping partials `p[0..n)` in place (Shewchuk's grow step, the loop of
 * {@link exactSum}) and returns their new count. Their exact sum is the exact sum of every term
 * added; it is 0 exactly when every partial is 0. Reusing `p` keeps a hot loop allocation-free.
 */
export function growPartials(p: number[], n: number, x: number): number {
  let k = 0;
  for (let j = 0; j < n; j++) {
    let y = p[j]!;
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) p[k++] = lo;
    x = hi;
  }
  p[k++] = x;
  return k;
}

/** The sum of partials `p[0..n)` to within one ulp. They do not overlap: adding them largest first rounds once where it matters. */
export function partialsTotal(p: readonly number[], n: number): number {
  let total = 0;
  for (let j = n - 1; j >= 0; j--) total += p[j]!;
  return total;
}
