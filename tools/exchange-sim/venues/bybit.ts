/**
 * Bybit v5 public streams (`/v5/public/spot`, `/v5/public/linear`): `orderbook.{1,50,200,1000}.S`
 * (snapshot on subscribe, then deltas at the depth's cadence; `u` +1 per push of a topic, `seq`
 * the symbol's cross sequence; level 1 is snapshot-only and re-pushed every 3 s), `publicTrade.S`,
 * `tickers.S` (linear: snapshot then deltas of changed fields; spot: snapshots without bid/ask),
 * and pong to `{"op":"ping"}` in the spot/linear form.
 */
import type { Level } from '../../../src/core/events.ts';
import { BookView } from '../bookView.ts';
import type { SimConnection } from '../connection.ts';
import { fixed } from '../format.ts';
import type { MarketDriver, SymbolSpec } from '../market.ts';
import type { VenueModule } from '../VenueModule.ts';
import { bbo, parseObject, summarize, uuidOf } from './common.ts';
import { Subscribers } from './subscribers.ts';

type Category = 'spot' | 'linear';
const CADENCE: Readonly<Record<string, number>> = { '1': 10, '50': 20, '200': 100, '1000': 200 };

interface Topic {
  readonly key: string;
  readonly topic: string;
  readonly kind: 'orderbook' | 'publicTrade' | 'tickers';
  readonly spec: SymbolSpec;
  readonly venue: string;
  readonly category: Category;
  readonly depth: number;
}

interface Stream {
  readonly t: Topic;
  readonly view: BookView;
  u: number;
  nextAt: number;
  repushAt: number;
  last: string;
}

export function bybitVenue(market: MarketDriver): VenueModule {
  const subs = new Subscribers();
  const streams = new Map<string, Stream>();
  /** Last published BBO and trade count per ticker topic: tickers go out on change. */
  const tickerState = new Map<string, string>();
  let connSeq = 0;
  let tradeSeq = 1_000_000;

  function parseTopic(category: Category, topic: string): Topic | undefined {
    const parts = topic.split('.');
    const kind = parts[0];
    const venue = parts[parts.length - 1] ?? '';
    const spec = market.find((s) =>
      category === 'linear' && s.quote === 'USDC'
        ? venue === `${s.base}PERP`
        : venue === s.base + s.quote,
    );
    if (!spec) return undefined;
    const key = `${category}|${topic}`;
    if (kind === 'orderbook' && parts.length === 3 && CADENCE[parts[1]!] !== undefined) {
      return { key, topic, kind, spec, venue, category, depth: Number(parts[1]) };
    }
    if ((kind === 'publicTrade' || kind === 'tickers') && parts.length === 2) {
      return { key, topic, kind, spec, venue, category, depth: 0 };
    }
    return undefined;
  }

  const px = (s: SymbolSpec, x: number) => fixed(x, s.priceDp);
  const sz = (s: SymbolSpec, x: number) => fixed(x, s.sizeDp);
  const lv = (s: SymbolSpec, l: readonly Level[]) =>
    JSON.stringify(l.map(([p, q]) => [px(s, p), sz(s, q)]));

  function bookFrame(
    st: Stream,
    type: string,
    b: readonly Level[],
    a: readonly Level[],
    nowMs: number,
  ) {
    const { t } = st;
    const seq = market.l2Count.get(t.spec.symbol) ?? 0;
    return `{"topic":"${t.topic}","type":"${type}","ts":${nowMs},"data":{"s":"${t.venue}","b":${lv(t.spec, b)},"a":${lv(t.spec, a)},"u":${st.u},"seq":${seq}},"cts":${nowMs - 1}}`;
  }

  function tickerFrame(t: Topic, type: 'snapshot' | 'delta', nowMs: number): string {
    const s = t.spec;
    const st = market.statsOf(s.symbol);
    const b = bbo(market.books.get(s.symbol)!);
    const pct = ((st.last - st.open) / st.open).toFixed(6);
    const d: Record<string, string> = { symbol: t.venue, lastPrice: px(s, st.last) };
    if (type === 'snapshot') {
      Object.assign(d, {
        price24hPcnt: pct,
        highPrice24h: px(s, st.high),
        lowPrice24h: px(s, st.low),
        prevPrice24h: px(s, st.open),
        volume24h: sz(s, st.volume),
        turnover24h: st.notional.toFixed(4),
      });
    }
    if (t.category === 'linear' && b) {
      Object.assign(d, {
        markPrice: px(s, st.last),
        indexPrice: px(s, st.last),
        fundingRate: '0.0001',
        bid1Price: px(s, b.bid[0]),
        bid1Size: sz(s, b.bid[1]),
        ask1Price: px(s, b.ask[0]),
        ask1Size: sz(s, b.ask[1]),
      });
    }
    const cs = market.l2Count.get(s.symbol) ?? 0;
    return `{"topic":"${t.topic}","type":"${type}","data":${JSON.stringify(d)},"cs":${cs},"ts":${nowMs}}`;
  }

  function subscribe(conn: SimConnection, t: Topic, nowMs: number): void {
    subs.add(t.key, conn);
    if (t.kind === 'tickers') return conn.send(tickerFrame(t, 'snapshot', nowMs));
    if (t.kind !== 'orderbook') return;
    let st = streams.get(t.key);
    if (!st) {
      const view = new BookView(t.depth);
      view.reset(market.books.get(t.spec.symbol)!);
      streams.set(t.key, (st = { t, view, u: 1, nextAt: 0, repushAt: nowMs + 3000, last: '' }));
    }
    const snap = st.view.snapshot();
    conn.send(bookFrame(st, 'snapshot', snap.bids, snap.asks, nowMs));
  }

  function fanout(key: string, frame: string, book = false): void {
    for (const c of subs.of(key)) if (!(book && c.takeDrop())) c.send(frame);
  }

  function flush(st: Stream, nowMs: number): void {
    const truth = market.books.get(st.t.spec.symbol)!;
    const d = st.view.diff(truth);
    const changed = d.bids.length + d.asks.length > 0;
    if (st.t.depth === 1) {
      // Level 1 is snapshot-only; unchanged, it is re-pushed every 3 s with the same u.
      if (!changed && nowMs < st.repushAt) return;
      if (changed) st.u++;
      st.repushAt = nowMs + 3000;
      const top = st.view.snapshot();
      // Not a `drop` target: a lost level-1 snapshot leaves no gap (the next one replaces it).
      return fanout(st.t.key, bookFrame(st, 'snapshot', top.bids, top.asks, nowMs));
    }
    if (!changed) return;
    st.u++;
    fanout(st.t.key, bookFrame(st, 'delta', d.bids, d.asks, nowMs), true);
  }

  function reply(
    conn: SimConnection,
    op: string,
    reqId: unknown,
    success: boolean,
    retMsg: string,
  ) {
    const c = conn.state as { id: string };
    const rid = reqId === undefined ? '' : `,"req_id":${JSON.stringify(reqId)}`;
    conn.send(
      `{"success":${success},"ret_msg":${JSON.stringify(retMsg)},"conn_id":"${c.id}"${rid},"op":"${op}"}`,
    );
  }

  return {
    id: 'bybit',
    accepts: (path) => path === '/v5/public/spot' || path === '/v5/public/linear',
    open(conn, url) {
      conn.state = { id: uuidOf(++connSeq), category: url.pathname.slice(11) as Category };
    },
    message(conn, text) {
      const m = parseObject(text);
      const c = conn.state as { category: Category };
      if (!m) return reply(conn, '', undefined, false, 'error:invalid JSON');
      const op = String(m['op']);
      const args = Array.isArray(m['args']) ? (m['args'] as unknown[]).map(String) : [];
      if (op === 'ping') return reply(conn, 'ping', m['req_id'], true, 'pong');
      if (op !== 'subscribe' && op !== 'unsubscribe') {
        return reply(conn, op, m['req_id'], false, `error:unknown op ${op}`);
      }
      const topics = args.map((a) => parseTopic(c.category, a));
      const bad = args.find((_a, i) => !topics[i]);
      if (bad !== undefined) return reply(conn, op, m['req_id'], false, `Invalid topic :[${bad}]`);
      reply(
        conn,
        op,
        m['req_id'],
        true,
        op === 'subscribe' && c.category === 'spot' ? 'subscribe' : '',
      );
      for (const t of topics as Topic[]) {
        if (op === 'subscribe') subscribe(conn, t, Date.now());
        else if (subs.remove(t.key, conn)) streams.delete(t.key);
      }
    },
    closed(conn) {
      for (const k of [...conn.subscriptions]) if (subs.remove(k, conn)) streams.delete(k);
    },
    tick(events, nowMs, flushAll) {
      const { books, trades } = summarize(events);
      const byTopic = new Map<string, string[]>();
      for (const { symbol, t } of trades) {
        const s = market.specs.get(symbol)!;
        for (const cat of ['spot', 'linear'] as const) {
          const key = `${cat}|publicTrade.${s.base}${s.quote}`;
          if (!subs.has(key)) continue;
          const one = `{"T":${Math.floor(t.timestamp * 1000)},"s":"${s.base}${s.quote}","S":"${t.side === 'buy' ? 'Buy' : 'Sell'}","v":"${sz(s, t.amount)}","p":"${px(s, t.price)}","L":"PlusTick","i":"${uuidOf(Number(t.id), 7)}","BT":false,"RPI":false,"seq":${++tradeSeq}}`;
          byTopic.set(key, [...(byTopic.get(key) ?? []), one]);
        }
      }
      for (const [key, list] of byTopic) {
        fanout(
          key,
          `{"topic":"${key.split('|')[1]}","type":"snapshot","ts":${nowMs},"data":[${list.join(',')}]}`,
        );
      }
      for (const st of streams.values()) {
        if (!flushAll && nowMs < st.nextAt) continue;
        st.nextAt = nowMs + (CADENCE[String(st.t.depth)] ?? 100) - 5;
        flush(st, nowMs);
      }
      for (const key of subs.topics()) {
        if (!key.includes('|tickers.')) continue;
        const t = parseTopic(key.startsWith('spot') ? 'spot' : 'linear', key.split('|')[1]!)!;
        if (!books.has(t.spec.symbol)) continue;
        const b = bbo(market.books.get(t.spec.symbol)!)?.key ?? '';
        const last = `${b}|${market.statsOf(t.spec.symbol).trades}`;
        const prev = tickerState.get(key);
        tickerState.set(key, last);
        if (prev !== last)
          fanout(key, tickerFrame(t, t.category === 'spot' ? 'snapshot' : 'delta', nowMs));
      }
    },
  };
}
