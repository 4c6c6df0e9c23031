import { describe, expect, it } from 'vitest';
import { Decimator } from './decimate.ts';

/** A deterministic wiggly series: `n` points 1 ms apart, two columns. */
function series(n: number) {
  const t = new Float64Array(n);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
  for (let i = 0; i < n; i++) {
    t[i] = 1000 + i;
    a[i] = Math.sin(i / 50) * 10 + rnd();
    b[i] = i % 97 === 0 ? NaN : rnd() * 100;
  }
  return { t, cols: [a, b] };
}

describe('Decimator', () => {
  it('keeps, per pixel column, the first, the last and each column’s extremes, in time order', () => {
    const v = series(10_000);
    const buckets = 100;
    const out = new Decimator().run(v, 1000, 10_999, buckets);
    expect(out.t.length).toBeLessThanOrEqual(buckets * 6);
    expect(out.t.length).toBeGreaterThan(buckets * 2);
    for (let k = 1; k < out.t.length; k++) expect(out.t[k]!).toBeGreaterThan(out.t[k - 1]!);
    const kept = new Map<number, number[]>();
    out.t.forEach((t, k) => kept.set(t, [out.cols[0]![k]!, out.cols[1]![k]!]));
    // Brute force over the full series: 100 points per column here (10 000 ms / 100 buckets).
    for (let b = 0; b < buckets; b++) {
      const idx = [...Array(100).keys()].map((k) => b * 100 + k);
      expect(kept.has(v.t[idx[0]!]!)).toBe(true);
      expect(kept.has(v.t[idx[99]!]!)).toBe(true);
      for (const c of [0, 1]) {
        const vals = idx.map((i) => v.cols[c]![i]!).filter((x) => !Number.isNaN(x));
        const shown = idx.filter((i) => kept.has(v.t[i]!)).map((i) => v.cols[c]![i]!);
        expect(Math.min(...shown.filter((x) => !Number.isNaN(x)))).toBe(Math.min(...vals));
        expect(Math.max(...shown.filter((x) => !Number.isNaN(x)))).toBe(Math.max(...vals));
      }
      // Values travel with their time.
      for (const i of idx) if (kept.has(v.t[i]!)) expect(kept.get(v.t[i]!)![0]).toBe(v.cols[0]![i]);
    }
  });

  it('passes a series that already fits the pixels through unchanged', () => {
    const v = series(150);
    const out = new Decimator().run(v, 1000, 1149, 100);
    expect([...out.t]).toEqual([...v.t]);
    expect([...out.cols[1]!]).toEqual([...v.cols[1]!]);
  });

  it('keeps one point beyond each edge of a range inside the data, so lines leave the plot', () => {
    const v = series(1000);
    const out = new Decimator().run(v, 1500, 1599, 400);
    expect(out.t[0]).toBe(1499);
    expect(out.t[out.t.length - 1]).toBe(1600);
    expect(out.t.length).toBe(102);
  });

  it('reuses its buffers from call to call', () => {
    const d = new Decimator();
    const a = d.run(series(5000), 1000, 5999, 50);
    const b = d.run(series(5000), 1000, 5999, 50);
    expect(b.t.buffer).toBe(a.t.buffer);
  });
});
