import { describe, expect, it } from 'vitest';
import type { Event } from '../events.ts';
import { Stream } from './Stream.ts';
import { tumblingWindow } from './windows.ts';

const ev = (t: number, v = 0): Event => ({ timestamp: t, receipt_timestamp: t, v });

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
