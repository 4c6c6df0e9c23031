import { describe, expect, it } from 'vitest';
import { SeriesRing } from './SeriesRing.ts';

const ev = (t: number, v: number) => ({ timestamp: t, receipt_timestamp: t, v, w: v * 2 });

describe('SeriesRing', () => {
  it('keeps the newest `capacity` points, oldest first, as contiguous views', () => {
    const r = new SeriesRing(['v', 'w'], 3);
    for (let i = 1; i <= 5; i++) r.push(ev(i, i * 10));
    const { t, cols } = r.view();
    expect([...t]).toEqual([3, 4, 5]);
    expect([...cols[0]!]).toEqual([30, 40, 50]);
    expect([...cols[1]!]).toEqual([60, 80, 100]);
    expect(r.size).toBe(3);
    expect(r.version).toBe(5);
  });

  it('windows by time and never lets time run backwards', () => {
    const r = new SeriesRing(['v'], 10);
    for (const t of [1, 2, 3, 2.5, 6]) r.push(ev(t, t));
    expect([...r.view().t]).toEqual([1, 2, 3, 3, 6]);
    expect([...r.view(3).t]).toEqual([3, 3, 6]);
  });

  it('lists numeric fields only', () => {
    expect(SeriesRing.fieldsOf({ timestamp: 1, receipt_timestamp: 1, a: 1, b: 'x', c: 2 })).toEqual(
      ['a', 'c'],
    );
  });
});
