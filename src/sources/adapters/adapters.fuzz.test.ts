/**
 * Fuzz suite over the raw frames of every venue adapter (issue #10 §8): real fixture frames,
 * mutated (fields deleted, hostile numbers and strings, types swapped, deep nesting, truncation)
 * and fed in random order to a fresh adapter. Whatever comes in, an adapter never throws, every
 * rejection is a `malformed` output with a reason, and every event it emits is a valid normalized
 * input line (finite numbers within the documented bounds). Each property stops generating cases
 * after a time budget (`interruptAfterTimeLimit`), so the suite's CI time stays bounded whatever
 * the machine; a case that never returned would fail the test by its timeout.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { marketEventFrom } from '../../core/batch/inputLine.ts';
import type { MarketEvent } from '../../core/events.ts';
import {
  damage,
  damaged,
  HOSTILE_NUMBERS,
  HOSTILE_STRINGS,
} from '../../testing/core/hostileJson.ts';
import {
  endpointsOf,
  VENUE_PREFIX,
  venueFrames as fixtureVenueFrames,
} from '../../testing/venues/venueFixtures.ts';
import { createAdapter } from './registry.ts';
import type { AdapterOutput } from './VenueAdapter.ts';

/** Time budget of one property, in ms (six venues and two properties each: ~40 s worst case). */
const BUDGET_MS = 3_000;

const FIXTURE_FILES = [
  'binance-spot-aggTrade-bookTicker-real-capture.json',
  'binance-spot-bookTicker-docs.json',
  'binance-spot-control-docs.json',
  'binance-spot-depth-docs.json',
  'binance-spot-depth-real-capture-LRCBTC.json',
  'binance-spot-trade-docs.json',
  'binance-usdm-aggTrade-bookTicker-real-capture.json',
  'binance-usdm-depth-real-capture-KEEPUSDT.json',
  'binance-usdm-docs.json',
  'bybit-v5-control.json',
  'bybit-v5-orderbook.json',
  'bybit-v5-publicTrade.json',
  'bybit-v5-tickers.json',
  'coinbase-advanced-heartbeats.json',
  'coinbase-advanced-level2.json',
  'coinbase-advanced-market_trades.json',
  'coinbase-advanced-ticker.json',
  'kraken-v2-book-checksum-guide.json',
  'kraken-v2-book.json',
  'kraken-v2-control.json',
  'kraken-v2-instrument.json',
  'kraken-v2-ticker.json',
  'kraken-v2-trade.json',
  'okx-books-checksum-docs-legacy-example.json',
  'okx-books-docs-current.json',
  'okx-books-real-capture-2022-with-checksum-UNI-USD-SWAP.json',
  'okx-tickers-docs.json',
  'okx-trades-docs.json',
  'okx-trades-tickers-real-capture-2022.json',
];

/** The real frames of a venue, plus the WS-API snapshot responses the Binance depth captures need. */
function venueFrames(exchange: string): string[] {
  const prefix = VENUE_PREFIX[exchange]!;
  return fixtureVenueFrames(
    exchange,
    FIXTURE_FILES.filter((f) => f.startsWith(prefix)),
  );
}

/** Paths of every number in `v` that is NaN or ±Infinity, and of every null or undefined. */
function nonFinite(v: unknown, path = '', out: string[] = []): string[] {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) out.push(`${path}=${v}`);
  } else if (v === null || v === undefined) out.push(`${path}=${String(v)}`);
  else if (typeof v === 'object')
    for (const [k, c] of Object.entries(v)) nonFinite(c, `${path}.${k}`, out);
  return out;
}

/**
 * Checks one output; throws (failing the property) with what is wrong. An event must pass the
 * normalized input line's validation (finite, price > 0, size ≥ 0, magnitude and time bounds) and
 * must carry no non-finite number anywhere.
 */
function checkOutput(o: AdapterOutput, receiptTs: number): void {
  if (o.type === 'event') {
    const e: MarketEvent = o.event;
    expect(nonFinite(e)).toEqual([]);
    marketEventFrom(JSON.parse(JSON.stringify(e)), 1);
    // Buffered diffs keep their own receipt time (Binance sync): never a later one.
    expect(e.event.receipt_timestamp).toBeLessThanOrEqual(receiptTs);
  } else if (o.type === 'malformed') {
    expect(typeof o.detail).toBe('string');
    expect(o.detail.length).toBeGreaterThan(5);
    expect(o.receipt_timestamp).toBe(receiptTs);
  } else if (o.type === 'gap') {
    expect(typeof o.symbol).toBe('string');
    expect(Number.isFinite(o.receipt_timestamp)).toBe(true);
  } else if (o.type === 'send') expect(typeof o.frame).toBe('string');
  else expect(typeof o.detail).toBe('string');
}

/** The fields each venue's trades and quotes take their price and size (or bid and ask) from. */
const NUMBER_FIELDS: Record<string, Record<'trades' | 'ticker', string[]>> = {
  BINANCE: { trades: ['p', 'q'], ticker: ['b', 'a'] },
  BINANCE_FUTURES: { trades: ['p', 'q'], ticker: ['b', 'a'] },
  BYBIT: { trades: ['p', 'v'], ticker: ['bid1Price', 'ask1Price'] },
  COINBASE: { trades: ['price', 'size'], ticker: ['best_bid', 'best_ask'] },
  KRAKEN: { trades: ['price', 'qty'], ticker: ['bid', 'ask'] },
  OKX: { trades: ['px', 'sz'], ticker: ['bidPx', 'askPx'] },
};

const EXCHANGES = ['BINANCE', 'BINANCE_FUTURES', 'BYBIT', 'COINBASE', 'KRAKEN', 'OKX'];

describe.each(EXCHANGES)('%s adapter under hostile frames', (exchange) => {
  const frames = venueFrames(exchange);
  const urls = [undefined, ...endpointsOf(exchange)];
  const step = fc.record({
    frame: fc.nat(),
    damage,
    url: fc.constantFrom(...urls),
    disconnect: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
  });

  it('never throws, rejects with a reason, and emits only valid, finite events', () => {
    expect(frames.length).toBeGreaterThan(3);
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const adapter = createAdapter(exchange);
        let ts = 1_700_000_000;
        for (const s of steps) {
          ts += 0.25;
          const text = damaged(frames[s.frame % frames.length]!, s.damage);
          const outs = s.disconnect
            ? adapter.onDisconnect(ts, s.url)
            : adapter.onFrame(text, ts, s.url);
          for (const o of outs) checkOutput(o, ts);
        }
      }),
      { numRuns: 100_000, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false },
    );
  }, 60_000);

  it('a bad number in a trade or quote rejects it with the field named', () => {
    // Frames that give exactly one trade or ticker event from a fresh adapter, with its channel.
    const single: [string, 'trades' | 'ticker'][] = [];
    for (const f of frames) {
      const evs = createAdapter(exchange)
        .onFrame(f, 1_700_000_000, urls[1])
        .flatMap((o) => (o.type === 'event' && o.event.channel !== 'l2_book' ? [o.event] : []));
      if (evs.length === 1) single.push([f, evs[0]!.channel as 'trades' | 'ticker']);
    }
    expect(single.length).toBeGreaterThan(0);
    const bad = fc.constantFrom<unknown>(
      // Neither a valid price nor a valid size (0 is a valid size).
      ...HOSTILE_STRINGS.filter(
        (s) => s === '' || s.trim() !== s || !(+s >= 1e-15 && +s <= 1e15 && +s !== 0),
      ).filter((s) => s !== '0' && s !== '-0'),
      ...HOSTILE_NUMBERS.filter((n) => !(n >= 1e-15 && n <= 1e15) && n !== 0),
      null,
      true,
      [],
    );
    fc.assert(
      fc.property(fc.nat(), fc.nat(), bad, (i, j, value) => {
        const [frame, channel] = single[i % single.length]!;
        const fields = NUMBER_FIELDS[exchange]![channel];
        const msg = JSON.parse(frame) as unknown;
        // Every number-bearing field of the item, wherever it sits in the frame.
        const slots: [Record<string, unknown>, string][] = [];
        const walk = (v: unknown): void => {
          if (Array.isArray(v)) v.forEach(walk);
          else if (typeof v === 'object' && v !== null) {
            for (const [k, c] of Object.entries(v)) {
              if (fields.includes(k) && (typeof c === 'string' || typeof c === 'number'))
                slots.push([v as Record<string, unknown>, k]);
              walk(c);
            }
          }
        };
        walk(msg);
        fc.pre(slots.length > 0);
        const [obj, key] = slots[j % slots.length]!;
        // Bybit and OKX send "" for an empty side: no quote, and not malformed.
        if (['bid1Price', 'ask1Price', 'bidPx', 'askPx'].includes(key)) fc.pre(value !== '');
        obj[key] = value;
        const outs = createAdapter(exchange).onFrame(JSON.stringify(msg), 1_700_000_000, urls[1]);
        const events = outs.filter((o) => o.type === 'event');
        const reasons = outs.flatMap((o) => (o.type === 'malformed' ? [o.detail] : []));
        expect(events).toEqual([]);
        expect(reasons).toHaveLength(1);
        expect(reasons[0]).toMatch(new RegExp(`(^|[ .])${key}(\\[\\d+\\])*: `));
      }),
      { numRuns: 2_000, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false },
    );
  }, 60_000);
});
