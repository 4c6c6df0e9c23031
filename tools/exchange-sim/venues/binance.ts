/**
 * Binance spot (`binance`) and USDⓈ-M futures (`binance-usdm`): raw (`/ws/<s>`) and combined
 * (`/stream?streams=a/b`) market streams, live SUBSCRIBE/UNSUBSCRIBE, and the WebSocket API `depth`
 * method whose `lastUpdateId` is the same engine counter the diff streams' `U`/`u`/`pu` come from.
 * Futures serve `@depth`/`@bookTicker`/`@trade` only under `/public` and `@aggTrade` only under
 * `/market`; on the wrong tier a stream is accepted and silent, like the real split endpoints.
 */
import type { L2BookEvent, MarketEvent, TradeEvent } from '../../../src/core/events.ts';
import { BookView } from '../bookView.ts';
import type { SimConnection } from '../connection.ts';
import { ms } from '../format.ts';
import type { MarketDriver } from '../market.ts';
import type { VenueModule } from '../VenueModule.ts';
import * as F from './binanceFrames.ts';
import { Subscribers } from './subscribers.ts';

interface ConnState {
  readonly api: boolean;
  readonly combined: boolean;
  readonly tier: 'public' | 'market' | undefined;
}

interface SymState {
  /** Engine update id: `lastUpdateId` of snapshots, `u` of diffs and book tickers. */
  updateId: number;
  tradeId: number;
  bbo: string;
}

interface DepthStream {
  readonly stream: F.StreamName;
  readonly view: BookView;
  lastFlushId: number;
  lastU: number;
  nextAt: number;
  lastEventMs: number;
}

export function binanceVenue(market: MarketDriver, usdm: boolean): VenueModule {
  const id = usdm ? 'binance-usdm' : 'binance';
  const apiPath = usdm ? '/ws-fapi/v1' : '/ws-api/v3';
  const syms = new Map<string, SymState>();
  const subs = new Subscribers();
  const depth = new Map<string, DepthStream>();
  let weight = 0;

  const find = (v: string) => market.find((s) => s.base + s.quote === v);
  const sym = (seed: string): SymState => {
    let s = syms.get(seed);
    if (!s) syms.set(seed, (s = { updateId: 1_000_000, tradeId: 5_000_000, bbo: '' }));
    return s;
  };
  for (const seed of market.specs.keys()) sym(seed);

  /** May `conn` receive `kind`? (USDⓈ-M tiers.) */
  function served(conn: SimConnection, kind: F.StreamKind): boolean {
    const tier = (conn.state as ConnState).tier;
    if (tier === undefined) return true;
    return (kind === 'aggTrade') === (tier === 'market');
  }

  function subscribe(conn: SimConnection, names: readonly string[]): boolean {
    for (const name of names) {
      const st = F.parseStream(name, usdm, find);
      if (!st) return false;
      subs.add(name, conn);
      if (st.kind === 'depth' && !depth.has(name)) {
        const view = new BookView(Infinity);
        view.reset(market.books.get(st.spec.symbol)!);
        const u = sym(st.spec.symbol).updateId;
        depth.set(name, { stream: st, view, lastFlushId: u, lastU: u, nextAt: 0, lastEventMs: 0 });
      }
    }
    return true;
  }

  function unsubscribe(conn: SimConnection, names: readonly string[]): void {
    for (const n of names) if (subs.remove(n, conn)) depth.delete(n);
  }

  function send(name: string, kind: F.StreamKind, payload: string, nowMs: number, book = false) {
    for (const conn of subs.of(name)) {
      if (!served(conn, kind)) continue;
      if (book && conn.takeDrop()) continue;
      const c = conn.state as ConnState;
      conn.send(c.combined ? `{"stream":"${name}","data":${payload}}` : payload, nowMs);
    }
  }

  function onTrade(seed: string, t: TradeEvent, s: SymState, nowMs: number): void {
    s.tradeId++;
    if (usdm) s.updateId++; // futures ids also count non-book events: U/u are not contiguous
    const spec = market.specs.get(seed)!;
    const v = spec.base + spec.quote;
    const fields = {
      E: nowMs,
      T: ms(t.timestamp),
      s: v,
      id: s.tradeId,
      aggId: s.tradeId - 4_000_000,
      price: t.price,
      qty: t.amount,
      m: t.side === 'sell',
    };
    const lower = v.toLowerCase();
    const fmt = F.formatter(usdm, spec);
    if (subs.has(`${lower}@aggTrade`)) {
      send(`${lower}@aggTrade`, 'aggTrade', F.aggTrade(usdm, fmt, fields), nowMs);
    }
    if (subs.has(`${lower}@trade`)) send(`${lower}@trade`, 'trade', F.trade(fmt, fields), nowMs);
  }

  function onBbo(seed: string, s: SymState, tsMs: number, nowMs: number): void {
    const book = market.books.get(seed)!;
    const bid = book.bids[0];
    const ask = book.asks[0];
    if (!bid || !ask) return;
    const key = `${bid[0]}:${bid[1]}:${ask[0]}:${ask[1]}`;
    if (key === s.bbo) return;
    s.bbo = key;
    const spec = market.specs.get(seed)!;
    const name = `${(spec.base + spec.quote).toLowerCase()}@bookTicker`;
    if (!subs.has(name)) return;
    const fmt = F.formatter(usdm, spec);
    const o = { u: s.updateId, s: spec.base + spec.quote, bid, ask, E: nowMs, T: tsMs };
    send(name, 'bookTicker', F.bookTicker(usdm, fmt, o), nowMs);
  }

  function flush(d: DepthStream, nowMs: number): void {
    const seed = d.stream.spec.symbol;
    const s = sym(seed);
    if (s.updateId === d.lastFlushId) return;
    const diff = d.view.diff(market.books.get(seed)!);
    const f = {
      E: nowMs,
      T: d.lastEventMs || nowMs,
      s: d.stream.venueSymbol,
      U: d.lastFlushId + 1,
      u: s.updateId,
      pu: d.lastU,
    };
    d.lastFlushId = d.lastU = s.updateId;
    const fmt = F.formatter(usdm, d.stream.spec);
    send(d.stream.name, 'depth', F.depthUpdate(usdm, fmt, f, diff), nowMs, true);
  }

  function apiMessage(conn: SimConnection, msg: Record<string, unknown>, nowMs: number): void {
    const rid = msg['id'];
    const params = (msg['params'] ?? {}) as Record<string, unknown>;
    if (msg['method'] === 'ping') {
      conn.send(
        `{"id":${JSON.stringify(rid)},"status":200,"result":{},"rateLimits":${F.rateLimits(weight)}}`,
      );
      return;
    }
    if (msg['method'] !== 'depth') {
      conn.send(F.apiError(rid, 400, -1013, `Unknown method '${String(msg['method'])}'.`));
      return;
    }
    const spec = typeof params['symbol'] === 'string' ? find(params['symbol']) : undefined;
    if (!spec) {
      conn.send(F.apiError(rid, 400, -1121, 'Invalid symbol.'));
      return;
    }
    const limit = Math.min(Number(params['limit'] ?? 100) || 100, usdm ? 1000 : 5000);
    weight += limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
    const book = market.books.get(spec.symbol)!;
    const o = {
      L: sym(spec.symbol).updateId,
      bids: book.bids.slice(0, limit),
      asks: book.asks.slice(0, limit),
      nowMs,
      weight,
    };
    conn.send(F.depthResponse(usdm, F.formatter(usdm, spec), rid, o));
  }

  function streamMessage(conn: SimConnection, msg: Record<string, unknown>): void {
    const rid = msg['id'] ?? null;
    const params = Array.isArray(msg['params']) ? (msg['params'] as unknown[]).map(String) : [];
    const reply = (result: string) => conn.send(`{"result":${result},"id":${JSON.stringify(rid)}}`);
    switch (msg['method']) {
      case 'SUBSCRIBE':
        if (subscribe(conn, params)) reply('null');
        else
          conn.send(
            JSON.stringify({ error: { code: 2, msg: 'Invalid request: unknown stream' }, id: rid }),
          );
        return;
      case 'UNSUBSCRIBE':
        unsubscribe(conn, params);
        reply('null');
        return;
      case 'LIST_SUBSCRIPTIONS':
        reply(JSON.stringify([...conn.subscriptions]));
        return;
      default:
        conn.send(
          JSON.stringify({ error: { code: 1, msg: 'Invalid request: unknown method' }, id: rid }),
        );
    }
  }

  return {
    id,
    accepts(path) {
      if (path === apiPath) return true;
      if (usdm) return /^\/(public|market)\/(ws|stream)(\/|$)/.test(path);
      // `/ws/<symbol>@<stream>…` only: OKX's `/ws/v5/public` is not ours.
      return path === '/stream' || path === '/ws' || /^\/ws\/[a-z0-9]+@/.test(path);
    },
    open(conn, url) {
      const path = url.pathname;
      const tier = usdm ? (path.startsWith('/market') ? 'market' : 'public') : undefined;
      const combined = path.endsWith('/stream');
      conn.state = { api: path === apiPath, combined, tier: path === apiPath ? undefined : tier };
      const names = combined
        ? (url.searchParams.get('streams') ?? '').split('/').filter(Boolean)
        : (path.split('/ws/')[1]?.split('/').filter(Boolean) ?? []);
      // Unknown streams in the URL just stay silent, as on Binance.
      for (const n of names) subscribe(conn, [n]);
    },
    message(conn, text) {
      let msg: unknown;
      try {
        msg = JSON.parse(text);
      } catch {
        conn.send(JSON.stringify({ error: { code: 3, msg: 'Invalid JSON' }, id: null }));
        return;
      }
      if (typeof msg !== 'object' || msg === null) return;
      const m = msg as Record<string, unknown>;
      if ((conn.state as ConnState).api) apiMessage(conn, m, Date.now());
      else streamMessage(conn, m);
    },
    closed(conn) {
      unsubscribe(conn, [...conn.subscriptions]);
    },
    tick(events: readonly MarketEvent[], nowMs, flushAll) {
      const touched = new Map<string, number>();
      for (const e of events) {
        const s = sym(e.symbol);
        if (e.channel === 'l2_book') {
          s.updateId += (e.event as L2BookEvent).orders.length;
          touched.set(e.symbol, ms(e.event.timestamp));
        } else if (e.channel === 'trades') onTrade(e.symbol, e.event as TradeEvent, s, nowMs);
      }
      // The true books are already at the end of this batch: one book ticker per changed symbol.
      for (const [seed, tsMs] of touched) {
        onBbo(seed, sym(seed), tsMs, nowMs);
        for (const d of depth.values()) if (d.stream.spec.symbol === seed) d.lastEventMs = tsMs;
      }
      for (const d of depth.values()) {
        if (!flushAll && nowMs < d.nextAt) continue;
        // Tolerate timer jitter: a 100 ms stream flushes on the first tick ≥ 95 ms later.
        d.nextAt = nowMs + d.stream.intervalMs - 5;
        flush(d, nowMs);
      }
    },
  };
}
