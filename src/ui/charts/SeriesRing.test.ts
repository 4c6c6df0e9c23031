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

  it('cuts the window where time jumps back (a replay loop), instead of piling points at the end', () => {
    const r = new SeriesRing(['v'], 4);
    for (const t of [10, 11, 12, 13, 14, 15]) r.push(ev(t, t)); // full, wrapped
    r.push(ev(11.5, 1)); // 3.5 s back: a new pass
    expect([...r.view().t]).toEqual([11.5]);
    expect([...r.view().cols[0]!]).toEqual([1]);
    for (const t of [12, 13, 14, 15, 16]) r.push(ev(t, t));
    expect([...r.view().t]).toEqual([13, 14, 15, 16]);
  });

  it('after rewind(t), drops later points and cuts at the next earlier one however small the step', () => {
    const r = new SeriesRing(['v'], 10);
    for (const t of [1, 2, 3, 4]) r.push(ev(t, t));
    const v = r.version;
    r.rewind(2.5);
    expect([...r.view().t]).toEqual([1, 2]);
    expect(r.version).toBeGreaterThan(v);
    r.push(ev(1.9, 19)); // the replay's first event back sits just before the playhead
    expect([...r.view().t]).toEqual([1, 1.9]);
    r.push(ev(1.8, 18)); // a later late event is clamped again, not cut
    expect([...r.view().t]).toEqual([1, 1.9, 1.9]);
  });

  it('lists numeric fields only', () => {
    expect(SeriesRing.fieldsOf({ timestamp: 1, receipt_timestamp: 1, a: 1, b: 'x', c: 2 })).toEqual(
      ['a', 'c'],
    );
  });
});
