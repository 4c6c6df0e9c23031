/**
 * Kraken spot websocket v2 (`/v2`): `status` on connect, `instrument` (pairs with
 * `price_precision`/`qty_precision`), `book` per depth with a CRC32 over the top 10 levels written
 * with those precisions (numbers on the wire carry them: `64000.0`, `0.50000000`), `trade`,
 * `ticker` (`event_trigger: bbo`), `pong` to `ping`, and `heartbeat` after 1 s of silence. Like
 * Kraken, book updates send no deletes for levels that only fell below the subscribed depth.
 */
import { crc32 } from 'node:zlib';
import type { Level } from '../../../src/core/events.ts';
import { BookView } from '../bookView.ts';
import type { SimConnection } from '../connection.ts';
import { fixed, rfc3339 } from '../format.ts';
import type { MarketDriver, SymbolSpec } from '../market.ts';
import type { VenueModule } from '../VenueModule.ts';
import { bbo, parseObject, summarize } from './common.ts';
import { Subscribers } from './subscribers.ts';

const QTY_DP = 8;
const DEPTHS = [10, 25, 100, 500, 1000];

interface Stream {
  readonly spec: SymbolSpec;
  readonly pair: string;
  readonly view: BookView;
}

/** Kraken's checksum token: the fixed-precision text without its point and leading zeros. */
function token(text: string): string {
  return text.replace('.', '').replace(/^0+/, '');
}

export function krakenVenue(market: MarketDriver): VenueModule {
  const subs = new Subscribers();
  const streams = new Map<string, Stream>();
  const bbos = new Map<string, string>();
  let connSeq = 0;

  const pairOf = (s: SymbolSpec) => `${s.base}/${s.quote}`;
  const specOf = (pair: string) => market.find((s) => pairOf(s) === pair);
  const px = (s: SymbolSpec, x: number) => fixed(x, s.priceDp);
  const qty = (x: number) => fixed(x, QTY_DP);
  const levels = (s: SymbolSpec, l: readonly Level[]) =>
    `[${l.map(([p, q]) => `{"price":${px(s, p)},"qty":${qty(q)}}`).join(',')}]`;

  function checksum(st: Stream): number {
    const top = st.view.top(10);
    let text = '';
    for (const [p, q] of top.asks) text += token(px(st.spec, p)) + token(qty(q));
    for (const [p, q] of top.bids) text += token(px(st.spec, p)) + token(qty(q));
    return crc32(text);
  }

  function bookFrame(
    st: Stream,
    type: string,
    bids: readonly Level[],
    asks: readonly Level[],
    crc: number,
    ts: number,
  ) {
    return `{"channel":"book","type":"${type}","data":[{"symbol":"${st.pair}","bids":${levels(st.spec, bids)},"asks":${levels(st.spec, asks)},"checksum":${crc},"timestamp":"${rfc3339(ts, 6)}"}]}`;
  }

  function tickerFrame(s: SymbolSpec, type: string): string | undefined {
    const b = bbo(market.books.get(s.symbol)!);
    if (!b) return undefined;
    const st = market.statsOf(s.symbol);
    const vwap = st.volume > 0 ? st.notional / st.volume : st.last;
    const chg = st.last - st.open;
    return `{"channel":"ticker","type":"${type}","data":[{"symbol":"${pairOf(s)}","bid":${px(s, b.bid[0])},"bid_qty":${qty(b.bid[1])},"ask":${px(s, b.ask[0])},"ask_qty":${qty(b.ask[1])},"last":${px(s, st.last)},"volume":${qty(st.volume)},"vwap":${px(s, vwap)},"low":${px(s, st.low)},"high":${px(s, st.high)},"change":${px(s, chg)},"change_pct":${((chg / st.open) * 100).toFixed(2)},"timestamp":"${rfc3339(Date.now() / 1000, 6)}"}]}`;
  }

  function instrumentFrame(): string {
    const pairs = [...market.specs.values()].map((s) => ({
      symbol: pairOf(s),
      base: s.base,
      quote: s.quote,
      status: 'online',
      qty_precision: QTY_DP,
      qty_increment: s.lotSize,
      price_precision: s.priceDp,
      cost_precision: 5,
      marginable: false,
      has_index: true,
      cost_min: 0.5,
      tick_size: s.tickSize,
      price_increment: s.tickSize,
      qty_min: s.lotSize,
    }));
    return JSON.stringify({ channel: 'instrument', type: 'snapshot', data: { assets: [], pairs } });
  }

  function ack(conn: SimConnection, method: string, reqId: unknown, result: object | string) {
    const t = rfc3339(Date.now() / 1000, 6);
    const rid = reqId === undefined ? {} : { req_id: reqId };
    const body =
      typeof result === 'string'
        ? { error: result, method, ...rid, success: false, time_in: t, time_out: t }
        : { method, result, success: true, time_in: t, time_out: t, ...rid };
    conn.send(JSON.stringify(body));
  }

  function onSubscribe(
    conn: SimConnection,
    method: string,
    p: Record<string, unknown>,
    rid: unknown,
  ) {
    const channel = String(p['channel']);
    const on = method === 'subscribe';
    const snapshot = p['snapshot'] !== false;
    if (channel === 'instrument') {
      ack(conn, method, rid, { channel, snapshot });
      if (on) subs.add('instrument', conn);
      else subs.remove('instrument', conn);
      if (on && snapshot) conn.send(instrumentFrame());
      return;
    }
    if (!['book', 'trade', 'ticker'].includes(channel))
      return ack(conn, method, rid, `Channel ${channel} not found`);
    const depth = channel === 'book' ? Number(p['depth'] ?? 10) : 0;
    if (channel === 'book' && !DEPTHS.includes(depth))
      return ack(conn, method, rid, 'Invalid depth');
    const symbols = Array.isArray(p['symbol']) ? (p['symbol'] as unknown[]).map(String) : [];
    for (const pair of symbols) {
      const s = specOf(pair);
      if (!s) {
        ack(conn, method, rid, `Currency pair not supported ${pair}`);
        continue;
      }
      const key = channel === 'book' ? `book:${pair}:${depth}` : `${channel}:${pair}`;
      const result =
        channel === 'book'
          ? { channel, depth, snapshot, symbol: pair }
          : { channel, snapshot, symbol: pair };
      ack(conn, method, rid, on ? result : { channel, ...(depth ? { depth } : {}), symbol: pair });
      if (!on) {
        if (subs.remove(key, conn)) streams.delete(key);
        continue;
      }
      subs.add(key, conn);
      if (channel === 'ticker' && snapshot) {
        const f = tickerFrame(s, 'snapshot');
        if (f) conn.send(f);
      }
      if (channel !== 'book') continue;
      let st = streams.get(key);
      if (!st) {
        st = { spec: s, pair, view: new BookView(depth, false) };
        st.view.reset(market.books.get(s.symbol)!);
        streams.set(key, st);
      }
      const snap = st.view.snapshot();
      if (snapshot)
        conn.send(bookFrame(st, 'snapshot', snap.bids, snap.asks, checksum(st), Date.now() / 1000));
    }
  }

  return {
    id: 'kraken',
    accepts: (path) => path === '/v2',
    open(conn) {
      const id = 13834774380200032000n + BigInt(++connSeq);
      conn.send(
        `{"channel":"status","data":[{"api_version":"v2","connection_id":${id},"system":"online","version":"2.0.0"}],"type":"update"}`,
      );
    },
    message(conn, text) {
      const m = parseObject(text);
      const method = m?.['method'];
      const rid = m?.['req_id'];
      if (!m || typeof method !== 'string')
        return conn.send('{"error":"Unsupported field","success":false}');
      if (method === 'ping') {
        const t = rfc3339(Date.now() / 1000, 6);
        return conn.send(
          JSON.stringify({
            method: 'pong',
            ...(rid === undefined ? {} : { req_id: rid }),
            time_in: t,
            time_out: t,
          }),
        );
      }
      if (method !== 'subscribe' && method !== 'unsubscribe')
        return ack(conn, method, rid, 'Method not found');
      const params = m['params'];
      if (typeof params !== 'object' || params === null)
        return ack(conn, method, rid, 'Missing params');
      onSubscribe(conn, method, params as Record<string, unknown>, rid);
    },
    closed(conn) {
      for (const k of [...conn.subscriptions]) if (subs.remove(k, conn)) streams.delete(k);
    },
    tick(events, nowMs) {
      const { books, trades } = summarize(events);
      const byPair = new Map<string, string[]>();
      for (const { symbol, t } of trades) {
        const s = market.specs.get(symbol)!;
        if (!subs.has(`trade:${pairOf(s)}`)) continue;
        const one = `{"symbol":"${pairOf(s)}","side":"${t.side}","price":${px(s, t.price)},"qty":${qty(t.amount)},"ord_type":"market","trade_id":${t.id},"timestamp":"${rfc3339(t.timestamp, 6)}"}`;
        byPair.set(pairOf(s), [...(byPair.get(pairOf(s)) ?? []), one]);
      }
      for (const [pair, list] of byPair) {
        const f = `{"channel":"trade","type":"update","data":[${list.join(',')}]}`;
        for (const c of subs.of(`trade:${pair}`)) c.send(f);
      }
      for (const [key, st] of streams) {
        const ts = books.get(st.spec.symbol);
        if (ts === undefined) continue;
        const d = st.view.diff(market.books.get(st.spec.symbol)!);
        if (d.bids.length + d.asks.length === 0) continue;
        const crc = checksum(st);
        const frame = bookFrame(st, 'update', d.bids, d.asks, crc, ts);
        for (const c of subs.of(key)) {
          if (c.takeDrop()) continue;
          c.send(
            c.takeCorrupt()
              ? bookFrame(st, 'update', d.bids, d.asks, (crc ^ 0x5a5a5a5a) >>> 0, ts)
              : frame,
          );
        }
      }
      for (const symbol of books.keys()) {
        const s = market.specs.get(symbol)!;
        const key = bbo(market.books.get(symbol)!)?.key ?? '';
        if (key === bbos.get(symbol)) continue;
        bbos.set(symbol, key);
        const f = subs.has(`ticker:${pairOf(s)}`) ? tickerFrame(s, 'update') : undefined;
        if (f) for (const c of subs.of(`ticker:${pairOf(s)}`)) c.send(f);
      }
      // Kraken fills silences on a subscribed connection with a heartbeat about once a second.
      for (const key of ['instrument', ...subs.topics()]) {
        for (const c of subs.of(key))
          if (nowMs - c.lastSentAt >= 1000) c.send('{"channel":"heartbeat"}', nowMs);
      }
    },
  };
}
