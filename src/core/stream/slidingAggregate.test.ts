import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toMicros, type Event } from '../events.ts';
import { slidingAggregate, type Monoid, type SlidingAggregateSpec } from './slidingAggregate.ts';
import { Stream } from './Stream.ts';

const ev = (t: number, v = 0): Event => ({ timestamp: t, receipt_timestamp: t, v });

/**
 * A polynomial hash of the window's values in arrival order, `[B^len mod P, hash mod P]`:
 * associative but not commutative, so a wrong order or a wrong member changes it. Products stay
 * below 2^53, so the arithmetic is exact.
 */
const P = 1_000_003;
const B = 31;
const HASH: Monoid = {
  width: 2,
  identity: [1, 0],
  combine(a, ai, b, bi, out, o) {
    const pa = a[ai]!;
    const ha = a[ai + 1]!;
    const pb = b[bi]!;
    const hb = b[bi + 1]!;
    out[o] = (pa * pb) % P;
    out[o + 1] = (ha * pb + hb) % P;
  },
};

function hashOf(values: readonly number[]): number {
  return values.reduce((h, v) => (h * B + v) % P, 0);
}

const hashSpec: SlidingAggregateSpec<Event, { hash: number; count: number }> = {
  monoid: HASH,
  lift(x, out, o) {
    out[o] = B;
    out[o + 1] = (x.v as number) % P;
  },
  result: (agg, count) => ({ hash: agg[1]!, count }),
};

/** The window's timestamps, from a `[n, oldest, newest]` aggregate (enough to see the edges). */
const SPAN: Monoid = {
  width: 3,
  identity: [0, 0, 0],
  combine(a, ai, b, bi, out, o) {
    const na = a[ai]!;
    const nb = b[bi]!;
    const first = na > 0 ? a[ai + 1]! : b[bi + 1]!;
    const last = nb > 0 ? b[bi + 2]! : a[ai + 2]!;
    out[o] = na + nb;
    out[o + 1] = first;
    out[o + 2] = last;
  },
};

function slide(windowSec: number, ts: number[]): [number, number, number][] {
  const src = new Stream<Event>();
  const got: [number, number, number][] = [];
  slidingAggregate(src, windowSec, {
    monoid: SPAN,
    lift(x, out, o) {
      out[o] = 1;
      out[o + 1] = x.timestamp;
      out[o + 2] = x.timestamp;
    },
    result: (agg, count) => {
      expect(agg[0]).toBe(count);
      return [count, agg[1]!, agg[2]!] as [number, number, number];
    },
  }).sink((w) => got.push(w));
  ts.forEach((t) => src.emit(ev(t)));
  return got;
}

/** Reference: the window as a plain list, evicting from the front what is older than w. */
function bruteForce(windowSec: number, items: readonly (readonly [number, number])[]): number[][] {
  const w = toMicros(windowSec);
  let win: (readonly [number, number])[] = [];
  return items.map((it) => {
    win.push(it);
    const now = toMicros(it[0]);
    while (toMicros(win[0]![0]) < now - w) win = win.slice(1);
    return win.map((x) => x[1]);
  });
}

describe('slidingAggregate', () => {
  it('keeps an item exactly windowSec old and evicts one a microsecond older', () => {
    expect(slide(10, [0, 5, 10, 10.000001])).toEqual([
      [1, 0, 0],
      [2, 0, 5],
      [3, 0, 10], //           0 is exactly 10 s old: in
      [3, 5, 10.000001], //    0 is 10.000001 s old: out
    ]);
  });

  it('compares edges in integer µs, so float noise does not evict', () => {
    // 2.2 − 1.2 = 1.0000000000000002 > 1 in floats; in µs it is exactly 1 s, so 1.2 stays.
    expect(2.2 - 1.2).toBeGreaterThan(1);
    expect(slide(1, [1.2, 2.2, 2.200001])).toEqual([
      [1, 1.2, 1.2],
      [2, 1.2, 2.2],
      [2, 2.2, 2.200001],
    ]);
    const t0 = 1_700_000_000.3;
    expect(slide(60, [t0, t0 + 60, t0 + 60.000001]).map((w) => w[0])).toEqual([1, 2, 2]);
  });

  it('handles equal timestamps and evicts several items at once', () => {
    expect(slide(1, [1, 1, 1, 5])).toEqual([
      [1, 1, 1],
      [2, 1, 1],
      [3, 1, 1],
      [1, 5, 5],
    ]);
  });

  it('aggregates exactly the brute-force window, in order, over any stream', () => {
    const item = fc.record({
      dtUs: fc.oneof(
        fc.constant(0), // bursts of equal timestamps
        fc.integer({ min: 1, max: 3_000_000 }),
        fc.integer({ min: 3_000_000, max: 50_000_000 }), // gaps longer than the window
        fc.integer({ min: -4_000_000, max: -1 }), // late events
      ),
      v: fc.integer({ min: 0, max: 1_000_000 }),
    });
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 300 }),
        fc.constantFrom(0.000001, 1, 2.5),
        (steps, windowSec) => {
          let us = 1_700_000_000_000_000;
          const items = steps.map((s) => {
            us += s.dtUs;
            return [us / 1e6, s.v] as const;
          });
          const src = new Stream<Event>();
          const got: { hash: number; count: number }[] = [];
          slidingAggregate(src, windowSec, hashSpec).sink((r) => got.push(r));
          items.forEach(([t, v]) => src.emit(ev(t, v)));
          const want = bruteForce(windowSec, items);
          expect(got).toEqual(want.map((w) => ({ hash: hashOf(w), count: w.length })));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('grows its ring, snapshots only the live window, and restores to the same outputs', () => {
    const run = (n: number, restoreAt?: number): { hash: number; count: number }[] => {
      let src = new Stream<Event>();
      let op = slidingAggregate(src, 10, hashSpec);
      const got: { hash: number; count: number }[] = [];
      op.sink((r) => got.push(r));
      for (let i = 0; i < n; i++) {
        if (i === restoreAt) {
          // As checkpoints travel: structured clone (postMessage, IndexedDB, V8 serialization).
          const state = structuredClone(op.getState());
          src = new Stream<Event>();
          op = slidingAggregate(src, 10, hashSpec);
          op.setState(state);
          op.sink((r) => got.push(r));
        }
        src.emit(ev(i * 0.5, (i * 7919) % 1000));
      }
      return got;
    };
    const whole = run(5000);
    expect(whole[4999]!.count).toBe(21); // t = 2489.5 … 2499.5
    for (const at of [1, 20, 21, 22, 1500, 4998]) expect(run(5000, at)).toEqual(whole);
    const src = new Stream<Event>();
    const op = slidingAggregate(src, 10, hashSpec);
    for (let i = 0; i < 5000; i++) src.emit(ev(i * 0.5, i));
    const s = op.getState() as { us: Float64Array; vals: Float64Array; split: number };
    // Typed arrays: a checkpoint clones each as one copy.
    expect(s.us).toBeInstanceOf(Float64Array);
    expect(s.vals).toBeInstanceOf(Float64Array);
    expect(s.us).toHaveLength(21);
    expect(s.us[0]).toBe(toMicros(2489.5));
    expect(s.vals).toHaveLength(42);
    expect(s.split).toBeGreaterThanOrEqual(0);
    expect(s.split).toBeLessThanOrEqual(21);
  });

  it('restores a state of plain arrays (as earlier versions wrote: stored cluster checkpoints) to the same outputs', () => {
    const feed = (op: ReturnType<typeof slidingAggregate>, src: Stream<Event>, from: number) => {
      const got: unknown[] = [];
      op.sink((r) => got.push(r));
      for (let i = from; i < 3000; i++) src.emit(ev(i * 0.5, (i * 104729) % 997));
      return got;
    };
    const src0 = new Stream<Event>();
    const whole = feed(slidingAggregate(src0, 10, hashSpec), src0, 0);
    const src1 = new Stream<Event>();
    const op1 = slidingAggregate(src1, 10, hashSpec);
    for (let i = 0; i < 1200; i++) src1.emit(ev(i * 0.5, (i * 104729) % 997));
    const typed = op1.getState() as { us: Float64Array; vals: Float64Array };
    const plain = { ...typed, us: Array.from(typed.us), vals: Array.from(typed.vals) };
    const src2 = new Stream<Event>();
    const op2 = slidingAggregate(src2, 10, hashSpec);
    op2.setState(JSON.parse(JSON.stringify(plain)));
    expect(feed(op2, src2, 1200)).toEqual(whole.slice(1200));
  });

  it('grows a ring that has wrapped around (evictions first, then a burst) without losing order', () => {
    // A sparse stretch moves the window's head around the 16-slot ring; a burst then fills it, so
    // the ring grows with head > 0 and the front/back split anywhere inside it.
    const phase = (minLength: number, maxLength: number, dtUs: fc.Arbitrary<number>) =>
      fc.array(fc.record({ dtUs, v: fc.integer({ min: 0, max: 1_000_000 }) }), {
        minLength,
        maxLength,
      });
    fc.assert(
      fc.property(
        phase(17, 60, fc.integer({ min: 300_000, max: 2_000_000 })),
        phase(20, 150, fc.constantFrom(0, 0, 1, 1000)),
        phase(0, 40, fc.integer({ min: 0, max: 2_000_000 })),
        fc.constantFrom(3, 10),
        (sparse, burst, after, windowSec) => {
          let us = 1_700_000_000_000_000;
          const items = [...sparse, ...burst, ...after].map((s) => {
            us += s.dtUs;
            return [us / 1e6, s.v] as const;
          });
          const src = new Stream<Event>();
          const got: { hash: number; count: number }[] = [];
          slidingAggregate(src, windowSec, hashSpec).sink((r) => got.push(r));
          items.forEach(([t, v]) => src.emit(ev(t, v)));
          const want = bruteForce(windowSec, items);
          expect(got).toEqual(want.map((w) => ({ hash: hashOf(w), count: w.length })));
        },
      ),
      { numRuns: 150 },
    );
  });
});
