import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { L2BookEvent, MarketEvent } from '../../core/events.ts';
import type { AdapterOutput } from './VenueAdapter.ts';
import { createBybitAdapter } from './bybit.ts';

function frames(name: string): string[] {
  const url = new URL(`../../../fixtures/exchanges/${name}`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as unknown[]).map((m) => JSON.stringify(m));
}
const marketEvents = (outs: AdapterOutput[]): MarketEvent[] =>
  outs.flatMap((o) => (o.type === 'event' ? [o.event] : []));
const l2 = (outs: AdapterOutput[]) =>
  marketEvents(outs)
    .filter((e) => e.channel === 'l2_book')
    .map((e) => e.event as L2BookEvent);
const ofType = <T extends AdapterOutput['type']>(outs: AdapterOutput[], t: T) =>
  outs.filter((o): o is Extract<AdapterOutput, { type: T }> => o.type === t);

const LINEAR = 'wss://stream.bybit.com/v5/public/linear';
const SPOT = 'wss://stream.bybit.com/v5/public/spot';
const [snapshot, delta] = frames('bybit-v5-orderbook.json');

function bookDelta(u: number, bids: string[][] = [['16493.50', '0']]): string {
  return JSON.stringify({
    topic: 'orderbook.50.BTCUSDT',
    type: 'delta',
    ts: 1672304485000,
    data: { s: 'BTCUSDT', b: bids, a: [], u, seq: 7961638800 },
    cts: 1672304484999,
  });
}

describe('Bybit orderbook (docs)', () => {
  it('snapshot resets, delta applies; category from the connection url', () => {
    const a = createBybitAdapter();
    const out = a.onFrame(snapshot!, 5, LINEAR);
    expect(marketEvents(out)).toEqual([
      {
        exchange: 'BYBIT',
        instrument_type: 'perpetual',
        symbol: 'BTC-USDT-PERP',
        channel: 'l2_book',
        event: {
          timestamp: 1672304484.978,
          receipt_timestamp: 5,
          delta: false,
          orders: [
            ['bid', 16493.5, 0.006],
            ['bid', 16493, 0.1],
            ['ask', 16611, 0.029],
            ['ask', 16612, 0.213],
          ],
        },
      },
    ]);
    // The docs' delta (u=177400507 > 18521288) is from another day but chains as "newer".
    const d = l2(a.onFrame(delta!, 6, LINEAR));
    expect(d).toHaveLength(1);
    expect(d[0]!.delta).toBe(true);
    expect(d[0]!.timestamp).toBe(1687940967.466);
    expect(d[0]!.orders).toEqual([
      ['bid', 30247.2, 30.028],
      ['bid', 30245.4, 0.224],
      ['bid', 30242.1, 1.593],
      ['bid', 30240.3, 1.305],
      ['bid', 30240, 0],
      ['ask', 30248.7, 0],
      ['ask', 30249.3, 0.892],
      ['ask', 30249.5, 1.778],
      ['ask', 30249.6, 0],
      ['ask', 30251.9, 2.947],
      ['ask', 30252.2, 0.659],
      ['ask', 30252.5, 4.591],
    ]);
    // Same frame on the spot socket is the spot instrument.
    expect(marketEvents(createBybitAdapter().onFrame(snapshot!, 5, SPOT))[0]).toMatchObject({
      instrument_type: 'spot',
      symbol: 'BTC-USDT',
    });
  });

  it('category from subscriptions when no url is given (replay)', () => {
    const a = createBybitAdapter();
    a.endpoints([{ channel: 'l2_book', symbol: 'BTC-USDT' }]);
    expect(marketEvents(a.onFrame(snapshot!, 1))[0]).toMatchObject({
      instrument_type: 'spot',
      symbol: 'BTC-USDT',
    });
  });

  it('drops deltas before a snapshot and stale deltas; u=1 resets', () => {
    const a = createBybitAdapter();
    expect(a.onFrame(bookDelta(18521289), 1, LINEAR)).toEqual([]);
    a.onFrame(snapshot!, 2, LINEAR);
    expect(a.onFrame(bookDelta(18521288), 3, LINEAR)).toEqual([]); // u ≤ last u
    expect(l2(a.onFrame(bookDelta(18521290), 4, LINEAR))).toHaveLength(1); // jump tolerated by default
    const restart = l2(a.onFrame(bookDelta(1, [['16000.00', '1']]), 5, LINEAR));
    expect(restart).toEqual([
      { timestamp: 1672304485, receipt_timestamp: 5, delta: false, orders: [['bid', 16000, 1]] },
    ]);
  });

  it('strictUpdateIds: a skipped u ⇒ gap + resubscribe + silence until the next snapshot', () => {
    const a = createBybitAdapter({ strictUpdateIds: true });
    a.onFrame(snapshot!, 1, LINEAR);
    expect(l2(a.onFrame(bookDelta(18521289), 2, LINEAR))).toHaveLength(1);
    const out = a.onFrame(bookDelta(18521291), 3, LINEAR); // 18521290 lost
    expect(ofType(out, 'gap')).toMatchObject([
      { symbol: 'BTC-USDT-PERP', channel: 'l2_book', reason: 'sequence', receipt_timestamp: 3 },
    ]);
    const sends = ofType(out, 'send');
    expect(sends.map((s) => (s as { url?: string }).url)).toEqual([LINEAR, LINEAR]);
    expect(sends.map((s) => JSON.parse(s.frame))).toMatchObject([
      { op: 'unsubscribe', args: ['orderbook.50.BTCUSDT'] },
      { op: 'subscribe', args: ['orderbook.50.BTCUSDT'] },
    ]);
    expect(l2(out)).toEqual([]);
    expect(a.onFrame(bookDelta(18521292), 4, LINEAR)).toEqual([]);
    expect(l2(a.onFrame(snapshot!, 5, LINEAR)).map((e) => e.delta)).toEqual([false]);
  });

  it('disconnect invalidates live books of that connection', () => {
    const a = createBybitAdapter();
    a.onFrame(snapshot!, 1, LINEAR);
    expect(a.onDisconnect(2, SPOT)).toEqual([]);
    expect(ofType(a.onDisconnect(3, LINEAR), 'gap')).toMatchObject([
      { symbol: 'BTC-USDT-PERP', reason: 'disconnect' },
    ]);
    expect(a.onFrame(bookDelta(18521289), 4, LINEAR)).toEqual([]);
  });
});

describe('Bybit trades and tickers (docs)', () => {
  it('publicTrade: S is the taker side', () => {
    const [msg] = frames('bybit-v5-publicTrade.json');
    expect(marketEvents(createBybitAdapter().onFrame(msg!, 9, LINEAR))).toEqual([
      {
        exchange: 'BYBIT',
        instrument_type: 'perpetual',
        symbol: 'BTC-USDT-PERP',
        channel: 'trades',
        event: {
          timestamp: 1672304486.865,
          receipt_timestamp: 9,
          side: 'buy',
          amount: 0.001,
          price: 16578.5,
          id: '20f43950-d8dd-5b31-9112-a178eb6023af',
        },
      },
    ]);
  });

  it('linear tickers give bid1/ask1 and merge deltas; spot tickers (no BBO) give nothing', () => {
    const [linear, spot] = frames('bybit-v5-tickers.json');
    const a = createBybitAdapter();
    expect(marketEvents(a.onFrame(linear!, 1))).toEqual([
      {
        exchange: 'BYBIT',
        instrument_type: 'perpetual',
        symbol: 'BTC-USDT-PERP',
        channel: 'ticker',
        event: { timestamp: 1760325052.63, receipt_timestamp: 1, bid: 66666.6, ask: 66666.7 },
      },
    ]);
    const askOnly =
      '{"topic":"tickers.BTCUSDT","type":"delta","ts":1760325052730,"data":{"symbol":"BTCUSDT","ask1Price":"66667.00","ask1Size":"1"}}';
    expect(marketEvents(a.onFrame(askOnly, 2))[0]!.event).toEqual({
      timestamp: 1760325052.73,
      receipt_timestamp: 2,
      bid: 66666.6,
      ask: 66667,
    });
    const markOnly =
      '{"topic":"tickers.BTCUSDT","type":"delta","ts":1760325052830,"data":{"symbol":"BTCUSDT","markPrice":"66660.00"}}';
    expect(a.onFrame(markOnly, 3)).toEqual([]);
    expect(a.onFrame(spot!, 4, SPOT)).toEqual([]);
  });

  it('spot ticker subscribes orderbook.1 and is read from it', () => {
    const a = createBybitAdapter();
    const subs = [
      { channel: 'ticker', symbol: 'BTC-USDT' },
      { channel: 'trades', symbol: 'BTC-USDT-PERP' },
      { channel: 'l2_book', symbol: 'ETH-USDC-PERP' },
    ] as const;
    expect(a.endpoints(subs)).toEqual([SPOT, LINEAR]);
    expect(a.subscribeFrames(SPOT, subs).map((f) => JSON.parse(f).args)).toEqual([
      ['orderbook.1.BTCUSDT'],
    ]);
    expect(a.subscribeFrames(LINEAR, subs).map((f) => JSON.parse(f).args)).toEqual([
      ['publicTrade.BTCUSDT', 'orderbook.200.ETHPERP'],
    ]);
    const l1 =
      '{"topic":"orderbook.1.BTCUSDT","type":"snapshot","ts":1672304484978,"data":{"s":"BTCUSDT","b":[["16493.50","0.006"]],"a":[["16611.00","0.029"]],"u":5,"seq":1},"cts":1}';
    expect(marketEvents(a.onFrame(l1, 1, SPOT))).toEqual([
      {
        exchange: 'BYBIT',
        instrument_type: 'spot',
        symbol: 'BTC-USDT',
        channel: 'ticker',
        event: { timestamp: 1672304484.978, receipt_timestamp: 1, bid: 16493.5, ask: 16611 },
      },
    ]);
    expect(a.keepAlive).toEqual({ frame: '{"op":"ping"}', intervalSec: 20 });
  });

  it('subscribe requests carry at most 10 args', () => {
    const a = createBybitAdapter();
    const subs = Array.from({ length: 12 }, (_, i) => ({
      channel: 'trades' as const,
      symbol: `C${i}-USDT`,
    }));
    expect(a.subscribeFrames(SPOT, subs).map((f) => JSON.parse(f).args.length)).toEqual([10, 2]);
  });
});

describe('Bybit control and bad input', () => {
  it('acks and pongs produce nothing; a refused subscribe is an error notice', () => {
    const a = createBybitAdapter();
    const [, ack, pong1, pong2, pong3] = frames('bybit-v5-control.json');
    for (const f of [ack, pong1, pong2, pong3]) expect(a.onFrame(f!, 1)).toEqual([]);
    const refused =
      '{"success":false,"ret_msg":"error:handler not found,topic:orderbook.7.BTCUSDT","conn_id":"x","op":"subscribe"}';
    expect(a.onFrame(refused, 1)).toEqual([
      {
        type: 'notice',
        level: 'error',
        detail: 'BYBIT subscribe failed: error:handler not found,topic:orderbook.7.BTCUSDT',
      },
    ]);
  });

  it('malformed frames and unknown topics never throw', () => {
    const a = createBybitAdapter();
    expect(a.onFrame('{"topic":"orderbook.50.BTCUSDT"', 1)).toMatchObject([
      { type: 'malformed', receipt_timestamp: 1 },
    ]);
    expect(
      a.onFrame(
        '{"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT"}}',
        1,
      ),
    ).toMatchObject([{ type: 'malformed' }]);
    expect(
      a.onFrame('{"topic":"publicTrade.BTCUSDT","data":[{"s":"BTCUSDT","S":"Up"}]}', 1),
    ).toMatchObject([{ type: 'malformed' }]);
    expect(a.onFrame('{"topic":"kline.1.BTCUSDT","data":[]}', 1)).toMatchObject([
      { type: 'notice' },
    ]);
    expect(a.onFrame('null', 1)).toMatchObject([{ type: 'malformed' }]);
    expect(() => a.endpoints([{ channel: 'trades', symbol: 'BTCUSDT' }])).toThrow(RangeError);
  });
});
