import { describe, expect, it } from 'vitest';
import type { L2BookEvent, MarketEvent } from '../../core/events.ts';
import { fixtureFrames } from '../../testing/venues/fixtureFrames.ts';
import { createKrakenAdapter } from './kraken.ts';
import { quotePriceQty } from './kraken/quote.ts';
import type { AdapterOutput, VenueAdapter } from './VenueAdapter.ts';

// The docs' instrument snapshot lists BTC/USD and MATIC/GBP only, not MATIC/USD: pass its
// precisions (4/8, per research §4.1) explicitly.
const MATIC = { 'MATIC/USD': { price_precision: 4, qty_precision: 8 } };
const BOOK = fixtureFrames('kraken-v2-book.json'); // [sub req, sub ack, snapshot, update]

function events(outputs: AdapterOutput[]): MarketEvent[] {
  return outputs.flatMap((o) => (o.type === 'event' ? [o.event] : []));
}

function only<T extends AdapterOutput['type']>(outputs: AdapterOutput[], type: T) {
  return outputs.filter((o): o is Extract<AdapterOutput, { type: T }> => o.type === type);
}

function feed(adapter: VenueAdapter, frames: string[], ts = 100): AdapterOutput[] {
  return frames.flatMap((f) => adapter.onFrame(f, ts));
}

describe('quotePriceQty', () => {
  it('quotes price and qty numbers, keeping their text', () => {
    expect(quotePriceQty('{"price": 0.10000000,"qty":45281.0}')).toBe(
      '{"price": "0.10000000","qty":"45281.0"}',
    );
    expect(quotePriceQty('{"price":"1.0","x":2}')).toBe('{"price":"1.0","x":2}');
    expect(quotePriceQty('{"price_precision":4}')).toBe('{"price_precision":4}');
  });
});

describe('Kraken v2 adapter', () => {
  describe('book', () => {
    it('verifies the documented snapshot and update checksums and emits both', () => {
      const kraken = createKrakenAdapter({ precisions: MATIC });
      const out = feed(kraken, BOOK);
      expect(only(out, 'gap')).toEqual([]);
      expect(only(out, 'notice')).toEqual([]);
      const [snap, update] = events(out);
      expect(snap).toMatchObject({ exchange: 'KRAKEN', instrument_type: 'spot' });
      expect(snap!.symbol).toBe('MATIC-USD');
      expect(snap!.channel).toBe('l2_book');
      const s = snap!.event as L2BookEvent;
      expect(s.delta).toBe(false);
      expect(s.timestamp).toBeCloseTo(1696613755.440295, 6);
      expect(s.receipt_timestamp).toBe(100);
      expect(s.orders).toHaveLength(20);
      expect(s.orders).toContainEqual(['bid', 0.5666, 4831.75496356]);
      expect(s.orders).toContainEqual(['bid', 0.566, 18097.1547]);
      expect(s.orders).toContainEqual(['ask', 0.5677, 36304.0847022]);
      const u = update!.event as L2BookEvent;
      expect(u.delta).toBe(true);
      expect(u.orders).toEqual([['bid', 0.5657, 1098.3947558]]);
    });

    it('verifies the same checksums when every book frame is pre-quoted (exact wire text)', () => {
      const out = feed(createKrakenAdapter({ precisions: MATIC, alwaysQuote: true }), BOOK);
      expect(out.map((o) => o.type)).toEqual(['event', 'event']);
      expect((events(out)[1]!.event as L2BookEvent).orders).toEqual([
        ['bid', 0.5657, 1098.3947558],
      ]);
    });

    it('takes precisions from the instrument channel (checksum guide, BTC/USD 1/8)', () => {
      const kraken = createKrakenAdapter();
      const out = feed(kraken, [
        ...fixtureFrames('kraken-v2-instrument.json'),
        ...fixtureFrames('kraken-v2-book-checksum-guide.json'),
      ]);
      expect(only(out, 'gap')).toEqual([]);
      const [snap] = events(out);
      expect(snap!.symbol).toBe('BTC-USD');
      const s = snap!.event as L2BookEvent;
      expect(s.delta).toBe(false);
      expect(s.timestamp).toBe(100); // no timestamp in the guide frame: receipt time
      expect(s.orders).toContainEqual(['bid', 45283.5, 0.1]);
      expect(s.orders).toContainEqual(['ask', 45285.2, 0.001]);
    });

    it('flags a checksum mismatch when precisions are wrong', () => {
      const kraken = createKrakenAdapter({
        precisions: { 'MATIC/USD': { price_precision: 3, qty_precision: 8 } },
      });
      const gaps = only(feed(kraken, BOOK), 'gap');
      expect(gaps).toHaveLength(1);
      expect(gaps[0]).toMatchObject({ symbol: 'MATIC-USD', reason: 'checksum' });
    });

    it('warns once and passes the book through when no precisions are known', () => {
      const out = feed(createKrakenAdapter(), BOOK);
      expect(only(out, 'notice')).toHaveLength(1);
      expect(only(out, 'notice')[0]!.level).toBe('warn');
      expect(events(out)).toHaveLength(2);
    });

    it('on a corrupted checksum: gap, resubscribe, no book events until the next snapshot', () => {
      const kraken = createKrakenAdapter({ precisions: MATIC });
      feed(kraken, BOOK.slice(0, 3));
      const corrupted = BOOK[3]!.replace('2114181697', '2114181698');
      const out = kraken.onFrame(corrupted, 101);
      expect(events(out)).toEqual([]);
      expect(only(out, 'gap')).toEqual([
        {
          type: 'gap',
          symbol: 'MATIC-USD',
          channel: 'l2_book',
          reason: 'checksum',
          detail: expect.stringContaining('2114181698') as unknown as string,
          receipt_timestamp: 101,
        },
      ]);
      const sends = only(out, 'send').map((s) => JSON.parse(s.frame) as Record<string, unknown>);
      expect(sends.map((s) => s.method)).toEqual(['unsubscribe', 'subscribe']);
      expect(sends[0]!.params).toEqual({ channel: 'book', symbol: ['MATIC/USD'], depth: 10 });
      expect(sends[1]!.params).toEqual({
        channel: 'book',
        symbol: ['MATIC/USD'],
        depth: 10,
        snapshot: true,
      });
      // Updates before the fresh snapshot are dropped silently.
      expect(kraken.onFrame(BOOK[3]!, 102)).toEqual([]);
      const again = feed(kraken, [BOOK[2]!, BOOK[3]!], 103);
      expect(events(again).map((e) => (e.event as L2BookEvent).delta)).toEqual([false, true]);
    });

    it('trims the book to the subscribed depth and reports the trimmed level as deleted', () => {
      const kraken = createKrakenAdapter({ precisions: MATIC });
      feed(kraken, BOOK.slice(0, 3));
      // New best bid 0.5667 pushes 0.5657 out of the top 10. Checksum computed independently
      // (python zlib over the hand-built top-10 string with 4/8 precisions).
      const update =
        '{"channel":"book","type":"update","data":[{"symbol":"MATIC/USD","bids":[{"price":0.5667,"qty":100.0}],"asks":[],"checksum":1193057193,"timestamp":"2023-10-06T17:35:56.000000Z"}]}';
      const out = kraken.onFrame(update, 104);
      expect(only(out, 'gap')).toEqual([]);
      const [e] = events(out);
      expect((e!.event as L2BookEvent).orders).toEqual([
        ['bid', 0.5667, 100],
        ['bid', 0.5657, 0],
      ]);
    });

    it('marks books invalid on disconnect until a new snapshot', () => {
      const kraken = createKrakenAdapter({ precisions: MATIC });
      feed(kraken, BOOK.slice(0, 3));
      expect(kraken.onDisconnect(105)).toEqual([
        {
          type: 'gap',
          symbol: 'MATIC-USD',
          channel: 'l2_book',
          reason: 'disconnect',
          detail: 'connection closed',
          receipt_timestamp: 105,
        },
      ]);
      expect(kraken.onFrame(BOOK[3]!, 106)).toEqual([]);
      expect(kraken.onDisconnect(107)).toEqual([]);
    });
  });

  it('emits trades from the snapshot and the update (taker side, string ids)', () => {
    const out = feed(createKrakenAdapter(), fixtureFrames('kraken-v2-trade.json'));
    expect(out.every((o) => o.type === 'event')).toBe(true);
    const trades = events(out);
    expect(trades.map((t) => [t.symbol, t.channel])).toEqual([
      ['MATIC-USD', 'trades'],
      ['MATIC-USD', 'trades'],
      ['MATIC-USD', 'trades'],
    ]);
    const [a, , c] = trades.map((t) => t.event);
    // 2023-09-25T07:48:36Z = 1695628116, 07:49:37Z = 1695628177 (python datetime).
    expect(a).toEqual({
      timestamp: expect.closeTo(1695628116.925533, 6) as unknown as number,
      receipt_timestamp: 100,
      side: 'buy',
      amount: 6423.46326,
      price: 0.5147,
      id: '4665846',
    });
    expect(c).toEqual({
      timestamp: expect.closeTo(1695628177.708706, 6) as unknown as number,
      receipt_timestamp: 100,
      side: 'sell',
      amount: 40,
      price: 0.5117,
      id: '4665906',
    });
  });

  it('emits best bid/ask from ticker frames', () => {
    const tickers = events(feed(createKrakenAdapter(), fixtureFrames('kraken-v2-ticker.json')));
    expect(tickers.map((t) => [t.symbol, t.channel])).toEqual([
      ['ALGO-USD', 'ticker'],
      ['ALGO-USD', 'ticker'],
    ]);
    // 2023-09-25T09:04:31Z = 1695632671 (python datetime).
    expect(tickers[0]!.event).toEqual({
      timestamp: expect.closeTo(1695632671.742648, 6) as unknown as number,
      receipt_timestamp: 100,
      bid: 0.10025,
      ask: 0.10036,
    });
    expect(tickers[1]!.event).toMatchObject({ bid: 0.10025, ask: 0.10035 });
  });

  it('turns control frames into nothing or a notice', () => {
    const out = feed(createKrakenAdapter(), fixtureFrames('kraken-v2-control.json'));
    expect(out).toEqual([{ type: 'notice', level: 'info', detail: 'kraken status: online' }]);
    const refused = createKrakenAdapter().onFrame(
      '{"error":"Currency pair not supported","method":"subscribe","success":false,"symbol":"X/Y"}',
      1,
    );
    expect(refused).toEqual([
      {
        type: 'notice',
        level: 'error',
        detail: 'kraken subscribe failed: Currency pair not supported',
      },
    ]);
  });

  it('reports malformed input instead of throwing', () => {
    const kraken = createKrakenAdapter();
    for (const bad of [
      '{"channel":"book",',
      '[]',
      '42',
      '{"foo":1}',
      '{"channel":"trade","type":"update","data":"x"}',
      '{"channel":"trade","type":"update","data":[{"symbol":"A/B","side":"up"}]}',
      '{"channel":"book","type":"delta","data":[]}',
    ]) {
      const out = kraken.onFrame(bad, 7);
      expect(out).toHaveLength(1);
      expect(out[0]).toMatchObject({ type: 'malformed', receipt_timestamp: 7 });
    }
  });

  it('treats an unreadable level in a live book as a reset', () => {
    const kraken = createKrakenAdapter({ precisions: MATIC });
    feed(kraken, BOOK.slice(0, 3));
    const bad =
      '{"channel":"book","type":"update","data":[{"symbol":"MATIC/USD","bids":[{"price":"abc","qty":1}],"asks":[],"checksum":1}]}';
    const out = kraken.onFrame(bad, 8);
    expect(out.map((o) => o.type)).toEqual(['malformed', 'gap', 'send', 'send']);
  });

  it('subscribes per channel, with the instrument channel for book precisions', () => {
    const kraken = createKrakenAdapter({ bookDepth: 25 });
    const subs = [
      { channel: 'l2_book', symbol: 'BTC-USD' },
      { channel: 'l2_book', symbol: 'ETH-USD' },
      { channel: 'trades', symbol: 'BTC-USD' },
      { channel: 'ticker', symbol: 'BTC-USD' },
      { channel: 'trades', symbol: 'BTC-USD-PERP' }, // no perps on Kraken spot: skipped
    ] as const;
    expect(kraken.endpoints(subs)).toEqual(['wss://ws.kraken.com/v2']);
    expect(kraken.endpoints([{ channel: 'trades', symbol: 'BTC-USD-PERP' }])).toEqual([]);
    const frames = kraken.subscribeFrames('wss://ws.kraken.com/v2', subs).map((f) => JSON.parse(f));
    expect(frames).toEqual([
      { method: 'subscribe', params: { channel: 'instrument', snapshot: true }, req_id: 1 },
      {
        method: 'subscribe',
        params: { channel: 'book', symbol: ['BTC/USD', 'ETH/USD'], depth: 25, snapshot: true },
        req_id: 2,
      },
      {
        method: 'subscribe',
        params: { channel: 'trade', symbol: ['BTC/USD'], snapshot: false },
        req_id: 3,
      },
      {
        method: 'subscribe',
        params: { channel: 'ticker', symbol: ['BTC/USD'], event_trigger: 'bbo' },
        req_id: 4,
      },
    ]);
    expect(kraken.keepAlive).toEqual({ frame: '{"method":"ping"}', intervalSec: 30 });
  });
});
