import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { L2BookEvent, MarketEvent } from '../../core/events.ts';
import type { AdapterOutput } from './VenueAdapter.ts';
import { createCoinbaseAdapter } from './coinbase.ts';

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

function l2Frame(seq: number, type: 'snapshot' | 'update', updates: object[]): string {
  return JSON.stringify({
    channel: 'l2_data',
    timestamp: '2023-02-09T20:32:51.5Z',
    sequence_num: seq,
    events: [{ type, product_id: 'BTC-USD', updates }],
  });
}
const offer0 = {
  side: 'offer',
  event_time: '2023-02-09T20:32:51.25Z',
  price_level: '21922.5',
  new_quantity: '0',
};

describe('Coinbase Advanced Trade level2', () => {
  const [, docSnapshot] = frames('coinbase-advanced-level2.json');

  it('docs snapshot ⇒ delta:false at the message timestamp; updates use event_time; offer = ask', () => {
    const a = createCoinbaseAdapter();
    const out = a.onFrame(docSnapshot!, 7);
    const ev = marketEvents(out);
    expect(ev).toHaveLength(1);
    expect([ev[0]!.exchange, ev[0]!.instrument_type, ev[0]!.symbol, ev[0]!.channel]).toEqual([
      'COINBASE',
      'spot',
      'BTC-USD',
      'l2_book',
    ]);
    const snap = ev[0]!.event as L2BookEvent;
    expect(snap.delta).toBe(false);
    expect(snap.orders).toEqual([
      ['bid', 21921.73, 0.06317902],
      ['bid', 21921.3, 0.02],
    ]);
    // 2023-02-09T20:32:50.714964855Z (the 1970 event_time of snapshot levels is not used).
    expect(snap.timestamp).toBeCloseTo(Date.UTC(2023, 1, 9, 20, 32, 50) / 1000 + 0.714964855, 6);
    expect(snap.receipt_timestamp).toBe(7);

    const upd = l2(a.onFrame(l2Frame(1, 'update', [offer0]), 8));
    expect(upd).toEqual([
      {
        timestamp: Date.UTC(2023, 1, 9, 20, 32, 51, 250) / 1000,
        receipt_timestamp: 8,
        delta: true,
        orders: [['ask', 21922.5, 0]],
      },
    ]);
  });

  it('updates before any snapshot are dropped', () => {
    const a = createCoinbaseAdapter();
    expect(a.onFrame(l2Frame(0, 'update', [offer0]), 1)).toEqual([]);
  });

  it('a sequence_num jump ⇒ gap + level2 resubscribe + silence until a fresh snapshot', () => {
    const a = createCoinbaseAdapter();
    a.subscribeFrames('wss://advanced-trade-ws.coinbase.com', [
      { channel: 'l2_book', symbol: 'BTC-USD' },
    ]);
    a.onFrame(docSnapshot!, 1); // sequence_num 0
    expect(l2(a.onFrame(l2Frame(1, 'update', [offer0]), 2))).toHaveLength(1);
    // sequence_num 2 is lost.
    const out = a.onFrame(l2Frame(3, 'update', [offer0]), 3);
    expect(ofType(out, 'gap')).toEqual([
      {
        type: 'gap',
        symbol: 'BTC-USD',
        channel: 'l2_book',
        reason: 'sequence',
        detail: 'sequence_num jumped from 1 to 3: 1 message(s) lost',
        receipt_timestamp: 3,
      },
    ]);
    expect(ofType(out, 'send').map((s) => JSON.parse(s.frame))).toEqual([
      { type: 'unsubscribe', product_ids: ['BTC-USD'], channel: 'level2' },
      { type: 'subscribe', product_ids: ['BTC-USD'], channel: 'level2' },
    ]);
    expect(l2(out)).toEqual([]);
    expect(a.onFrame(l2Frame(4, 'update', [offer0]), 4)).toEqual([]);
    const fresh = l2(a.onFrame(l2Frame(5, 'snapshot', [{ ...offer0, new_quantity: '1.5' }]), 5));
    expect(fresh.map((e) => [e.delta, e.orders])).toEqual([[false, [['ask', 21922.5, 1.5]]]]);
    expect(l2(a.onFrame(l2Frame(6, 'update', [offer0]), 6))).toHaveLength(1);
  });

  it('duplicate (lower) sequence numbers are skipped; disconnect resets the counter', () => {
    const a = createCoinbaseAdapter();
    a.onFrame(docSnapshot!, 1);
    a.onFrame(l2Frame(1, 'update', [offer0]), 2);
    expect(a.onFrame(l2Frame(1, 'update', [offer0]), 3)).toEqual([]);
    expect(ofType(a.onDisconnect(4), 'gap')).toMatchObject([
      { symbol: 'BTC-USD', reason: 'disconnect' },
    ]);
    // New connection: numbering restarts, no false gap, book waits for its snapshot.
    expect(a.onFrame(l2Frame(0, 'update', [offer0]), 5)).toEqual([]);
    expect(l2(a.onFrame(l2Frame(1, 'snapshot', [offer0]), 6))).toHaveLength(1);
  });
});

describe('Coinbase Advanced Trade trades, ticker, control', () => {
  it('market_trades: side is the maker side by default (docs) ⇒ BUY = taker sell', () => {
    const [, msg] = frames('coinbase-advanced-market_trades.json');
    const expected = {
      exchange: 'COINBASE',
      instrument_type: 'spot',
      symbol: 'ETH-USD',
      channel: 'trades',
      event: {
        timestamp: Date.UTC(2019, 7, 14, 20, 42, 27, 265) / 1000,
        receipt_timestamp: 3,
        side: 'sell',
        amount: 0.3,
        price: 1260.01,
        id: '000000000',
      },
    };
    expect(marketEvents(createCoinbaseAdapter().onFrame(msg!, 3))).toEqual([expected]);
    const asTaker = marketEvents(createCoinbaseAdapter({ tradeSide: 'taker' }).onFrame(msg!, 3));
    expect(asTaker).toEqual([{ ...expected, event: { ...expected.event, side: 'buy' } }]);
  });

  it('ticker: best_bid / best_ask at the message timestamp', () => {
    const [, msg] = frames('coinbase-advanced-ticker.json');
    const ev = marketEvents(createCoinbaseAdapter().onFrame(msg!, 4));
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({
      symbol: 'BTC-USD',
      channel: 'ticker',
      event: { bid: 21931.98, ask: 21933.98 },
    });
    expect(ev[0]!.event.timestamp).toBeCloseTo(
      Date.UTC(2023, 1, 9, 20, 30, 37) / 1000 + 0.167359596,
      6,
    );
  });

  it('heartbeats and subscription acks produce nothing; errors become notices', () => {
    const a = createCoinbaseAdapter();
    const [, hb] = frames('coinbase-advanced-heartbeats.json');
    expect(a.onFrame(hb!, 1)).toEqual([]);
    const ack =
      '{"channel":"subscriptions","timestamp":"2023-02-09T20:32:50.1Z","sequence_num":1,"events":[{"subscriptions":{"level2":["BTC-USD"]}}]}';
    expect(a.onFrame(ack, 1)).toEqual([]);
    expect(a.onFrame('{"type":"error","message":"failure to subscribe"}', 1)).toEqual([
      { type: 'notice', level: 'error', detail: 'COINBASE error: failure to subscribe' },
    ]);
  });

  it('malformed input never throws', () => {
    const a = createCoinbaseAdapter();
    expect(a.onFrame('{"channel":"l2_data",', 1)).toMatchObject([
      { type: 'malformed', receipt_timestamp: 1 },
    ]);
    expect(a.onFrame('{"foo":1}', 1)).toMatchObject([{ type: 'malformed' }]);
    expect(a.onFrame('{"channel":"market_trades","sequence_num":0}', 1)).toMatchObject([
      { type: 'malformed' },
    ]);
    const badTrade =
      '{"channel":"market_trades","sequence_num":1,"events":[{"trades":[{"product_id":"BTC-USD","price":"x"}]}]}';
    expect(a.onFrame(badTrade, 1)).toMatchObject([{ type: 'malformed' }]);
    expect(a.onFrame('{"channel":"candles","sequence_num":2,"events":[]}', 1)).toMatchObject([
      { type: 'notice' },
    ]);
  });

  it('subscribes one channel per message plus heartbeats', () => {
    const a = createCoinbaseAdapter();
    const subs = [
      { channel: 'l2_book', symbol: 'BTC-USD' },
      { channel: 'trades', symbol: 'BTC-USD' },
      { channel: 'trades', symbol: 'ETH-USD' },
      { channel: 'ticker', symbol: 'ETH-USD' },
    ] as const;
    expect(a.endpoints(subs)).toEqual(['wss://advanced-trade-ws.coinbase.com']);
    expect(
      a.subscribeFrames('wss://advanced-trade-ws.coinbase.com', subs).map((f) => JSON.parse(f)),
    ).toEqual([
      { type: 'subscribe', channel: 'heartbeats' },
      { type: 'subscribe', product_ids: ['BTC-USD'], channel: 'level2' },
      { type: 'subscribe', product_ids: ['BTC-USD', 'ETH-USD'], channel: 'market_trades' },
      { type: 'subscribe', product_ids: ['ETH-USD'], channel: 'ticker' },
    ]);
    expect(a.keepAlive).toBeUndefined();
    expect(() => a.endpoints([{ channel: 'trades', symbol: 'BTC-USD-PERP' }])).toThrow(RangeError);
  });
});
