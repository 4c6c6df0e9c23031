import { describe, expect, it } from 'vitest';
import type { L2BookEvent, MarketEvent } from '../../core/events.ts';
import { fixtureFrames } from '../../testing/venues/fixtureFrames.ts';
import { createOkxAdapter } from './okx.ts';
import type { AdapterOutput, VenueAdapter } from './VenueAdapter.ts';

// [sub req, sub ack, books snapshot (seqId 123456), update (123456 → 123457), bbo-tbt, books5]
const DOCS = fixtureFrames('okx-books-docs-current.json');
// [sub ack, snapshot (checksum 555605283), 20 updates with real signed checksums, no seqId]
const UNI = fixtureFrames('okx-books-real-capture-2022-with-checksum-UNI-USD-SWAP.json');

function events(outputs: AdapterOutput[]): MarketEvent[] {
  return outputs.flatMap((o) => (o.type === 'event' ? [o.event] : []));
}

function only<T extends AdapterOutput['type']>(outputs: AdapterOutput[], type: T) {
  return outputs.filter((o): o is Extract<AdapterOutput, { type: T }> => o.type === type);
}

function feed(adapter: VenueAdapter, frames: string[], ts = 100): AdapterOutput[] {
  return frames.flatMap((f) => adapter.onFrame(f, ts));
}

function book(e: MarketEvent | undefined): L2BookEvent {
  return e!.event as L2BookEvent;
}

/** A `books` update for BTC-USDT with the given sequence link. */
function update(prevSeqId: number, seqId: number, bids = '[["8476.5","3","0","1"]]'): string {
  return `{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":${bids},"ts":"1597026383185","checksum":0,"prevSeqId":${prevSeqId},"seqId":${seqId}}]}`;
}

describe('OKX v5 adapter', () => {
  describe('books', () => {
    it('applies the docs snapshot and the chained update (checksum 0 is not validated)', () => {
      const okx = createOkxAdapter();
      const out = feed(okx, DOCS.slice(0, 4));
      expect(only(out, 'gap')).toEqual([]);
      const [snap, upd] = events(out);
      expect(snap).toMatchObject({
        exchange: 'OKX',
        instrument_type: 'spot',
        symbol: 'BTC-USDT',
        channel: 'l2_book',
      });
      expect(book(snap).delta).toBe(false);
      expect(book(snap).timestamp).toBeCloseTo(1597026383.085, 6);
      expect(book(snap).receipt_timestamp).toBe(100);
      expect(book(snap).orders).toHaveLength(16);
      expect(book(snap).orders).toContainEqual(['bid', 8476.97, 256]);
      expect(book(snap).orders).toContainEqual(['bid', 8446, 95]);
      expect(book(snap).orders).toContainEqual(['ask', 8476.98, 415]);
      expect(book(snap).orders).toContainEqual(['ask', 8477, 7]);
      expect(book(upd).delta).toBe(true);
      expect(book(upd).orders).toHaveLength(16);
      expect(book(upd).orders[0]).toEqual(['bid', 8476.97, 256]);
      // The chain continues from the update's seqId 123457.
      expect(events(okx.onFrame(update(123457, 123458), 101))).toHaveLength(1);
    });

    it('on a seqId gap: gap, resubscribe, no book events until the next snapshot', () => {
      const okx = createOkxAdapter();
      feed(okx, DOCS.slice(0, 4));
      const out = okx.onFrame(update(123458, 123459), 102);
      expect(events(out)).toEqual([]);
      expect(only(out, 'gap')).toEqual([
        {
          type: 'gap',
          symbol: 'BTC-USDT',
          channel: 'l2_book',
          reason: 'sequence',
          detail: 'prevSeqId 123458 != last seqId 123457',
          receipt_timestamp: 102,
        },
      ]);
      expect(only(out, 'send').map((s) => s.frame)).toEqual([
        '{"op":"unsubscribe","args":[{"channel":"books","instId":"BTC-USDT"}]}',
        '{"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]}',
      ]);
      expect(okx.onFrame(update(123459, 123460), 103)).toEqual([]);
      const again = events(feed(okx, [DOCS[2]!, DOCS[3]!], 104));
      expect(again.map((e) => book(e).delta)).toEqual([false, true]);
    });

    it('accepts the keep-alive update and a post-maintenance seqId reset', () => {
      const okx = createOkxAdapter();
      feed(okx, DOCS.slice(0, 4));
      // Keep-alive: empty sides, seqId == prevSeqId == last seqId; nothing to emit.
      expect(okx.onFrame(update(123457, 123457, '[]'), 105)).toEqual([]);
      // Reset: seqId below prevSeqId is valid as long as prevSeqId links to the last message.
      expect(events(okx.onFrame(update(123457, 5), 106))).toHaveLength(1);
      expect(events(okx.onFrame(update(5, 6), 107))).toHaveLength(1);
    });

    it('verifies the real 2022 legacy checksums through snapshot and 20 updates', () => {
      const out = feed(createOkxAdapter(), UNI);
      expect(out.filter((o) => o.type !== 'event')).toEqual([]);
      const books = events(out);
      expect(books).toHaveLength(21);
      expect(books[0]).toMatchObject({ instrument_type: 'perpetual', symbol: 'UNI-USD-PERP' });
      const snap = book(books[0]);
      expect(snap.delta).toBe(false);
      expect(snap.orders).toHaveLength(240); // 121 bids + 119 asks
      expect(snap.orders[0]).toEqual(['bid', 5.14, 251]);
      expect(snap.orders).toContainEqual(['ask', 5.148, 60]);
      // Last frame: asks 5.152→25, 5.153→249; bids 5.134→59, 5.133→136, 5.131→547, 5.126→11867, 5.124→731.
      const last = book(books[20]);
      expect(last.timestamp).toBeCloseTo(1652459227.785, 6);
      expect(last.orders).toEqual([
        ['bid', 5.134, 59],
        ['bid', 5.133, 136],
        ['bid', 5.131, 547],
        ['bid', 5.126, 11867],
        ['bid', 5.124, 731],
        ['ask', 5.152, 25],
        ['ask', 5.153, 249],
      ]);
    });

    it('flags a corrupted legacy checksum', () => {
      const frames = [...UNI];
      frames[10] = frames[10]!.replace(/"checksum":(-?\d+)/, '"checksum":12345');
      const out = feed(createOkxAdapter(), frames);
      const gaps = only(out, 'gap');
      expect(gaps).toHaveLength(1);
      expect(gaps[0]).toMatchObject({ symbol: 'UNI-USD-PERP', reason: 'checksum' });
      expect(only(out, 'send')).toHaveLength(2);
      expect(events(out)).toHaveLength(9); // snapshot + updates before the corrupted one
      // With validation off the same frames all pass.
      expect(only(feed(createOkxAdapter({ legacyChecksum: false }), frames), 'gap')).toEqual([]);
    });

    it('treats books5 and bbo-tbt frames as full snapshots', () => {
      const [bbo, five] = events(feed(createOkxAdapter(), DOCS.slice(4)));
      expect(bbo!.symbol).toBe('BCH-USDT-PERP');
      expect(book(bbo)).toMatchObject({
        delta: false,
        orders: [
          ['bid', 111.05, 57745],
          ['ask', 111.06, 55154],
        ],
      });
      expect(book(five).orders).toHaveLength(10);
      expect(book(five).orders).toContainEqual(['ask', 111.1, 67272]);
    });

    it('marks books invalid on disconnect', () => {
      const okx = createOkxAdapter();
      feed(okx, DOCS.slice(0, 3));
      expect(only(okx.onDisconnect(9), 'gap')).toMatchObject([
        { symbol: 'BTC-USDT', reason: 'disconnect' },
      ]);
      expect(okx.onFrame(DOCS[3]!, 10)).toEqual([]);
    });
  });

  it('emits trades from the docs and the 2022 capture', () => {
    const docs = events(feed(createOkxAdapter(), fixtureFrames('okx-trades-docs.json')));
    expect(docs).toEqual([
      {
        exchange: 'OKX',
        instrument_type: 'spot',
        symbol: 'BTC-USDT',
        channel: 'trades',
        event: {
          timestamp: 1630048897.897,
          receipt_timestamp: 100,
          side: 'buy',
          amount: 0.12060306,
          price: 42219.9,
          id: '130639474',
        },
      },
    ]);
    const capture = events(
      feed(createOkxAdapter(), fixtureFrames('okx-trades-tickers-real-capture-2022.json')),
    );
    const trades = capture.filter((e) => e.channel === 'trades');
    expect(trades.map((t) => [t.symbol, t.instrument_type])).toEqual([
      ['BTC-USD-220527', 'futures'],
      ['UNI-USD-PERP', 'perpetual'],
      ['BTC-USDT', 'spot'],
      ['BTC-USDT', 'spot'],
    ]);
    expect(trades[1]!.event).toEqual({
      timestamp: 1652459215.15,
      receipt_timestamp: 100,
      side: 'sell',
      amount: 100,
      price: 5.123,
      id: '12883020',
    });
    expect(trades[3]!.event).toMatchObject({
      side: 'buy',
      price: 30243.5,
      amount: 0.001,
      id: '338476308',
    });
  });

  it('emits best bid/ask from tickers', () => {
    const docs = events(feed(createOkxAdapter(), fixtureFrames('okx-tickers-docs.json')));
    expect(docs.map((e) => [e.symbol, e.channel, e.event])).toEqual([
      [
        'BTC-USDT',
        'ticker',
        { timestamp: 1597026383.085, receipt_timestamp: 100, bid: 8888.88, ask: 9999.99 },
      ],
    ]);
    const capture = events(
      feed(createOkxAdapter(), fixtureFrames('okx-trades-tickers-real-capture-2022.json')),
    );
    const tickers = capture.filter((e) => e.channel === 'ticker');
    expect(tickers.map((e) => [e.symbol, e.event])).toEqual([
      [
        'BTC-USD-220527',
        { timestamp: 1652459223.003, receipt_timestamp: 100, bid: 30210.4, ask: 30220.1 },
      ],
      [
        'UNI-USD-PERP',
        { timestamp: 1652459223.143, receipt_timestamp: 100, bid: 5.134, ask: 5.142 },
      ],
    ]);
  });

  it('ignores pong and acks, and turns errors into notices', () => {
    const okx = createOkxAdapter();
    expect(okx.onFrame('pong', 1)).toEqual([]);
    expect(feed(okx, [DOCS[1]!, UNI[0]!])).toEqual([]);
    expect(okx.onFrame('{"event":"error","code":"60012","msg":"Invalid request"}', 1)).toEqual([
      { type: 'notice', level: 'error', detail: 'okx error 60012: Invalid request' },
    ]);
  });

  it('reports malformed input instead of throwing', () => {
    const okx = createOkxAdapter();
    for (const bad of [
      'pon',
      '{"arg":',
      'null',
      '{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"patch","data":[]}',
      '{"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"side":"buy"}]}',
      '{"data":[]}',
    ]) {
      const out = okx.onFrame(bad, 3);
      expect(out).toHaveLength(1);
      expect(out[0]).toMatchObject({ type: 'malformed', receipt_timestamp: 3 });
    }
  });

  it('subscribes spot and perpetual symbols on the public endpoint', () => {
    const okx = createOkxAdapter();
    const subs = [
      { channel: 'l2_book', symbol: 'BTC-USDT' },
      { channel: 'trades', symbol: 'BTC-USDT-PERP' },
      { channel: 'ticker', symbol: 'ETH-USDT' },
      { channel: 'ticker', symbol: 'ETH-USDT' },
    ] as const;
    expect(okx.endpoints(subs)).toEqual(['wss://ws.okx.com:8443/ws/v5/public']);
    expect(okx.subscribeFrames('wss://ws.okx.com:8443/ws/v5/public', subs)).toEqual([
      '{"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"},{"channel":"trades","instId":"BTC-USDT-SWAP"},{"channel":"tickers","instId":"ETH-USDT"}]}',
    ]);
    expect(okx.keepAlive).toEqual({ frame: 'ping', intervalSec: 20 });
  });
});
