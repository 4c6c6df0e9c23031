import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compensatedSums, liftProduct, sumAt } from '../definitions/builtin/compensatedSums.ts';
import { momentsVariance } from '../definitions/builtin/moments.ts';
import type { Event } from '../events.ts';
import { slidingAggregate, type SlidingAggregateSpec } from '../stream/slidingAggregate.ts';
import { Stream } from '../stream/Stream.ts';
import { userApi } from './userApi.ts';

// A user definition's `slidingAggregate` over `momentsSpec` or a `compensatedSums` monoid takes
// the built-ins' specialised window; it must give the generic window's very bits, and a spec the
// user changed after making it must not take it.

const events = fc
  .array(
    fc.record({
      dtUs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40_000_000 })),
      v: fc.oneof(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), fc.constant(64000.1)),
      a: fc.double({ min: 0, max: 5, noNaN: true }),
    }),
    { maxLength: 300 },
  )
  .map((steps) => {
    let us = 1_700_000_000_000_000;
    return steps.map((s) => {
      us += s.dtUs;
      return { timestamp: us / 1e6, receipt_timestamp: us / 1e6, price: s.v, amount: s.a };
    });
  });

function outputs(build: (src: Stream<Event>) => Stream<unknown>, evs: readonly Event[]): unknown[] {
  const src = new Stream<Event>();
  const got: unknown[] = [];
  build(src).sink((e) => got.push(e));
  for (const e of evs) src.emit(e);
  return got;
}

const momentsOf = () =>
  userApi.momentsSpec(
    (e) => (e as unknown as { price: number }).price,
    (agg, e) => ({ timestamp: e.timestamp, v: momentsVariance(agg) }),
  );

const sumsOf = (): SlidingAggregateSpec<Event, unknown> => ({
  monoid: compensatedSums(2),
  lift: (e, out, o) => {
    const t = e as unknown as { price: number; amount: number };
    liftProduct(t.price, t.amount, out, o);
  },
  result: (agg, _n, e) => ({ timestamp: e.timestamp, pv: sumAt(agg, 0), q: sumAt(agg, 1) }),
});

describe('user slidingAggregate', () => {
  it('over momentsSpec takes the moments window, with the generic bits', () => {
    const src = new Stream<Event>();
    expect(userApi.slidingAggregate(src, 5, momentsOf()).constructor.name).toBe(
      'MomentsWindowStream',
    );
    fc.assert(
      fc.property(events, (evs) => {
        const user = outputs((s) => userApi.slidingAggregate(s, 5, momentsOf()), evs);
        const generic = outputs((s) => slidingAggregate(s, 5, momentsOf()), evs);
        expect(user).toEqual(generic);
      }),
      { numRuns: 100 },
    );
  });

  it('over a compensatedSums monoid takes the sums window, with the generic bits', () => {
    const src = new Stream<Event>();
    expect(userApi.slidingAggregate(src, 5, sumsOf()).constructor.name).toBe('SumsWindowStream');
    fc.assert(
      fc.property(events, (evs) => {
        const user = outputs((s) => userApi.slidingAggregate(s, 5, sumsOf()), evs);
        const generic = outputs((s) => slidingAggregate(s, 5, sumsOf()), evs);
        expect(user).toEqual(generic);
      }),
      { numRuns: 100 },
    );
  });

  it('a momentsSpec changed after it was made takes the generic window and its new result', () => {
    const spec: SlidingAggregateSpec<Event, unknown> = momentsOf();
    spec.result = (_agg, n) => ({ timestamp: 0, n });
    const src = new Stream<Event>();
    const op = userApi.slidingAggregate(src, 5, spec);
    expect(op.constructor.name).toBe('SlidingAggregateStream');
    const got: unknown[] = [];
    op.sink((e) => got.push(e));
    src.emit({ timestamp: 1, receipt_timestamp: 1, price: 2 } as Event);
    src.emit({ timestamp: 2, receipt_timestamp: 2, price: 3 } as Event);
    expect(got).toEqual([
      { timestamp: 0, n: 1 },
      { timestamp: 0, n: 2 },
    ]);
  });
});
