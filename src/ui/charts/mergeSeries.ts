import type { RingView } from './SeriesRing.ts';

/** uPlot's aligned columns: one x, then one column per series (null: no point at that x). */
export type Aligned = [number[], ...(number | null)[][]];

/**
 * Aligns several time-sorted series on one time axis (uPlot's data model): a k-way merge of the
 * timestamps, each column holding its value where its series has a point and null elsewhere
 * (charts draw lines with `spanGaps`). Writes into `out` when given, so a chart reuses its arrays
 * frame after frame instead of allocating 10k-element arrays 60 times a second.
 */
export function mergeSeries(views: readonly RingView[], out?: Aligned): Aligned {
  const width = views.reduce((n, v) => n + v.cols.length, 0);
  const res: Aligned = out && out.length === width + 1 ? out : [[]];
  while (res.length < width + 1) res.push([]);
  const x = res[0];
  let n = 0;
  const idx = views.map(() => 0);
  for (;;) {
    let t = Infinity;
    for (let s = 0; s < views.length; s++) {
      const v = views[s]!;
      if (idx[s]! < v.t.length && v.t[idx[s]!]! < t) t = v.t[idx[s]!]!;
    }
    if (t === Infinity) break;
    x[n] = t;
    let col = 1;
    for (let s = 0; s < views.length; s++) {
      const v = views[s]!;
      const i = idx[s]!;
      const hit = i < v.t.length && v.t[i] === t;
      for (const c of v.cols) {
        const val = hit ? c[i]! : NaN;
        res[col++]![n] = Number.isNaN(val) ? null : val;
      }
      // Equal times within one series: keep the last value (its latest state at that instant).
      if (hit) {
        let j = i + 1;
        while (j < v.t.length && v.t[j] === t) j++;
        if (j > i + 1) {
          col -= v.cols.length;
          for (const c of v.cols) res[col++]![n] = Number.isNaN(c[j - 1]!) ? null : c[j - 1]!;
        }
        idx[s] = j;
      }
    }
    n++;
  }
  for (const a of res) a.length = n;
  return res;
}
