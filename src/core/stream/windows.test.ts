import { describe, expect, it } from 'vitest';
import type { Event } from '../events.ts';
import { Stream } from './Stream.ts';
import { slidingWindow, tumblingWindow, type SlidingAggregator } from './windows.ts';

const ev = (t: number, v = 0): Event => ({ timestamp: t, receipt_timestamp: t, v });

/** Window contents (timestamps), tracked through add/remove only. */
const members: SlidingAggregator<Event, { ts: number[] }, number[]> = {
  init: () => ({ ts: [] }),
  add(acc, x) {
    acc.ts.push(x.timestamp);
    return acc;
  },
  remove(acc, x) {
    expect(acc.ts[0]).toBe(x.timestamp); // removal is oldest first
    acc.ts.shift();
    return acc;
  },
  result: (acc) => acc.ts.slice(),
};

function slide(windowSec: number, ts: number[]): number[][] {
  const src = new Stream<Event>();
  const got: number[][] = [];
  slidingWindow(src, windowSec, members).sink((w) => got.push(w));
  ts.forEach((t) => src.emit(ev(t)));
  return got;
}

describe('slidingWindow', () => {
  it('keeps an item exactly windowSec old and evicts one a microsecond older', () => {
    expect(slide(10, [0, 5, 10, 10.000001])).toEqual([
      [0],
      [0, 5],
      [0, 5, 10], //    0 is exactly 10 s old: in
      [5, 10, 10.000001], // 0 is 10.000001 s old: out
    ]);
  });

  it('compares edges in integer µs, so float noise does not evict', () => {
    // Float subtraction can overshoot the window: 2.2 − 1.2 = 1.0000000000000002 > 1 and
    // 0.4 − 0.3 = 0.10000000000000003 > 0.1. In µs both are exact, so the old item stays.
    expect(2.2 - 1.2).toBeGreaterThan(1);
    expect(0.4 - 0.3).toBeGreaterThan(0.1);
    expect(slide(1, [1.2, 2.2, 2.200001])).toEqual([[1.2], [1.2, 2.2], [2.2, 2.200001]]);
    expect(slide(0.1, [0.3, 0.4])).toEqual([[0.3], [0.3, 0.4]]);
    // The brief's example, 61.1 − 1.1 with a 60 s window, and epoch-sized times.
    expect(slide(60, [1.1, 61.1, 61.100001])).toEqual([[1.1], [1.1, 61.1], [61.1, 61.100001]]);
    const t0 = 1_700_000_000.3;
    expect(slide(60, [t0, t0 + 60, t0 + 60.000001])).toEqual([
      [t0],
      [t0, t0 + 60],
      [t0 + 60, t0 + 60.000001],
    ]);
  });

  it('handles equal timestamps and evicts several items at once', () => {
    expect(slide(1, [1, 1, 1, 5])).toEqual([[1], [1, 1], [1, 1, 1], [5]]);
  });

  it('calls evicted with the remaining window after removals only', () => {
    const calls: number[][] = [];
    const agg: SlidingAggregator<Event, object, number> = {
      init: () => ({}),
      add: (a) => a,
      remove: (a) => a,
      evicted(a, window, from) {
        calls.push(window.slice(from).map((e) => e.timestamp));
        return a;
      },
      result: () => undefined, // undefined: nothing emitted
    };
    const src = new Stream<Event>();
    const got: unknown[] = [];
    slidingWindow(src, 2, agg).sink((x) => got.push(x));
    [0, 1, 2, 3, 3, 10].forEach((t) => src.emit(ev(t)));
    expect(calls).toEqual([[1, 2, 3], [10]]);
    expect(got).toEqual([]);
  });

  it('compacts its deque and snapshots only the live window', () => {
    const src = new Stream<Event>();
    const got: number[] = [];
    const w = slidingWindow(src, 10, {
      init: () => ({ n: 0 }),
      add: (a: { n: number }) => ({ n: a.n + 1 }),
      remove: (a: { n: number }) => ({ n: a.n - 1 }),
      result: (a: { n: number }) => a.n,
    });
    w.sink((n) => got.push(n));
    for (let i = 0; i < 5000; i++) src.emit(ev(i));
    expect(got[4999]).toBe(11); // items 4989 … 4999
    const state = w.getState() as { items: Event[]; head: number; acc: { n: number } };
    expect(state.items.map((e) => e.timestamp)).toEqual([
      4989, 4990, 4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999,
    ]);
    expect(state.head).toBe(0);
    expect(state.acc).toEqual({ n: 11 });
  });
});

interface Bucket {
  start: number;
  end: number;
  ts: number[];
  closer: number;
}

function tumble(windowSec: number, ts: number[]): Bucket[] {
  const src = new Stream<Event>();
  const got: Bucket[] = [];
  tumblingWindow(src, windowSec, {
    init: (x: Event) => [x.timestamp],
    add: (acc: number[], x: Event) => {
      acc.push(x.timestamp);
      return acc;
    },
    result: (acc: number[], start: number, end: number, closer: Event) => ({
      start,
      end,
      ts: acc,
      closer: closer.timestamp,
    }),
  }).sink((b) => got.push(b));
  ts.forEach((t) => src.emit(ev(t)));
  return got;
}

describe('tumblingWindow', () => {
  it('aligns the first bucket to a UTC multiple of the window, not to the first item', () => {
    expect(tumble(60, [125, 170, 180])).toEqual([
      { start: 120, end: 180, ts: [125, 170], closer: 180 },
    ]);
  });

  it('puts an item exactly at a bucket end into the next bucket and skips empty buckets', () => {
    expect(tumble(10, [0, 9.999999, 10, 45, 46, 50])).toEqual([
      { start: 0, end: 10, ts: [0, 9.999999], closer: 10 },
      { start: 10, end: 20, ts: [10], closer: 45 }, // [20, 40) empty: nothing
      { start: 40, end: 50, ts: [45, 46], closer: 50 },
    ]);
  });

  it('does not emit the open bucket until a later item arrives', () => {
    expect(tumble(60, [0, 30, 59.999999])).toEqual([]);
  });

  it('aligns float windows in µs (1.1 s buckets)', () => {
    // k = floor(t / 1.1): 2.2 → 2 ([2.2, 3.3)), 3.3 → 3
    expect(tumble(1.1, [2.2, 3.299999, 3.3])).toEqual([
      { start: 2.2, end: 3.3, ts: [2.2, 3.299999], closer: 3.3 },
    ]);
  });

  it('adds late items (earlier than the open bucket) to the open bucket', () => {
    expect(tumble(10, [25, 12, 31])).toEqual([{ start: 20, end: 30, ts: [25, 12], closer: 31 }]);
  });

  it('keeps equal timestamps together', () => {
    expect(tumble(10, [5, 5, 5, 10])).toEqual([{ start: 0, end: 10, ts: [5, 5, 5], closer: 10 }]);
  });
});
