import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event, TradeEvent } from '../../events.ts';
import { slidingAggregate, type SlidingAggregateSpec } from '../../stream/slidingAggregate.ts';
import { Stream } from '../../stream/Stream.ts';
import { compensatedSums, liftProduct, sumAt } from './compensatedSums.ts';
import { momentsSpec } from './moments.ts';
import { momentsWindow } from './momentsWindow.ts';
import { sumsWindow } from './sumsWindow.ts';

// momentsWindow and sumsWindow copy the generic window's steps with their monoid's combine
// written in (issue #14): they must give the very same bits, and the same snapshot state, as
// slidingAggregate over the same spec, on any stream (bursts, gaps longer than the window, late
// events, a restore mid-stream from either form's state).

const step = fc.record({
  dtUs: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 3_000_000 }),
    fc.integer({ min: 3_000_000, max: 50_000_000 }),
    fc.integer({ min: -4_000_000, max: -1 }),
  ),
  // Prices around 64k with awkward fractions, and exact ties.
  v: fc.oneof(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), fc.constant(64000.1)),
  amount: fc.oneof(fc.double({ min: 0, max: 50, noNaN: true }), fc.constant(0.3)),
  side: fc.constantFrom('buy', 'sell', 'other'),
});

type Step = Parameters<Parameters<typeof step.map>[0]>[0];

function eventsOf(steps: readonly Step[]): TradeEvent[] {
  let us = 1_700_000_000_000_000;
  return steps.map((s) => {
    us += s.dtUs;
    return {
      timestamp: us / 1e6,
      receipt_timestamp: us / 1e6 + 0.001,
      price: s.v,
      amount: s.amount,
      side: s.side,
      id: null,
    } as unknown as TradeEvent;
  });
}

type Build = (src: Stream<Event>) => Stream<unknown>;

/** Outputs of `build` over `events`, restoring at `cut` the state `restoreFrom` had there. */
function run(build: Build, events: readonly Event[], cut: number, restoreFrom?: Build): unknown[] {
  const src = new Stream<Event>();
  const op = build(src);
  const got: unknown[] = [];
  op.sink((e) => got.push(e));
  let state: unknown;
  if (restoreFrom) {
    const other = new Stream<Event>();
    const o = restoreFrom(other);
    events.slice(0, cut).forEach((e) => other.emit(e));
    state = structuredClone(o.getState());
  }
  events.forEach((e, i) => {
    if (i === cut && restoreFrom) {
      op.setState(state);
      got.length = 0;
    }
    if (!restoreFrom || i >= cut) src.emit(e);
  });
  return [got, op.getState()];
}

/** Same outputs, same state, bit for bit (Object.is: -0 and 0 differ). */
function expectSameBits(a: unknown, b: unknown): void {
  expect(JSON.stringify(a, bits)).toBe(JSON.stringify(b, bits));
}
function bits(_k: string, v: unknown): unknown {
  if (typeof v !== 'number') return v;
  return Object.is(v, -0) ? '-0' : v.toString(2);
}

const momentsResult = (agg: readonly number[], e: Event, x: number) => ({
  timestamp: e.timestamp,
  receipt_timestamp: e.receipt_timestamp,
  agg: [...agg],
  x,
});
const value = (e: Event) => e.price as number;

const SUMS = compensatedSums(2);
const tviLike: SlidingAggregateSpec<Event, Event> = {
  monoid: SUMS,
  lift(e, out, o) {
    const t = e as TradeEvent;
    const side = t.side === 'buy' ? 0 : t.side === 'sell' ? 2 : -1;
    out[o] = 0;
    out[o + 1] = 0;
    out[o + 2] = 0;
    out[o + 3] = 0;
    if (side >= 0) liftProduct(t.price, t.amount, out, o + side);
  },
  result: (agg, count, e) => ({
    timestamp: e.timestamp,
    receipt_timestamp: e.receipt_timestamp,
    agg: [...agg],
    count,
    total: sumAt(agg, 0) + sumAt(agg, 2),
  }),
};

describe('specialized windows', () => {
  const cases: [string, Build, Build][] = [
    [
      'momentsWindow',
      (s) => momentsWindow(s, 2.5, value, momentsResult),
      (s) => slidingAggregate(s, 2.5, momentsSpec(value, momentsResult)),
    ],
    ['sumsWindow', (s) => sumsWindow(s, 2.5, tviLike), (s) => slidingAggregate(s, 2.5, tviLike)],
  ];
  for (const [name, fast, generic] of cases) {
    it(`${name} gives the generic window's bits and state, restored from either`, () => {
      fc.assert(
        fc.property(fc.array(step, { maxLength: 400 }), fc.nat(400), (steps, cutAt) => {
          const events = eventsOf(steps);
          const cut = Math.min(cutAt, events.length);
          expectSameBits(run(fast, events, 0), run(generic, events, 0));
          expectSameBits(run(fast, events, cut, generic), run(generic, events, cut, generic));
          expectSameBits(run(generic, events, cut, fast), run(fast, events, cut, fast));
        }),
        { numRuns: 200 },
      );
    });
  }

  it('sumsWindow refuses a monoid compensatedSums did not make', () => {
    const fake = { ...tviLike, monoid: { ...SUMS } };
    expect(() => sumsWindow(new Stream<Event>(), 1, fake)).toThrow(/compensatedSums/);
  });
});
