import type { RingView } from './SeriesRing.ts';

/**
 * M4 decimation into reused buffers: the points of `view` with `tMin <= t <= tMax` split into
 * `buckets` equal time slices (one per pixel column of the plot), and of each slice only the
 * first, the last, and each column's minimum and maximum are kept, in time order. A line drawn
 * through what is kept covers exactly the pixels the full series would: the same extremes per
 * column, the same entry and exit. 10 charts × 10k points become ~4 points per pixel column, so
 * uPlot ranges and strokes a few thousand points per frame instead of 100k. The nearest point
 * outside the range on each side is kept too, so a panned line runs off the plot's edges.
 */
export class Decimator {
  private t = new Float64Array(0);
  private cols: Float64Array[] = [];
  private readonly picks: number[] = [];

  /** The decimated points as views into this decimator's buffers (valid until the next call). */
  run(view: RingView, tMin: number, tMax: number, buckets: number): RingView {
    const { t, cols } = view;
    const n = t.length;
    let lo = lowerBound(t, tMin);
    let hi = lowerBound(t, tMax, lo);
    while (hi < n && t[hi] === tMax) hi++;
    if (lo > 0) lo--;
    if (hi < n) hi++;
    const nb = Math.max(1, Math.floor(buckets));
    this.reserve(Math.min(hi - lo, nb * (2 + 2 * cols.length) + 2), cols.length);
    let m = 0;
    const keep = (i: number): void => {
      this.t[m] = t[i]!;
      for (let c = 0; c < cols.length; c++) this.cols[c]![m] = cols[c]![i]!;
      m++;
    };
    if (hi - lo <= nb * 2) {
      for (let i = lo; i < hi; i++) keep(i);
      return this.out(m);
    }
    const scale = nb / Math.max(tMax - tMin, Number.MIN_VALUE);
    const picks = this.picks;
    let i = lo;
    while (i < hi) {
      const b = bucketOf(t[i]!, tMin, scale, nb);
      let j = i + 1;
      while (j < hi && bucketOf(t[j]!, tMin, scale, nb) === b) j++;
      // Slice [i, j): first, last, and each column's extremes (NaN never wins a comparison).
      picks.length = 0;
      picks.push(i, j - 1);
      for (const col of cols) {
        let min = i;
        let max = i;
        for (let k = i + 1; k < j; k++) {
          const v = col[k]!;
          if (v < col[min]! || Number.isNaN(col[min]!)) min = k;
          if (v > col[max]! || Number.isNaN(col[max]!)) max = k;
        }
        picks.push(min, max);
      }
      picks.sort((a, b) => a - b);
      for (let k = 0; k < picks.length; k++)
        if (k === 0 || picks[k] !== picks[k - 1]) keep(picks[k]!);
      i = j;
    }
    return this.out(m);
  }

  private out(m: number): RingView {
    return { t: this.t.subarray(0, m), cols: this.cols.map((c) => c.subarray(0, m)) };
  }

  private reserve(points: number, width: number): void {
    if (this.t.length < points) this.t = new Float64Array(points * 2);
    const cap = this.t.length;
    if (this.cols.length !== width || (this.cols[0]?.length ?? cap) !== cap)
      this.cols = Array.from({ length: width }, () => new Float64Array(cap));
  }
}

/** Pixel column of `t`; points outside the range fall in the first or last one. */
function bucketOf(t: number, tMin: number, scale: number, buckets: number): number {
  return Math.min(buckets - 1, Math.max(0, Math.floor((t - tMin) * scale)));
}

/** First index `>= from` whose time is `>= x` (times ascend). */
function lowerBound(t: Float64Array, x: number, from = 0): number {
  let lo = from;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
