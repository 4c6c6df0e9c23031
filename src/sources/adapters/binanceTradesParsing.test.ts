import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MarketEvent, TickerEvent, TradeEvent } from '../../core/events.ts';
import type { AdapterOutput } from './VenueAdapter.ts';
import { createBinanceAdapter, createBinanceFuturesAdapter } from './binance.ts';

function fixture(name: string): unknown[] {
  const url = new URL(`../../../fixtures/exchanges/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as unknown[];
}

const frames = (name: string): string[] => fixture(name).map((m) => JSON.stringify(m));

function marketEvents(outs: AdapterOutput[]): MarketEvent[] {
  return outs.flatMap((o) => (o.type === 'event' ? [o.event] : []));
}

describe('Binance trades and tickers (real captures, docs)', () => {
  it('spot aggTrade: m=false ⇒ taker buy; bookTicker has no time ⇒ receipt time', () => {
    const a = createBinanceAdapter();
    const f = frames('binance-spot-aggTrade-bookTicker-real-capture.json');
    expect(marketEvents(a.onFrame(f[0]!, 5))).toEqual([
      {
        exchange: 'BINANCE',
        instrument_type: 'spot',
        symbol: 'NKN-USDT',
        channel: 'trades',
        event: {
          timestamp: 1633998523.963,
          receipt_timestamp: 5,
          side: 'buy',
          amount: 58,
          price: 0.3528,
          id: '15683430',
        },
      },
    ]);
    const lrc = marketEvents(a.onFrame(f[1]!, 6))[0]!;
    expect(lrc.symbol).toBe('LRC-BTC');
    expect(lrc.event).toMatchObject({ price: 0.00000638, amount: 177, side: 'buy', id: '9213679' });
    expect(marketEvents(a.onFrame(f[2]!, 7))).toEqual([
      {
        exchange: 'BINANCE',
        instrument_type: 'spot',
        symbol: 'NKN-USDT',
        channel: 'ticker',
        event: { timestamp: 7, receipt_timestamp: 7, bid: 0.3521, ask: 0.3526 },
      },
    ]);
    const t = marketEvents(a.onFrame(f[3]!, 8))[0]!.event as TickerEvent;
    expect([t.bid, t.ask]).toEqual([0.3521, 0.3525]);
  });

  it('futures aggTrade m=true ⇒ taker sell, timestamp = T; bookTicker timestamp = E', () => {
    const a = createBinanceFuturesAdapter();
    const f = frames('binance-usdm-aggTrade-bookTicker-real-capture.json');
    const akro = marketEvents(a.onFrame(f[1]!, 9))[0]!;
    expect(akro).toEqual({
      exchange: 'BINANCE_FUTURES',
      instrument_type: 'perpetual',
      symbol: 'AKRO-USDT-PERP',
      channel: 'trades',
      event: {
        timestamp: 1626992742.134,
        receipt_timestamp: 9,
        side: 'sell',
        amount: 312,
        price: 0.01731,
        id: '14888302',
      },
    });
    const sushi = marketEvents(a.onFrame(f[3]!, 9))[0]!.event as TradeEvent;
    expect([sushi.side, sushi.price, sushi.amount]).toEqual(['buy', 7.612, 297]);
    expect(marketEvents(a.onFrame(f[6]!, 10))[0]).toEqual({
      exchange: 'BINANCE_FUTURES',
      instrument_type: 'perpetual',
      symbol: 'SUSHI-USDT-PERP',
      channel: 'ticker',
      event: { timestamp: 1626992741.017, receipt_timestamp: 10, bid: 7.611, ask: 7.612 },
    });
  });

  it('docs payloads: raw trade stream, raw bookTicker, control frames', () => {
    const a = createBinanceAdapter();
    const [, trade] = frames('binance-spot-trade-docs.json');
    expect(marketEvents(a.onFrame(trade!, 1))[0]!.event).toEqual({
      timestamp: 1672515782.136,
      receipt_timestamp: 1,
      side: 'sell',
      amount: 100,
      price: 0.001,
      id: '12345',
    });
    const [bt] = frames('binance-spot-bookTicker-docs.json');
    expect(marketEvents(a.onFrame(bt!, 2))[0]).toMatchObject({
      symbol: 'BNB-USDT',
      event: { bid: 25.3519, ask: 25.3652 },
    });
    const [, ack, shutdown, shutdownCombined] = frames('binance-spot-control-docs.json');
    expect(a.onFrame(ack!, 3)).toEqual([]);
    expect(a.onFrame(shutdown!, 3)).toMatchObject([{ type: 'notice', level: 'warn' }]);
    expect(a.onFrame(shutdownCombined!, 3)).toMatchObject([{ type: 'notice', level: 'warn' }]);
    // A WS-API response to somebody else's request id is ignored.
    const [, , uuidResponse] = frames('binance-spot-depth-snapshot-rest-and-wsapi-docs.json');
    expect(a.onFrame(uuidResponse!, 4)).toEqual([]);
  });
});

describe('Binance bad input', () => {
  it('malformed JSON, wrong shapes and unknown streams never throw', () => {
    const a = createBinanceAdapter();
    const bad = a.onFrame('{"stream":"btcusdt@depth", "data": {', 1);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ type: 'malformed', receipt_timestamp: 1 });
    expect((bad[0] as { detail: string }).detail).toContain('invalid JSON');
    expect(a.onFrame('[1,2]', 1)).toMatchObject([{ type: 'malformed' }]);
    const noU =
      '{"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","u":5,"b":[],"a":[]}}';
    expect(a.onFrame(noU, 1)).toMatchObject([{ type: 'malformed' }]);
    const badLevel =
      '{"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":5,"b":[["x","1"]],"a":[]}}';
    expect(a.onFrame(badLevel, 1)).toMatchObject([{ type: 'malformed' }]);
    const kline = '{"stream":"btcusdt@kline_1m","data":{"e":"kline","E":1,"s":"BTCUSDT","k":{}}}';
    expect(a.onFrame(kline, 1)).toMatchObject([{ type: 'notice', level: 'warn' }]);
    expect(a.onFrame(kline, 2)).toEqual([]); // warned once
    expect(a.onFrame('{"stream":"btcusdt@mystery","data":{}}', 1)).toMatchObject([
      { type: 'notice' },
    ]);
    expect(a.onFrame('{"hello":1}', 1)).toMatchObject([{ type: 'malformed' }]);
  });

  it('rejects symbols the venue cannot serve', () => {
    expect(() =>
      createBinanceAdapter().endpoints([{ channel: 'trades', symbol: 'BTC-USDT-PERP' }]),
    ).toThrow(/BINANCE cannot serve/);
    expect(() =>
      createBinanceFuturesAdapter().endpoints([{ channel: 'trades', symbol: 'BTC-USDT' }]),
    ).toThrow(RangeError);
  });

  it('futures endpoints use the split /public and /market hosts', () => {
    const a = createBinanceFuturesAdapter();
    const subs = [
      { channel: 'trades', symbol: 'BTC-USDT-PERP' },
      { channel: 'l2_book', symbol: 'BTC-USDT-PERP' },
      { channel: 'ticker', symbol: 'ETH-USDT-PERP' },
    ] as const;
    const urls = a.endpoints(subs);
    expect(urls).toEqual([
      'wss://fstream.binance.com/market/stream?streams=btcusdt@aggTrade',
      'wss://fstream.binance.com/public/stream?streams=btcusdt@depth@100ms/ethusdt@bookTicker',
      'wss://ws-fapi.binance.com/ws-fapi/v1',
    ]);
    expect(a.subscribeFrames(urls[0]!, subs)).toEqual([]);
    expect(a.subscribeFrames(urls[2]!, subs)).toEqual([
      '{"id":"depth:BTCUSDT:1","method":"depth","params":{"symbol":"BTCUSDT","limit":1000}}',
    ]);
  });
});
