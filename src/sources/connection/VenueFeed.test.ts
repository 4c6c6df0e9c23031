import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../core/events.ts';
import type { AdapterOutput, VenueAdapter } from '../adapters/VenueAdapter.ts';
import type { RecordingLine } from '../RecordingLine.ts';
import type { FeedStatus } from './FeedStatus.ts';
import { FakeScheduler, FakeSocket } from '../../testing/sources/FakeSocket.ts';
import { overrideOrigin, VenueFeed } from './VenueFeed.ts';

/** A toy protocol: `T <sym> <ts> <price>` is a trade, `G <sym>` a gap, `S <sym>` a snapshot. */
function toyAdapter(keepAlive?: VenueAdapter['keepAlive']): VenueAdapter {
  return {
    exchange: 'KRAKEN',
    endpoints: () => ['wss://toy'],
    subscribeFrames: (_url, subs) => subs.map((s) => `sub ${s.channel} ${s.symbol}`),
    ...(keepAlive ? { keepAlive } : {}),
    onFrame(text, receiptTs): AdapterOutput[] {
      const [kind, symbol = '', ts = '0', px = '0'] = text.split(' ');
      const base = { exchange: 'KRAKEN', instrument_type: 'spot', symbol };
      if (kind === 'T') {
        const event = {
          timestamp: Number(ts),
          receipt_timestamp: receiptTs,
          side: 'buy',
          amount: 1,
          price: Number(px),
          id: ts,
        } as const;
        return [{ type: 'event', event: { ...base, channel: 'trades', event } }];
      }
      if (kind === 'G') {
        return [
          {
            type: 'gap',
            symbol,
            channel: 'l2_book',
            reason: 'checksum',
            detail: 'x',
            receipt_timestamp: receiptTs,
          },
          { type: 'send', frame: `resub ${symbol}` },
        ];
      }
      if (kind === 'S') {
        const event = {
          timestamp: receiptTs,
          receipt_timestamp: receiptTs,
          delta: false,
          orders: [],
        };
        return [{ type: 'event', event: { ...base, channel: 'l2_book', event } }];
      }
      return [{ type: 'malformed', detail: text, receipt_timestamp: receiptTs }];
    },
    onDisconnect: () => [],
  };
}

function setup(adapter = toyAdapter()) {
  /** Each malformed report, with how many frames were recorded when it came. */
  const malformed: [string, string, number, number][] = [];
  const sockets: FakeSocket[] = [];
  const events: MarketEvent[] = [];
  const statuses: FeedStatus[] = [];
  const lines: RecordingLine[] = [];
  const scheduler = new FakeScheduler();
  const conn = new VenueFeed({
    adapter,
    subscriptions: [{ channel: 'trades', symbol: 'BTC-USD' }],
    socketFactory: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    scheduler,
    random: () => 0.5,
    onEvent: (e) => events.push(e),
    onStatus: (s) => statuses.push(s),
    record: (l) => lines.push(l),
    onMalformed: (exchange, detail, ts) =>
      malformed.push([exchange, detail, ts, lines.filter((l) => 'data' in l).length]),
  });
  return { conn, sockets, events, statuses, lines, scheduler, malformed };
}

describe('VenueFeed', () => {
  it('subscribes on open and delivers adapter events with latency counters', () => {
    const { conn, sockets, events, scheduler } = setup();
    conn.start();
    sockets[0]!.open();
    expect(sockets[0]!.sent).toEqual(['sub trades BTC-USD']);
    sockets[0]!.receive(`T BTC-USD ${scheduler.now() - 0.25} 100`);
    expect(events.map((e) => e.event)).toMatchObject([{ price: 100 }]);
    const st = conn.status();
    expect(st.state).toBe('live');
    expect(st.counters.messages).toBe(1);
    expect(st.counters.lastLatencySec).toBeCloseTo(0.25, 6);
  });

  it('reconnects with backoff after a drop and restores subscriptions', () => {
    const { conn, sockets, scheduler, statuses } = setup();
    conn.start();
    sockets[0]!.open();
    sockets[0]!.drop(1006);
    expect(conn.status().state).toBe('connecting');
    // First failure: delay 1000 ms with jitter 0.5 ⇒ 750 ms.
    scheduler.advance(749);
    expect(sockets).toHaveLength(1);
    scheduler.advance(1);
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    expect(sockets[1]!.sent).toEqual(['sub trades BTC-USD']);
    expect(conn.status().counters.reconnects).toBe(1);
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'live', 'connecting', 'live']);
  });

  it('reports a refused handshake as venue unavailable and keeps retrying, slower each time', () => {
    const { conn, sockets, scheduler } = setup();
    conn.start();
    sockets[0]!.drop(1006);
    expect(conn.status()).toMatchObject({
      state: 'error',
      reason: expect.stringContaining('venue unavailable from this location'),
    });
    scheduler.advance(750);
    sockets[1]!.drop(1006);
    scheduler.advance(1499);
    expect(sockets).toHaveLength(2);
    scheduler.advance(1);
    expect(sockets).toHaveLength(3);
  });

  it('marks a gap, sends the resync, and returns to live on the next snapshot', () => {
    const { conn, sockets, lines } = setup();
    conn.start();
    sockets[0]!.open();
    sockets[0]!.receive('G BTC-USD');
    expect(conn.status()).toMatchObject({
      state: 'resyncing',
      counters: { gaps: 1, checksumFailures: 1 },
    });
    expect(sockets[0]!.sent).toContain('resub BTC-USD');
    sockets[0]!.receive('S BTC-USD');
    expect(conn.status().state).toBe('live');
    expect(lines.filter((l) => 'marker' in l).map((l) => (l as { marker: string }).marker)).toEqual(
      ['connect', 'gap'],
    );
  });

  it('holds back the resync of a book that keeps failing, doubling the wait', () => {
    const { conn, sockets, scheduler } = setup();
    conn.start();
    sockets[0]!.open();
    const resubs = () => sockets[0]!.sent.filter((f) => f === 'resub BTC-USD').length;
    for (let i = 0; i < 3; i++) sockets[0]!.receive('G BTC-USD');
    expect(resubs()).toBe(3);
    sockets[0]!.receive('G BTC-USD');
    expect(resubs()).toBe(3);
    expect(conn.status().reason).toContain('resync in 1 s');
    scheduler.advance(1000);
    expect(resubs()).toBe(4);
    sockets[0]!.receive('G BTC-USD');
    scheduler.advance(1999);
    expect(resubs()).toBe(4);
    scheduler.advance(1);
    expect(resubs()).toBe(5);
    // A minute of calm forgives the history: the next gap resyncs at once again.
    scheduler.advance(60_000);
    sockets[0]!.receive('G BTC-USD');
    expect(resubs()).toBe(6);
  });

  it('cancels a held resync on stop: a restarted feed does not send it', () => {
    const { conn, sockets, scheduler } = setup();
    conn.start();
    sockets[0]!.open();
    for (let i = 0; i < 4; i++) sockets[0]!.receive('G BTC-USD');
    conn.stop();
    conn.start();
    sockets[1]!.open();
    scheduler.advance(60_000);
    expect(sockets[1]!.sent).toEqual(['sub trades BTC-USD']);
  });

  it('counts malformed frames and carries on', () => {
    const { conn, sockets, events, scheduler } = setup();
    conn.start();
    sockets[0]!.open();
    sockets[0]!.receive('{not json');
    sockets[0]!.receive(`T BTC-USD ${scheduler.now()} 5`);
    expect(conn.status().counters.malformed).toBe(1);
    expect(events).toHaveLength(1);
  });

  it('reports each malformed frame with its reason, after recording it, and keeps the last reason', () => {
    const { conn, sockets, scheduler, malformed } = setup();
    conn.start();
    sockets[0]!.open();
    expect(conn.status().lastMalformed).toBeUndefined();
    sockets[0]!.receive('{bad 1');
    sockets[0]!.receive(`T BTC-USD ${scheduler.now()} 5`);
    sockets[0]!.receive('{bad 2');
    // The CLI names the recording line from the count of recorded frames: 1st and 3rd.
    expect(malformed).toEqual([
      ['KRAKEN', '{bad 1', scheduler.now(), 1],
      ['KRAKEN', '{bad 2', scheduler.now(), 3],
    ]);
    expect(conn.status()).toMatchObject({ counters: { malformed: 2 }, lastMalformed: '{bad 2' });
  });

  it('sends application pings and reconnects a silent socket', () => {
    const { conn, sockets, scheduler } = setup(toyAdapter({ frame: 'ping', intervalSec: 20 }));
    conn.start();
    sockets[0]!.open();
    scheduler.advance(20_000);
    expect(sockets[0]!.sent.filter((f) => f === 'ping')).toHaveLength(1);
    scheduler.advance(20_000);
    expect(conn.status().state).toBe('stale');
    scheduler.advance(20_000);
    expect(sockets[0]!.closed).toMatchObject({ code: 4000 });
    expect(conn.status().state).toBe('connecting');
  });

  it('records every received frame verbatim', () => {
    const { conn, sockets, lines } = setup();
    conn.start();
    sockets[0]!.open();
    sockets[0]!.receive('T BTC-USD 1 2');
    expect(lines).toContainEqual(
      expect.objectContaining({ exchange: 'KRAKEN', data: 'T BTC-USD 1 2' }),
    );
  });

  it('stops cleanly and does not reconnect', () => {
    const { conn, sockets, scheduler } = setup();
    conn.start();
    sockets[0]!.open();
    conn.stop();
    scheduler.advance(120_000);
    expect(sockets).toHaveLength(1);
    expect(conn.status().state).toBe('stopped');
  });

  it('connects to the overridden origin, keeping the venue path', () => {
    expect(overrideOrigin('wss://ws.kraken.com/v2', 'ws://127.0.0.1:9000')).toBe(
      'ws://127.0.0.1:9000/v2',
    );
    expect(overrideOrigin('wss://stream.bybit.com/v5/public/spot', undefined)).toBe(
      'wss://stream.bybit.com/v5/public/spot',
    );
  });

  it('routes sends to the connection they name and clears a gap whichever socket resyncs it', () => {
    const base = toyAdapter();
    const adapter: VenueAdapter = {
      ...base,
      endpoints: () => ['wss://toy/stream', 'wss://toy/api'],
      subscribeFrames: (url) => (url.endsWith('stream') ? ['sub'] : []),
      onFrame(text, ts, url) {
        if (text.startsWith('G')) {
          return [
            {
              type: 'gap',
              symbol: 'X',
              channel: 'l2_book',
              reason: 'sequence',
              detail: '',
              receipt_timestamp: ts,
            },
            { type: 'send', frame: 'snapshot? X', url: 'wss://toy/api' },
          ];
        }
        return url?.endsWith('api') ? base.onFrame('S X', ts) : base.onFrame(text, ts);
      },
    };
    const { conn, sockets } = setup(adapter);
    conn.start();
    sockets.forEach((s) => s.open());
    const [stream, api] = sockets;
    stream!.receive('G');
    expect(api!.sent).toEqual(['snapshot? X']);
    expect(stream!.sent).toEqual(['sub']);
    expect(conn.status().state).toBe('resyncing');
    api!.receive('snapshot');
    expect(conn.status().state).toBe('live');
  });
});
