/**
 * OKX v5 public (`/ws/v5/public`): `books` (snapshot with `prevSeqId: -1`, then 100 ms updates whose
 * `prevSeqId` is the previous message's `seqId`; `checksum` fixed to 0 as since 2026-06), `trades`
 * (one message per taker order), `tickers` (on change, ≤ 1 per 100 ms), per-arg subscribe acks,
 * and a text `pong` to a text `ping`. `BTC-USDT-SWAP` shares the `BTC-USDT` book.
 */
import type { Level } from '../../../src/core/events.ts';
import { BookView } from '../bookView.ts';
import type { SimConnection } from '../connection.ts';
import { trimmed } from '../format.ts';
import type { MarketDriver, SymbolSpec } from '../market.ts';
import type { VenueModule } from '../VenueModule.ts';
import { bbo, parseObject, summarize } from './common.ts';
import { Subscribers } from './subscribers.ts';

const CHANNELS = ['books', 'trades', 'tickers'];

interface Stream {
  readonly spec: SymbolSpec;
  readonly instId: string;
  readonly view: BookView;
  seqId: number;
  nextAt: number;
}

export function okxVenue(market: MarketDriver): VenueModule {
  const subs = new Subscribers();
  const streams = new Map<string, Stream>();
  const tickers = new Map<string, { key: string; nextAt: number }>();
  let connSeq = 0;

  const specOf = (instId: string) =>
    market.find((s) => s.symbol === instId || `${s.symbol}-SWAP` === instId);
  const px = (s: SymbolSpec, x: number) => trimmed(x, s.priceDp);
  const sz = (s: SymbolSpec, x: number) => trimmed(x, s.sizeDp);
  const seqOf = (s: SymbolSpec) => 2_000_000 + 3 * (market.l2Count.get(s.symbol) ?? 0);
  const levels = (s: SymbolSpec, l: readonly Level[]) =>
    JSON.stringify(
      l.map(([p, q]) => [
        px(s, p),
        sz(s, q),
        '0',
        q === 0 ? '0' : String(1 + (Math.round(q / s.lotSize) % 7)),
      ]),
    );

  function bookFrame(
    st: Stream,
    action: string,
    d: { bids: Level[]; asks: Level[] },
    prev: number,
    tsMs: number,
  ) {
    return `{"arg":{"channel":"books","instId":"${st.instId}"},"action":"${action}","data":[{"asks":${levels(st.spec, d.asks)},"bids":${levels(st.spec, d.bids)},"ts":"${tsMs}","checksum":0,"prevSeqId":${prev},"seqId":${st.seqId}}]}`;
  }

  function tickerFrame(s: SymbolSpec, instId: string, nowMs: number): string | undefined {
    const b = bbo(market.books.get(s.symbol)!);
    if (!b) return undefined;
    const st = market.statsOf(s.symbol);
    const d = {
      instType: instId.endsWith('-SWAP') ? 'SWAP' : 'SPOT',
      instId,
      last: px(s, st.last),
      lastSz: sz(s, st.lastSize),
      askPx: px(s, b.ask[0]),
      askSz: sz(s, b.ask[1]),
      bidPx: px(s, b.bid[0]),
      bidSz: sz(s, b.bid[1]),
      open24h: px(s, st.open),
      high24h: px(s, st.high),
      low24h: px(s, st.low),
      sodUtc0: px(s, st.open),
      sodUtc8: px(s, st.open),
      volCcy24h: st.notional.toFixed(4),
      vol24h: sz(s, st.volume),
      ts: String(nowMs),
    };
    return JSON.stringify({ arg: { channel: 'tickers', instId }, data: [d] });
  }

  function onOp(conn: SimConnection, m: Record<string, unknown>): void {
    const id = m['id'] === undefined ? {} : { id: m['id'] };
    const connId = (conn.state as { connId: string }).connId;
    const op = m['op'];
    const args = Array.isArray(m['args']) ? (m['args'] as Record<string, unknown>[]) : [];
    if (op !== 'subscribe' && op !== 'unsubscribe') {
      return conn.send(
        JSON.stringify({
          ...id,
          event: 'error',
          code: '60012',
          msg: `Invalid request: ${JSON.stringify(m)}`,
          connId,
        }),
      );
    }
    for (const a of args) {
      const channel = String(a?.['channel']);
      const instId = String(a?.['instId']);
      const s = specOf(instId);
      if (!s || !CHANNELS.includes(channel)) {
        const msg = `Wrong URL or channel:${channel},instId:${instId} doesn't exist. Please use the correct URL, channel and parameters referring to API document.`;
        conn.send(JSON.stringify({ ...id, event: 'error', code: '60018', msg, connId }));
        continue;
      }
      const key = `${channel}:${instId}`;
      conn.send(JSON.stringify({ ...id, event: op, arg: { channel, instId }, connId }));
      if (op === 'unsubscribe') {
        if (subs.remove(key, conn) && channel === 'books') streams.delete(instId);
        continue;
      }
      subs.add(key, conn);
      const now = Date.now();
      if (channel === 'tickers') {
        const f = tickerFrame(s, instId, now);
        if (f) conn.send(f);
      } else if (channel === 'books') {
        let st = streams.get(instId);
        if (!st) {
          st = { spec: s, instId, view: new BookView(400), seqId: seqOf(s), nextAt: 0 };
          st.view.reset(market.books.get(s.symbol)!);
          streams.set(instId, st);
        }
        conn.send(bookFrame(st, 'snapshot', st.view.snapshot(), -1, now));
      }
    }
  }

  function flushBook(st: Stream, nowMs: number): void {
    const d = st.view.diff(market.books.get(st.spec.symbol)!);
    if (d.bids.length + d.asks.length === 0) return;
    const prev = st.seqId;
    st.seqId = seqOf(st.spec);
    const frame = bookFrame(st, 'update', d, prev, nowMs);
    for (const c of subs.of(`books:${st.instId}`)) if (!c.takeDrop()) c.send(frame);
  }

  return {
    id: 'okx',
    accepts: (path) => path === '/ws/v5/public',
    open(conn) {
      conn.state = { connId: (0xa4d3ae55 + ++connSeq).toString(16).slice(-8) };
    },
    message(conn, text) {
      if (text === 'ping') return conn.send('pong');
      const m = parseObject(text);
      const connId = (conn.state as { connId: string }).connId;
      if (!m)
        return conn.send(
          JSON.stringify({
            event: 'error',
            code: '60012',
            msg: `Invalid request: ${text.slice(0, 100)}`,
            connId,
          }),
        );
      onOp(conn, m);
    },
    closed(conn) {
      for (const k of [...conn.subscriptions]) {
        if (subs.remove(k, conn) && k.startsWith('books:')) streams.delete(k.slice(6));
      }
    },
    tick(events, nowMs, flushAll) {
      const { books, trades } = summarize(events);
      for (const { symbol, t } of trades) {
        const s = market.specs.get(symbol)!;
        for (const instId of [symbol, `${symbol}-SWAP`]) {
          const key = `trades:${instId}`;
          if (!subs.has(key)) continue;
          const f = `{"arg":{"channel":"trades","instId":"${instId}"},"data":[{"instId":"${instId}","tradeId":"${t.id}","px":"${px(s, t.price)}","sz":"${sz(s, t.amount)}","side":"${t.side}","ts":"${Math.floor(t.timestamp * 1000)}","count":"1","source":"0","seqId":${seqOf(s)}}]}`;
          for (const c of subs.of(key)) c.send(f);
        }
      }
      for (const st of streams.values()) {
        if (!flushAll && nowMs < st.nextAt) continue;
        st.nextAt = nowMs + 95; // books pushes every 100 ms
        flushBook(st, nowMs);
      }
      for (const key of subs.topics()) {
        if (!key.startsWith('tickers:')) continue;
        const instId = key.slice(8);
        const s = specOf(instId)!;
        if (!books.has(s.symbol) && !flushAll) continue;
        const state = tickers.get(key) ?? { key: '', nextAt: 0 };
        const k = `${bbo(market.books.get(s.symbol)!)?.key}|${market.statsOf(s.symbol).trades}`;
        if (k === state.key || nowMs < state.nextAt) continue;
        tickers.set(key, { key: k, nextAt: nowMs + 100 });
        const f = tickerFrame(s, instId, nowMs);
        if (f) for (const c of subs.of(key)) c.send(f);
      }
    },
  };
}
