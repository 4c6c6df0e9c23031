/**
 * Coinbase Advanced Trade market data (`/`): one channel per subscribe message, a `subscriptions`
 * ack, and per-connection `sequence_num` on every message. `level2` arrives as `l2_data` (whole-
 * book snapshot, then updates), `market_trades` in 250 ms batches (side = maker side, per the
 * docs), `ticker` on best bid/ask changes, `heartbeats` every second. A connection that subscribes
 * to nothing within 5 s is closed, as Coinbase does.
 */
import type { Level } from '../../../src/core/events.ts';
import { BookView } from '../bookView.ts';
import type { SimConnection } from '../connection.ts';
import { rfc3339, trimmed } from '../format.ts';
import type { MarketDriver, SymbolSpec } from '../market.ts';
import type { VenueModule } from '../VenueModule.ts';
import { bbo, parseObject, summarize } from './common.ts';
import { Subscribers } from './subscribers.ts';

const CHANNELS = ['level2', 'market_trades', 'ticker', 'heartbeats'] as const;

interface Conn {
  seq: number;
  subscribed: boolean;
  heartbeatAt: number;
  heartbeats: number;
}

export function coinbaseVenue(market: MarketDriver): VenueModule {
  const subs = new Subscribers();
  const views = new Map<string, BookView>();
  const recent = new Map<string, string[]>();
  const pending = new Map<string, string[]>();
  const bbos = new Map<string, string>();
  const conns = new Set<SimConnection>();
  let tradesAt = 0;

  const spec = (p: string) => market.specs.get(p);
  const px = (s: SymbolSpec, x: number) => trimmed(x, s.priceDp);
  const sz = (s: SymbolSpec, x: number) => trimmed(x, s.sizeDp);

  function send(conn: SimConnection, channel: string, events: string, tsSec: number): void {
    const c = conn.state as Conn;
    conn.send(
      `{"channel":"${channel}","timestamp":"${rfc3339(tsSec, 9)}","sequence_num":${c.seq++},"events":${events}}`,
    );
  }

  function updates(s: SymbolSpec, side: 'bid' | 'offer', levels: readonly Level[], time: string) {
    return levels.map(
      ([p, q]) =>
        `{"side":"${side}","event_time":"${time}","price_level":"${px(s, p)}","new_quantity":"${sz(s, q)}"}`,
    );
  }

  function l2Event(
    s: SymbolSpec,
    type: string,
    bids: readonly Level[],
    asks: readonly Level[],
    t: string,
  ) {
    const u = [...updates(s, 'bid', bids, t), ...updates(s, 'offer', asks, t)].join(',');
    return `[{"type":"${type}","product_id":"${s.symbol}","updates":[${u}]}]`;
  }

  function tickerEvent(s: SymbolSpec, type: string): string | undefined {
    const b = bbo(market.books.get(s.symbol)!);
    if (!b) return undefined;
    const st = market.statsOf(s.symbol);
    const chg = st.open > 0 ? ((st.last - st.open) / st.open) * 100 : 0;
    const t = {
      type: 'ticker',
      product_id: s.symbol,
      price: px(s, st.last),
      volume_24_h: sz(s, st.volume),
      low_24_h: px(s, st.low),
      high_24_h: px(s, st.high),
      low_52_w: px(s, st.low),
      high_52_w: px(s, st.high),
      price_percent_chg_24_h: String(chg),
      best_bid: px(s, b.bid[0]),
      best_bid_quantity: sz(s, b.bid[1]),
      best_ask: px(s, b.ask[0]),
      best_ask_quantity: sz(s, b.ask[1]),
    };
    return JSON.stringify([{ type, tickers: [t] }]);
  }

  function ack(conn: SimConnection): void {
    const by: Record<string, string[]> = {};
    for (const topic of conn.subscriptions) {
      const [ch, p] = topic.split(':') as [string, string];
      (by[ch] ??= []).push(p);
    }
    send(conn, 'subscriptions', JSON.stringify([{ subscriptions: by }]), Date.now() / 1000);
  }

  function subscribe(conn: SimConnection, channel: string, products: string[]): void {
    const now = Date.now() / 1000;
    if (channel === 'heartbeats') {
      subs.add('heartbeats:heartbeats', conn);
      return ack(conn);
    }
    for (const p of products) subs.add(`${channel}:${p}`, conn);
    ack(conn);
    for (const p of products) {
      const s = spec(p)!;
      if (channel === 'level2') {
        let v = views.get(p);
        if (!v) {
          views.set(p, (v = new BookView(Infinity)));
          v.reset(market.books.get(p)!);
        }
        const snap = v.snapshot();
        send(
          conn,
          'l2_data',
          l2Event(s, 'snapshot', snap.bids, snap.asks, '1970-01-01T00:00:00Z'),
          now,
        );
      } else if (channel === 'market_trades') {
        send(
          conn,
          'market_trades',
          `[{"type":"snapshot","trades":[${(recent.get(p) ?? []).join(',')}]}]`,
          now,
        );
      } else {
        const ev = tickerEvent(s, 'snapshot');
        if (ev) send(conn, 'ticker', ev, now);
      }
    }
  }

  function fanout(topic: string, channel: string, events: string, ts: number, book = false) {
    for (const conn of subs.of(topic)) {
      if (book && conn.takeDrop())
        (conn.state as Conn).seq++; // lost in transit: a sequence gap
      else send(conn, channel, events, ts);
    }
  }

  return {
    id: 'coinbase',
    accepts: (path) => path === '/',
    open(conn) {
      conn.state = { seq: 0, subscribed: false, heartbeatAt: Date.now() + 1000, heartbeats: 0 };
      conns.add(conn);
    },
    message(conn, text) {
      const m = parseObject(text);
      const type = m?.['type'];
      const channel = m?.['channel'];
      const products = Array.isArray(m?.['product_ids'])
        ? (m['product_ids'] as unknown[]).map(String)
        : [];
      const bad = products.find((p) => !spec(p));
      if (!m || (type !== 'subscribe' && type !== 'unsubscribe') || typeof channel !== 'string') {
        return conn.send('{"type":"error","message":"Failed to parse message"}');
      }
      if (!(CHANNELS as readonly string[]).includes(channel) || bad !== undefined) {
        const reason =
          bad !== undefined ? `${bad} is not a valid product` : `unknown channel ${channel}`;
        return conn.send(JSON.stringify({ type: 'error', message: 'Failed to subscribe', reason }));
      }
      (conn.state as Conn).subscribed = true;
      if (type === 'subscribe') return subscribe(conn, channel, products);
      const topics = [...conn.subscriptions].filter((t) => t.startsWith(`${channel}:`));
      for (const t of topics) {
        if (products.length === 0 || products.includes(t.slice(channel.length + 1))) {
          if (subs.remove(t, conn) && channel === 'level2') views.delete(t.slice(7));
        }
      }
      ack(conn);
    },
    closed(conn) {
      conns.delete(conn);
      for (const t of [...conn.subscriptions]) {
        if (subs.remove(t, conn) && t.startsWith('level2:')) views.delete(t.slice(7));
      }
    },
    tick(events, nowMs, flushAll) {
      const now = nowMs / 1000;
      const { books, trades } = summarize(events);
      for (const { symbol, t } of trades) {
        const s = spec(symbol)!;
        const side = t.side === 'buy' ? 'SELL' : 'BUY'; // the maker's side
        const j = `{"trade_id":"${t.id}","product_id":"${symbol}","price":"${px(s, t.price)}","size":"${sz(s, t.amount)}","side":"${side}","time":"${rfc3339(t.timestamp, 9)}"}`;
        const r = recent.get(symbol) ?? [];
        r.push(j);
        if (r.length > 50) r.shift();
        recent.set(symbol, r);
        if (subs.has(`market_trades:${symbol}`))
          pending.set(symbol, [...(pending.get(symbol) ?? []), j]);
      }
      for (const [p, ts] of books) {
        const v = views.get(p);
        const s = spec(p)!;
        if (v) {
          const d = v.diff(market.books.get(p)!);
          const ev = l2Event(s, 'update', d.bids, d.asks, rfc3339(ts, 9));
          if (d.bids.length + d.asks.length > 0) fanout(`level2:${p}`, 'l2_data', ev, now, true);
        }
        const key = bbo(market.books.get(p)!)?.key ?? '';
        if (key !== bbos.get(p) && subs.has(`ticker:${p}`)) {
          const ev = tickerEvent(s, 'update');
          if (ev) fanout(`ticker:${p}`, 'ticker', ev, now);
        }
        bbos.set(p, key);
      }
      if (flushAll || nowMs >= tradesAt) {
        tradesAt = nowMs + 245; // market_trades batches the last 250 ms
        for (const [p, list] of pending) {
          fanout(
            `market_trades:${p}`,
            'market_trades',
            `[{"type":"update","trades":[${list.join(',')}]}]`,
            now,
          );
        }
        pending.clear();
      }
      for (const conn of conns) {
        const c = conn.state as Conn;
        if (!c.subscribed && nowMs - conn.openedAt > 5000) conn.close(1000, 'subscribe timeout');
        if (nowMs < c.heartbeatAt || !conn.subscriptions.has('heartbeats:heartbeats')) continue;
        c.heartbeatAt = nowMs + 1000;
        const ct = `${rfc3339(now, 9).replace('T', ' ').replace('Z', '')} +0000 UTC`;
        send(
          conn,
          'heartbeats',
          `[{"current_time":"${ct}","heartbeat_counter":${++c.heartbeats}}]`,
          now,
        );
      }
    },
  };
}
