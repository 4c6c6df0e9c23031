import { describe, expect, it } from 'vitest';
import type { MarketEvent, TickerEvent } from '../../core/events.ts';
import { createBinanceAdapter, createBinanceFuturesAdapter } from './binance.ts';
import { createBybitAdapter } from './bybit.ts';
import { createCoinbaseAdapter } from './coinbase.ts';
import { createKrakenAdapter } from './kraken.ts';
import { createOkxAdapter } from './okx.ts';
import type { AdapterOutput, VenueAdapter } from './VenueAdapter.ts';

const events = (outs: AdapterOutput[]): MarketEvent[] =>
  outs.flatMap((o) => (o.type === 'event' ? [o.event] : []));
const malformedDetails = (outs: AdapterOutput[]): string[] =>
  outs.flatMap((o) => (o.type === 'malformed' ? [o.detail] : []));

/** The frame gives no event and exactly one malformed output whose detail starts with `reason`. */
function rejects(a: VenueAdapter, frame: string, reason: string, url?: string): void {
  const outs = a.onFrame(frame, 1700000000, url);
  expect(events(outs)).toEqual([]);
  const details = malformedDetails(outs);
  expect(details).toHaveLength(1);
  expect(details[0]!.startsWith(reason), `${details[0]} starts with ${reason}`).toBe(true);
}

const binanceTrade = (fields: Record<string, unknown>): string =>
  JSON.stringify({
    stream: 'btcusdt@aggTrade',
    data: {
      e: 'aggTrade',
      E: 1700000000100,
      s: 'BTCUSDT',
      a: 5,
      p: '36000.10',
      q: '0.5',
      T: 1700000000099,
      m: true,
      ...fields,
    },
  });

describe('bad numbers are malformed frames, never events', () => {
  it('Binance trades: negative price, infinite or negative quantity, overflowing values', () => {
    const a = createBinanceAdapter();
    expect(events(a.onFrame(binanceTrade({}), 1))).toHaveLength(1);
    rejects(a, binanceTrade({ p: '-5', q: 'Infinity' }), 'aggTrade p: expected a positive price');
    rejects(a, binanceTrade({ q: '-0.5' }), 'aggTrade q: expected a size ≥ 0, got -0.5');
    rejects(a, binanceTrade({ q: 'Infinity' }), 'aggTrade q: expected a decimal number');
    rejects(a, binanceTrade({ p: '1e308' }), 'aggTrade p: outside the magnitude bound');
    rejects(a, binanceTrade({ T: 0 }), 'aggTrade T: epoch 0 is not a venue time');
    rejects(a, binanceTrade({ p: ' 5' }), 'aggTrade p: expected a decimal number, got " 5"');
    const futures = createBinanceFuturesAdapter();
    rejects(futures, binanceTrade({ q: '-1' }), 'aggTrade q: expected a size ≥ 0');
  });

  it('Binance depth: a bad level names its side and index', () => {
    const a = createBinanceAdapter();
    const diff = JSON.stringify({
      stream: 'btcusdt@depth@100ms',
      data: {
        e: 'depthUpdate',
        E: 1700000000100,
        s: 'BTCUSDT',
        U: 1,
        u: 2,
        b: [['100', '1']],
        a: [
          ['101', '1'],
          ['1e999', '1'],
        ],
      },
    });
    rejects(a, diff, 'depthUpdate a[1][0]: expected a finite number, got Infinity');
  });

  it('Coinbase: a price of 1e999 and a zero ticker price', () => {
    const a = createCoinbaseAdapter();
    const trade = (price: string) =>
      JSON.stringify({
        channel: 'market_trades',
        timestamp: '2023-02-09T20:19:35.39625135Z',
        sequence_num: 0,
        events: [
          {
            type: 'update',
            trades: [
              {
                trade_id: '1',
                product_id: 'ETH-USD',
                price,
                size: '0.1',
                side: 'BUY',
                time: '2023-02-09T20:19:35.395Z',
              },
            ],
          },
        ],
      });
    rejects(a, trade('1e999'), 'market_trades price: expected a finite number, got Infinity');
    const ticker = JSON.stringify({
      channel: 'ticker',
      timestamp: '2023-02-09T20:30:37.167359596Z',
      sequence_num: 1,
      events: [
        { type: 'update', tickers: [{ product_id: 'BTC-USD', best_bid: '0', best_ask: '1' }] },
      ],
    });
    rejects(a, ticker, 'ticker best_bid: expected a positive price, got 0');
  });

  it('Coinbase: a non-integer sequence_num is malformed and does not poison the sequence check', () => {
    const a = createCoinbaseAdapter();
    const hb = (seq: unknown) =>
      JSON.stringify({ channel: 'heartbeats', sequence_num: seq, events: [] });
    rejects(a, hb(1e300), 'heartbeats sequence_num: expected an integer sequence number');
    expect(a.onFrame(hb(0), 1)).toEqual([]);
    expect(a.onFrame(hb(1), 1)).toEqual([]); // no gap: 1e300 was never taken as the last seq
  });

  it('Kraken: trade with a negative qty; book level with a NaN-like price', () => {
    const a = createKrakenAdapter();
    const trade = JSON.stringify({
      channel: 'trade',
      type: 'update',
      data: [
        {
          symbol: 'BTC/USD',
          side: 'buy',
          price: 30000.5,
          qty: -1,
          ord_type: 'market',
          trade_id: 7,
          timestamp: '2023-09-25T07:49:37.708706Z',
        },
      ],
    });
    rejects(a, trade, 'kraken trade BTC/USD qty: expected a size ≥ 0, got -1');
  });

  it('OKX: a trade size of 1e400 and a ticker price of "NaN"', () => {
    const a = createOkxAdapter();
    const trade = JSON.stringify({
      arg: { channel: 'trades', instId: 'BTC-USDT' },
      data: [
        {
          instId: 'BTC-USDT',
          tradeId: '1',
          px: '42219.9',
          sz: '1e400',
          side: 'buy',
          ts: '1630048897897',
        },
      ],
    });
    rejects(a, trade, 'okx trade BTC-USDT sz: expected a finite number, got Infinity');
    const ticker = JSON.stringify({
      arg: { channel: 'tickers', instId: 'BTC-USDT' },
      data: [{ instId: 'BTC-USDT', bidPx: 'NaN', askPx: '42220', ts: '1630048897897' }],
    });
    rejects(a, ticker, 'okx ticker BTC-USDT bidPx: expected a decimal number, got "NaN"');
  });
});

describe('Bybit orderbook.1 (spot best bid/offer)', () => {
  const SPOT = 'wss://stream.bybit.com/v5/public/spot';
  const frame = (type: string, b: string[][], a: string[][], u: number) =>
    JSON.stringify({
      topic: 'orderbook.1.BTCUSDT',
      type,
      ts: 1672304484978 + u,
      data: { s: 'BTCUSDT', b, a, u, seq: u },
      cts: 1,
    });
  const quotes = (outs: AdapterOutput[]) =>
    events(outs).map((e) => [(e.event as TickerEvent).bid, (e.event as TickerEvent).ask]);

  it('a delete of the old best in the same frame as the new best keeps the new best', () => {
    const a = createBybitAdapter();
    expect(
      quotes(a.onFrame(frame('snapshot', [['100', '1']], [['101', '1']], 1), 1, SPOT)),
    ).toEqual([[100, 101]]);
    // Best bid improves: the new level and a size-0 entry for the old one, in both orders.
    const up1 = frame(
      'delta',
      [
        ['100.5', '2'],
        ['100', '0'],
      ],
      [],
      2,
    );
    expect(quotes(a.onFrame(up1, 2, SPOT))).toEqual([[100.5, 101]]);
    const up2 = frame(
      'delta',
      [],
      [
        ['100.9', '0'],
        ['100.7', '3'],
      ],
      3,
    );
    // The ask's old best was 101, so a delete of 100.9 is stale: only the new level counts.
    expect(quotes(a.onFrame(up2, 3, SPOT))).toEqual([[100.5, 100.7]]);
    const up3 = frame(
      'delta',
      [
        ['100', '0'],
        ['100.6', '1'],
      ],
      [
        ['100.7', '0'],
        ['100.8', '1'],
      ],
      4,
    );
    expect(quotes(a.onFrame(up3, 4, SPOT))).toEqual([[100.6, 100.8]]);
  });

  it('a delete of the current best with no new one empties the side (no quote)', () => {
    const a = createBybitAdapter();
    a.onFrame(frame('snapshot', [['100', '1']], [['101', '1']], 1), 1, SPOT);
    expect(quotes(a.onFrame(frame('delta', [['99', '0']], [], 2), 2, SPOT))).toEqual([[100, 101]]);
    expect(quotes(a.onFrame(frame('delta', [['100', '0']], [], 3), 3, SPOT))).toEqual([]);
    expect(quotes(a.onFrame(frame('delta', [['99.5', '1']], [], 4), 4, SPOT))).toEqual([
      [99.5, 101],
    ]);
  });
});

describe('Kraken v2 ticker', () => {
  const ticker = (fields: Record<string, unknown>) =>
    JSON.stringify({
      channel: 'ticker',
      type: 'update',
      data: [
        {
          symbol: 'ALGO/USD',
          bid: 0.10025,
          bid_qty: 740.0,
          ask: 0.10035,
          ask_qty: 740.0,
          timestamp: '2023-09-25T09:04:31.742648Z',
          ...fields,
        },
      ],
    });

  it('zero prices or an epoch-0 timestamp are not a quote', () => {
    const a = createKrakenAdapter();
    expect(events(a.onFrame(ticker({}), 1))).toHaveLength(1);
    rejects(a, ticker({ bid: 0, ask: 0 }), 'kraken ticker ALGO/USD bid: expected a positive price');
    rejects(
      a,
      ticker({ timestamp: '1970-01-01T00:00:00.000000Z' }),
      'kraken ticker ALGO/USD timestamp: epoch 0 is not a venue time',
    );
    rejects(a, ticker({ timestamp: 'yesterday' }), 'kraken ticker ALGO/USD timestamp: expected');
  });
});

describe('an unreadable book update invalidates the book until a fresh snapshot', () => {
  const gaps = (outs: AdapterOutput[]) => outs.filter((o) => o.type === 'gap');
  const sends = (outs: AdapterOutput[]) =>
    outs.flatMap((o) =>
      o.type === 'send' ? [JSON.parse(o.frame) as Record<string, unknown>] : [],
    );

  it('Bybit orderbook.50: gap, resubscribe, and no l2_book until the next snapshot', () => {
    const LINEAR = 'wss://stream.bybit.com/v5/public/linear';
    const a = createBybitAdapter();
    const frame = (type: string, a1: string[][], u: number) =>
      JSON.stringify({
        topic: 'orderbook.50.BTCUSDT',
        type,
        ts: 1672304484978 + u,
        data: { s: 'BTCUSDT', b: [['100', '1']], a: a1, u, seq: u },
      });
    expect(events(a.onFrame(frame('snapshot', [['101', '1']], 1), 1, LINEAR))).toHaveLength(1);
    const bad = a.onFrame(frame('delta', [['-101', '1']], 2), 2, LINEAR);
    expect(malformedDetails(bad)).toEqual([
      expect.stringMatching(/^orderbook data\.a\[0\]\[0\]: expected a positive price, got -101/),
    ]);
    expect(gaps(bad)).toHaveLength(1);
    expect(sends(bad).map((f) => [f.op, f.args])).toEqual([
      ['unsubscribe', ['orderbook.50.BTCUSDT']],
      ['subscribe', ['orderbook.50.BTCUSDT']],
    ]);
    expect(events(a.onFrame(frame('delta', [['102', '1']], 3), 3, LINEAR))).toEqual([]);
    expect(events(a.onFrame(frame('snapshot', [['102', '1']], 4), 4, LINEAR))).toHaveLength(1);
  });

  it('Coinbase level2: gap and resubscribe for that product', () => {
    const a = createCoinbaseAdapter();
    const l2 = (type: string, seq: number, price: string) =>
      JSON.stringify({
        channel: 'l2_data',
        timestamp: '2023-02-09T20:32:50.714964855Z',
        sequence_num: seq,
        events: [
          {
            type,
            product_id: 'BTC-USD',
            updates: [
              {
                side: 'bid',
                event_time: '2023-02-09T20:32:50.01Z',
                price_level: price,
                new_quantity: '1',
              },
            ],
          },
        ],
      });
    expect(events(a.onFrame(l2('snapshot', 0, '100'), 1))).toHaveLength(1);
    const bad = a.onFrame(l2('update', 1, 'NaN'), 2);
    expect(malformedDetails(bad)).toEqual([
      expect.stringMatching(/^l2_data updates\[0\]\.price_level: expected a decimal number/),
    ]);
    expect(gaps(bad)).toHaveLength(1);
    expect(sends(bad).map((f) => f.type)).toEqual(['unsubscribe', 'subscribe']);
    expect(events(a.onFrame(l2('update', 2, '101'), 3))).toEqual([]);
  });
});
