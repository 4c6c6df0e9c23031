/** Samples kept per sparkline (at 10 Hz: the last ~12 s). */
export const SPARK_POINTS = 120;
/** Height of the sparkline's viewBox; its width is `SPARK_POINTS - 1` (one unit per sample). */
export const SPARK_HEIGHT = 20;

/**
 * The SVG path data of a sparkline: the first `n` of `values`, one x unit per sample from the
 * left, scaled so the lowest is at the bottom and the highest at the top of a
 * `0 0 (SPARK_POINTS-1) SPARK_HEIGHT` box (half a unit of margin for the stroke). A flat series
 * is drawn mid-height. Fewer than two samples draw nothing (`''`).
 */
export function sparkPath(values: Float64Array, n: number): string {
  if (n < 2) return '';
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  const usable = SPARK_HEIGHT - 1;
  let d = '';
  for (let i = 0; i < n; i++) {
    const y =
      span > 0 ? SPARK_HEIGHT - 0.5 - ((values[i]! - lo) / span) * usable : SPARK_HEIGHT / 2;
    d += `${i === 0 ? 'M' : 'L'}${i} ${Math.round(y * 10) / 10}`;
  }
  return d;
}
