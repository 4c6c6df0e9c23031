import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { L2BookEvent, MarketEvent } from '../../core/events.ts';
import type { AdapterOutput } from './VenueAdapter.ts';
import { createBinanceAdapter, createBinanceFuturesAdapter } from './binance.ts';
import { wsApiDepthResponse } from '../../testing/venues/binanceFrames.ts';

function fixture(name: string): unknown[] {
  const url = new URL(`../../../fixtures/exchanges/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as unknown[];
}

function marketEvents(outs: AdapterOutput[]): MarketEvent[] {
  return outs.flatMap((o) => (o.type === 'event' ? [o.event] : []));
}
const l2 = (outs: AdapterOutput[]) =>
  marketEvents(outs)
    .filter((e) => e.channel === 'l2_book')
    .map((e) => e.event as L2BookEvent);
const ofType = <T extends AdapterOutput['type']>(outs: AdapterOutput[], t: T) =>
  outs.filter((o): o is Extract<AdapterOutput, { type: T }> => o.type === t);

const LRC = 'binance-spot-depth-real-capture-LRCBTC.json';
const KEEP = 'binance-usdm-depth-real-capture-KEEPUSDT.json';

describe('Binance spot depth sync (real LRCBTC capture)', () => {
  const all = fixture(LRC);
  const snapshot = wsApiDepthResponse('LRCBTC', all[0]);
  const diffs = all.slice(1).map((m) => JSON.stringify(m));

  it('requests a WS-API snapshot on the first diff, drops stale diffs, syncs at U=259345544', () => {
    const a = createBinanceAdapter();
    const first = a.onFrame(diffs[0]!, 100);
    const sends = ofType(first, 'send');
    expect(sends).toHaveLength(1);
    expect(JSON.parse(sends[0]!.frame)).toEqual({
      id: 'depth:LRCBTC:1',
      method: 'depth',
      params: { symbol: 'LRCBTC', limit: 1000 },
    });
    expect((sends[0] as { url?: string }).url).toBe('wss://ws-api.binance.com:443/ws-api/v3');
    expect(a.onFrame(diffs[1]!, 101)).toEqual([]); // buffered, request outstanding

    // Snapshot L=259345543: both buffered diffs (u=259345539, u=259345543) are stale.
    expect(a.onFrame(snapshot, 102)).toEqual([]);

    // Next diff U=259345544 = L+1 ⇒ snapshot, then this diff.
    const out = a.onFrame(diffs[2]!, 103);
    const books = l2(out);
    expect(books).toHaveLength(2);
    const snap = books[0]!;
    expect(snap.delta).toBe(false);
    expect(snap.orders).toHaveLength(176 + 1000);
    expect(snap.orders[0]).toEqual(['bid', 0.00000637, 6500]);
    expect(snap.orders[175]).toEqual(['bid', 0.00000001, 300000]);
    expect(snap.orders[176]).toEqual(['ask', 0.00000638, 24365]);
    expect(snap.orders[1175]).toEqual(['ask', 0.00001785, 596]);
    expect(snap.timestamp).toBe(1633998519.571); // first applied diff's E
    expect(snap.receipt_timestamp).toBe(102);
    expect(books[1]).toEqual({
      timestamp: 1633998519.571,
      receipt_timestamp: 103,
      delta: true,
      orders: [
        ['ask', 0.00000638, 27122],
        ['ask', 0.00000641, 68782],
      ],
    });
    const ev = marketEvents(out)[0]!;
    expect([ev.exchange, ev.instrument_type, ev.symbol]).toEqual(['BINANCE', 'spot', 'LRC-BTC']);

    // The rest of the capture chains: one delta each, never the stale [U=259345540,u=259345543].
    let deltas = 0;
    for (let i = 3; i < diffs.length; i++) {
      const o = a.onFrame(diffs[i]!, 104 + i);
      expect(ofType(o, 'gap')).toEqual([]);
      deltas += l2(o).length;
    }
    expect(deltas).toBe(12);
  });

  it('holds a snapshot that arrives before any diff until the first applicable diff', () => {
    const a = createBinanceAdapter();
    expect(a.onFrame(snapshot, 1)).toEqual([]);
    expect(l2(a.onFrame(diffs[0]!, 2))).toEqual([]); // u=259345539 ≤ L: dropped
    expect(l2(a.onFrame(diffs[1]!, 3))).toEqual([]); // u=259345543 ≤ L: dropped
    const books = l2(a.onFrame(diffs[2]!, 4));
    expect(books.map((b) => b.delta)).toEqual([false, true]);
  });

  it('re-requests when the snapshot is older than the buffered diffs', () => {
    const a = createBinanceAdapter();
    a.onFrame(diffs[2]!, 1); // U=259345544
    a.onFrame(diffs[3]!, 2);
    // A snapshot at L=259345500 < U-1: too old.
    const old = wsApiDepthResponse('LRCBTC', { lastUpdateId: 259345500, bids: [], asks: [] });
    const out = a.onFrame(old, 3);
    expect(l2(out)).toEqual([]);
    expect(JSON.parse(ofType(out, 'send')[0]!.frame).id).toBe('depth:LRCBTC:2');
    // The real snapshot (L=259345543) then syncs on the buffered U=259345544.
    const books = l2(a.onFrame(snapshot, 4));
    expect(books.map((b) => b.delta)).toEqual([false, true, true]);
  });

  it('a dropped diff ⇒ gap + resync request + no l2_book until the new snapshot', () => {
    const a = createBinanceAdapter();
    a.onFrame(diffs[1]!, 1);
    a.onFrame(snapshot, 2);
    expect(l2(a.onFrame(diffs[2]!, 3))).toHaveLength(2);
    expect(l2(a.onFrame(diffs[3]!, 4))).toHaveLength(1); // u=259345546
    // diffs[4] (U=u=259345547) is lost; diffs[5] has U=259345548 > 259345546+1.
    const out = a.onFrame(diffs[5]!, 6);
    const gaps = ofType(out, 'gap');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({
      symbol: 'LRC-BTC',
      channel: 'l2_book',
      reason: 'sequence',
      receipt_timestamp: 6,
    });
    expect(gaps[0]!.detail).toContain('259345546');
    expect(l2(out)).toEqual([]);
    const req = JSON.parse(ofType(out, 'send')[0]!.frame);
    expect(req).toEqual({
      id: 'depth:LRCBTC:2',
      method: 'depth',
      params: { symbol: 'LRCBTC', limit: 1000 },
    });
    // Still invalid: nothing emitted, no duplicate request.
    expect(a.onFrame(diffs[6]!, 7)).toEqual([]); // U=259345550 u=259345551
    // New snapshot at L=259345549: buffered U=259345548..549 is stale, U=259345550 = L+1 applies.
    const fresh = wsApiDepthResponse(
      'LRCBTC',
      {
        lastUpdateId: 259345549,
        bids: [['0.00000637', '6500.00000000']],
        asks: [['0.00000638', '5219.00000000']],
      },
      2,
    );
    const books = l2(a.onFrame(fresh, 8));
    expect(books).toEqual([
      {
        timestamp: 1633998530.276,
        receipt_timestamp: 8,
        delta: false,
        orders: [
          ['bid', 0.00000637, 6500],
          ['ask', 0.00000638, 5219],
        ],
      },
      {
        timestamp: 1633998530.276,
        receipt_timestamp: 7,
        delta: true,
        orders: [
          ['ask', 0.00000638, 2462],
          ['ask', 0.00000641, 71538],
        ],
      },
    ]);
  });

  it('disconnect invalidates the book; the next diff asks for a snapshot again', () => {
    const a = createBinanceAdapter();
    a.onFrame(snapshot, 1);
    a.onFrame(diffs[2]!, 2);
    const out = a.onDisconnect(3);
    expect(ofType(out, 'gap')).toMatchObject([{ symbol: 'LRC-BTC', reason: 'disconnect' }]);
    const next = a.onFrame(diffs[3]!, 4);
    expect(l2(next)).toEqual([]);
    expect(ofType(next, 'send')).toHaveLength(1);
  });

  it('a WS-API socket opening after the first diff still asks for the snapshot', () => {
    // The stream socket's first diff requests a snapshot while the WS-API socket is not open yet:
    // that send is lost, so the opening WS-API socket must ask again (regression: it waited 10 s).
    const a = createBinanceAdapter();
    const apiUrl = 'wss://ws-api.binance.com:443/ws-api/v3';
    expect(ofType(a.onFrame(diffs[0]!, 1), 'send')).toHaveLength(1);
    const frames = a.subscribeFrames(apiUrl, [{ channel: 'l2_book', symbol: 'LRC-BTC' }]);
    expect(frames.map((f) => JSON.parse(f).method)).toEqual(['depth']);
  });

  it('backs off after a WS-API error response', () => {
    const a = createBinanceAdapter();
    a.onFrame(diffs[2]!, 10);
    const err = JSON.stringify({
      id: 'depth:LRCBTC:1',
      status: 429,
      error: { code: -1003, msg: 'Too many requests.' },
    });
    const out = a.onFrame(err, 11);
    expect(ofType(out, 'notice')[0]).toMatchObject({ level: 'error' });
    expect(ofType(out, 'notice')[0]!.detail).toContain('Too many requests.');
    expect(ofType(a.onFrame(diffs[3]!, 20), 'send')).toEqual([]); // within 30 s
    expect(ofType(a.onFrame(diffs[4]!, 42), 'send')).toHaveLength(1);
  });

  it('replays a recording (NDJSON of received frames) into the same events as live', () => {
    const live = createBinanceAdapter();
    const subs = [{ channel: 'l2_book', symbol: 'LRC-BTC' }] as const;
    const urls = live.endpoints(subs);
    expect(urls).toEqual([
      'wss://stream.binance.com:9443/stream?streams=lrcbtc@depth@100ms',
      'wss://ws-api.binance.com:443/ws-api/v3',
    ]);
    const requests = live.subscribeFrames(urls[1]!, subs);
    const id = (JSON.parse(requests[0]!) as { id: string }).id;
    expect(id).toBe('depth:LRCBTC:1');
    const received = [
      diffs[0]!,
      diffs[1]!,
      wsApiDepthResponse('LRCBTC', all[0], 1),
      ...diffs.slice(2),
    ];
    const recording = received
      .map((data, i) =>
        JSON.stringify({ receipt_timestamp: 1633998516 + i / 10, exchange: 'BINANCE', data }),
      )
      .join('\n');
    const liveEvents = received.flatMap((f, i) =>
      marketEvents(live.onFrame(f, 1633998516 + i / 10)),
    );

    const replay = createBinanceAdapter(); // no subscriptions
    const replayEvents = recording.split('\n').flatMap((line) => {
      const rec = JSON.parse(line) as { receipt_timestamp: number; data: string };
      return marketEvents(replay.onFrame(rec.data, rec.receipt_timestamp));
    });
    expect(liveEvents).toHaveLength(14);
    expect(replayEvents).toEqual(liveEvents);
  });
});

describe('Binance USDⓈ-M depth sync (real KEEPUSDT capture, pu chain)', () => {
  const all = fixture(KEEP);
  const snapshot = wsApiDepthResponse('KEEPUSDT', all[0]);
  const diffs = all.slice(1).map((m) => JSON.stringify(m));

  it('starts at U ≤ L ≤ u and follows pu == previous u', () => {
    const a = createBinanceFuturesAdapter();
    const first = a.onFrame(diffs[0]!, 1);
    const send = ofType(first, 'send')[0]!;
    expect(JSON.parse(send.frame)).toEqual({
      id: 'depth:KEEPUSDT:1',
      method: 'depth',
      params: { symbol: 'KEEPUSDT', limit: 1000 },
    });
    expect((send as { url?: string }).url).toBe('wss://ws-fapi.binance.com/ws-fapi/v1');
    a.onFrame(diffs[1]!, 2);
    a.onFrame(diffs[2]!, 3);
    // L=600859619434: the three buffered diffs have u < L.
    expect(a.onFrame(snapshot, 4)).toEqual([]);
    // U=600859618057 ≤ L ≤ u=600859619434.
    const out = a.onFrame(diffs[3]!, 5);
    const books = l2(out);
    expect(books).toHaveLength(2);
    expect(books[0]!.delta).toBe(false);
    expect(books[0]!.orders).toHaveLength(1012);
    expect(books[0]!.orders[0]).toEqual(['bid', 0.2463, 631]);
    expect(books[0]!.orders[400]).toEqual(['ask', 0.2464, 317]);
    expect(books[0]!.timestamp).toBe(1626992742.018); // snapshot E < first diff E
    expect(books[1]).toEqual({
      timestamp: 1626992742.029,
      receipt_timestamp: 5,
      delta: true,
      orders: [
        ['bid', 0.235, 26711],
        ['ask', 0.2465, 812],
      ],
    });
    const ev = marketEvents(out)[0]!;
    expect([ev.exchange, ev.instrument_type, ev.symbol]).toEqual([
      'BINANCE_FUTURES',
      'perpetual',
      'KEEP-USDT-PERP',
    ]);
    let deltas = 0;
    for (let i = 4; i < diffs.length; i++) {
      const o = a.onFrame(diffs[i]!, 6 + i);
      expect(ofType(o, 'gap')).toEqual([]);
      deltas += l2(o).length;
    }
    expect(deltas).toBe(21);
  });

  it('a snapshot older than the first buffered diff (U > L) is re-requested', () => {
    const a = createBinanceFuturesAdapter();
    a.onFrame(snapshot, 1);
    const out = a.onFrame(diffs[4]!, 2); // U=600859625705 > L
    expect(l2(out)).toEqual([]);
    expect(JSON.parse(ofType(out, 'send')[0]!.frame).id).toBe('depth:KEEPUSDT:1');
  });

  it('a broken pu chain ⇒ gap, request, silence', () => {
    const a = createBinanceFuturesAdapter();
    a.onFrame(snapshot, 1);
    a.onFrame(diffs[3]!, 2);
    a.onFrame(diffs[4]!, 3); // u=600859627652
    // diffs[5] lost; diffs[6] has pu=600859633700.
    const out = a.onFrame(diffs[6]!, 4);
    expect(ofType(out, 'gap')).toMatchObject([{ symbol: 'KEEP-USDT-PERP', reason: 'sequence' }]);
    expect(ofType(out, 'gap')[0]!.detail).toContain('600859633700');
    expect(ofType(out, 'send')).toHaveLength(1);
    expect(l2(out)).toEqual([]);
    expect(l2(a.onFrame(diffs[7]!, 5))).toEqual([]);
  });
});
