import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event } from '../core/events.ts';
import {
  EventPacker,
  eventCount,
  eventLine,
  eventSource,
  type PackedEvents,
  unpackEvent,
} from './ReplayEventPack.ts';

const num = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e-300, 5e-324, Number.MAX_SAFE_INTEGER + 2, 64000.1),
);
const side = fc.constantFrom('bid', 'ask');
const book = fc.record({
  timestamp: num,
  receipt_timestamp: num,
  delta: fc.boolean(),
  orders: fc.array(fc.tuple(side, num, num), { maxLength: 6 }),
});
const trade = fc.record({
  timestamp: num,
  receipt_timestamp: num,
  side: fc.constantFrom('buy', 'sell'),
  amount: num,
  price: num,
  id: fc.string(),
});
const ticker = fc.record({ timestamp: num, receipt_timestamp: num, bid: num, ask: num });
/** Shapes the packer must not pack: passed as they are, still equal after the trip. */
const odd = fc.oneof(
  book.map((b) => ({ ...b, sequence: 7 })),
  book.map(({ orders, delta, ...rest }) => ({ ...rest, orders, delta })),
  trade.map((t) => ({ ...t, id: 42 })),
  ticker.map(({ bid, ask, ...rest }) => ({ ...rest, ask, bid })),
  book.map((b) => ({ ...b, orders: [['mid', 1, 2]] })),
  fc.record({ timestamp: num, receipt_timestamp: num, value: fc.string() }),
);
const event = fc.oneof(book, trade, ticker, odd) as fc.Arbitrary<Event>;

/** JSON with the key order of every object, and -0 told apart from 0. */
function exact(e: unknown): string {
  return JSON.stringify(e, (_k, v: unknown) =>
    typeof v === 'number' && Object.is(v, -0) ? '-0' : v,
  );
}

function trip(p: PackedEvents): PackedEvents {
  // As a run crosses threads (the buffers transferred).
  return structuredClone(p);
}

describe('ReplayEventPack (decoded events between threads)', () => {
  it('rebuilds every event equal to what was packed, key order and -0 included, with its line and source', () => {
    fc.assert(
      fc.property(
        fc.nat(1e6),
        fc.array(fc.array(fc.tuple(fc.nat(5), event), { maxLength: 4 }), { maxLength: 30 }),
        fc.array(num, { minLength: 30, maxLength: 30 }),
        (from, perLine, ts) => {
          const packer = new EventPacker(from);
          const want: [number, number, string][] = [];
          perLine.forEach((evs, i) => {
            packer.line(ts[i]!);
            for (const [s, e] of evs) {
              packer.event(s, e);
              want.push([from + i, s, exact(e)]);
            }
          });
          const { packed, transfer } = packer.finish();
          expect(transfer).toHaveLength(3);
          const p = trip(packed);
          expect(p.from).toBe(from);
          expect(p.to).toBe(from + perLine.length);
          expect([...p.ts]).toEqual(ts.slice(0, perLine.length));
          const got: [number, number, string][] = [];
          for (let i = 0; i < eventCount(p); i++)
            got.push([eventLine(p, i), eventSource(p, i), exact(unpackEvent(p, i))]);
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('packs the normalized shapes into numbers (only other shapes travel as objects)', () => {
    const packer = new EventPacker(0);
    packer.line(1);
    packer.event(0, { timestamp: 1, receipt_timestamp: 2, delta: true, orders: [['ask', 3, 4]] });
    packer.event(0, {
      timestamp: 1,
      receipt_timestamp: 2,
      side: 'buy',
      amount: 1,
      price: 2,
      id: 'x',
    });
    packer.event(0, { timestamp: 1, receipt_timestamp: 2, bid: 1, ask: 2 });
    packer.event(0, { timestamp: 1, receipt_timestamp: 2, bid: 1, ask: 2, extra: true });
    const { packed } = packer.finish();
    expect(packed.other).toHaveLength(1);
    expect(packed.ids).toEqual(['x']);
  });
});
