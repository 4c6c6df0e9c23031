/** First index of sorted `ts[from, to)` whose time is after `t` (`to` if none). */
export function upperBound(ts: readonly number[], t: number, from = 0, to = ts.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
