import {
  type BookSide,
  isValidPrice,
  isValidSize,
  isValidTimestamp,
  type L2Order,
  type MarketEvent,
  type TradeSide,
} from '../../core/events.ts';
import { crc32 } from './crc32.ts';
import {
  applyChecked,
  BULK_LEVELS,
  LevelBook,
  type LevelSide,
  type RawDecimal,
} from './LevelBook.ts';
import type { AdapterOutput, Subscription, VenueAdapter } from './VenueAdapter.ts';
import { adapterState } from './adapterState.ts';
import { FieldCheck, fieldProblem, malformedField, num, showValue } from './checkedNumber.ts';

/** OKX v5 public endpoint (`books`, `trades`, `tickers`). */
export const OKX_PUBLIC_URL = 'wss://ws.okx.com:8443/ws/v5/public';

export interface OkxAdapterOptions {
  /**
   * Verify the legacy `books` CRC32 when a frame carries a non-zero `checksum` (recordings made
   * before OKX fixed the field to 0 in 2026-06). Default true; live data always has 0.
   */
  readonly legacyChecksum?: boolean;
}

type Json = Record<string, unknown>;

interface BookState {
  /** `books`, or `books5` / `bbo-tbt` (full snapshots only) when replaying recordings of those. */
  readonly channel: string;
  readonly instId: string;
  readonly book: LevelBook;
  /** The book matches the exchange's: updates apply and are emitted. */
  live: boolean;
  /** `seqId` of the last applied message; undefined for feeds without sequence ids (pre-2023). */
  lastSeqId: number | undefined;
}

const CHANNELS = { l2_book: 'books', trades: 'trades', ticker: 'tickers' } as const;
/** OKX's limit is 64 KB of args per request; 100 short args stay far below it. */
const ARGS_PER_FRAME = 100;

/** Seed symbol → OKX instId: `BTC-USDT` stays, `BTC-USDT-PERP` → `BTC-USDT-SWAP`. */
export function okxInstId(symbol: string): string | undefined {
  const parts = symbol.split('-');
  if (parts.length === 2 && parts[0] && parts[1]) return symbol;
  if (parts.length === 3 && parts[0] && parts[1] && parts[2] === 'PERP')
    return `${parts[0]}-${parts[1]}-SWAP`;
  return undefined;
}

/** OKX instId → seed symbol (`-SWAP` → `-PERP`; spot and dated futures unchanged). */
export function seedSymbolFromOkx(instId: string): string {
  return instId.endsWith('-SWAP') ? instId.slice(0, -5) + '-PERP' : instId;
}

function instrumentType(instId: string): string {
  if (instId.endsWith('-SWAP')) return 'perpetual';
  let dashes = 0;
  for (let i = 0; i < instId.length; i++) if (instId.charCodeAt(i) === 45) dashes++;
  return dashes === 1 ? 'spot' : dashes === 2 ? 'futures' : 'option';
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Legacy OKX checksum over the book: top 25 interleaved `bidPx:bidSz:askPx:askSz…`, signed. */
export function okxBookChecksum(book: LevelBook): number {
  const { bids, asks } = book;
  const n = Math.min(25, Math.max(bids.length, asks.length));
  let crc = 0;
  let first = true;
  for (let i = 0; i < n; i++) {
    if (i < bids.length) {
      crc = crc32((first ? '' : ':') + bids.priceText(i) + ':' + bids.sizeText(i), crc);
      first = false;
    }
    if (i < asks.length) {
      crc = crc32((first ? '' : ':') + asks.priceText(i) + ':' + asks.sizeText(i), crc);
      first = false;
    }
  }
  return crc | 0;
}

/** Creates a pure OKX v5 adapter: `trades`, `tickers` and `books` with the seqId chain. */
export function createOkxAdapter(options: OkxAdapterOptions = {}): VenueAdapter {
  const legacyChecksum = options.legacyChecksum ?? true;
  const books = new Map<string, BookState>();
  const state = adapterState({ books });

  function stateOf(channel: string, instId: string): BookState {
    const key = channel === 'books' ? instId : channel + ' ' + instId;
    let s = books.get(key);
    if (!s) {
      s = { channel, instId, book: new LevelBook(), live: false, lastSeqId: undefined };
      books.set(key, s);
    }
    return s;
  }

  function marketEvent(
    instId: string,
    channel: MarketEvent['channel'],
    event: MarketEvent['event'],
  ): AdapterOutput {
    const symbol = seedSymbolFromOkx(instId);
    return {
      type: 'event',
      event: { exchange: 'OKX', instrument_type: instrumentType(instId), symbol, channel, event },
    };
  }

  function bookFrame(op: 'subscribe' | 'unsubscribe', s: BookState): string {
    return JSON.stringify({ op, args: [{ channel: s.channel, instId: s.instId }] });
  }

  function invalidate(
    s: BookState,
    reason: 'sequence' | 'checksum' | 'reset',
    detail: string,
    receiptTs: number,
    out: AdapterOutput[],
  ): void {
    s.live = false;
    s.lastSeqId = undefined;
    s.book.clear();
    const symbol = seedSymbolFromOkx(s.instId);
    out.push({
      type: 'gap',
      symbol,
      channel: 'l2_book',
      reason,
      detail,
      receipt_timestamp: receiptTs,
    });
    out.push({ type: 'send', frame: bookFrame('unsubscribe', s) });
    out.push({ type: 'send', frame: bookFrame('subscribe', s) });
  }

  /** Applies `[px, sz, …]` levels in order; the problem with the first bad level, if any. */
  function applyLevels(
    side: LevelSide,
    levels: unknown,
    name: BookSide,
    orders: L2Order[] | undefined,
  ): string | undefined {
    const field = name === 'bid' ? 'bids' : 'asks';
    if (levels === undefined) return undefined;
    if (!Array.isArray(levels)) return `${field}: expected an array, got ${showValue(levels)}`;
    // Few levels (the usual update) are set one by one; many (a snapshot) are collected, then
    // sorted and merged at once (LevelSide.setMany), so no frame costs O(N²).
    const bulk = levels.length >= BULK_LEVELS;
    const ps: number[] = [];
    const ss: number[] = [];
    const pr: RawDecimal[] = [];
    const sr: RawDecimal[] = [];
    for (let i = 0; i < levels.length; i++) {
      const level: unknown = levels[i];
      if (!Array.isArray(level))
        return `${field}[${i}]: expected [px, sz, …], got ${showValue(level)}`;
      const priceText: unknown = level[0];
      const sizeText: unknown = level[1];
      // The checksum needs the venue's text, so numbers must come as strings, as OKX sends them.
      const price = typeof priceText === 'string' ? num(priceText) : NaN;
      const size = typeof sizeText === 'string' ? num(sizeText) : NaN;
      if (!isValidPrice(price))
        return `${field}[${i}][0]: ${fieldProblem('price', priceText, price) ?? 'invalid'}`;
      if (!isValidSize(size))
        return `${field}[${i}][1]: ${fieldProblem('size', sizeText, size) ?? 'invalid'}`;
      if (!bulk) {
        if (side.set(price, size, priceText as string, sizeText as string) && orders)
          orders.push([name, price, size]);
        continue;
      }
      ps.push(price);
      ss.push(size);
      pr.push(priceText as string);
      sr.push(sizeText as string);
    }
    if (bulk) applyChecked(side, name, ps, ss, pr, sr, orders);
    return undefined;
  }

  function snapshotOrders(book: LevelBook): L2Order[] {
    const orders: L2Order[] = [];
    for (let r = 0; r < book.bids.length; r++)
      orders.push(['bid', book.bids.price(r), book.bids.size(r)]);
    for (let r = 0; r < book.asks.length; r++)
      orders.push(['ask', book.asks.price(r), book.asks.size(r)]);
    return orders;
  }

  /** One `books` item (`books5` / `bbo-tbt` items are full snapshots too). */
  function onBookItem(
    channel: string,
    instId: string,
    d: unknown,
    snapshot: boolean,
    receiptTs: number,
    out: AdapterOutput[],
  ): void {
    if (!isObject(d)) {
      out.push({
        type: 'malformed',
        detail: `okx book ${instId}: item not an object`,
        receipt_timestamp: receiptTs,
      });
      return;
    }
    const s = stateOf(channel, instId);
    if (!snapshot && !s.live) return; // waiting for a snapshot: an update has nothing to apply to
    const seqId = typeof d.seqId === 'number' ? d.seqId : undefined;
    if (
      !snapshot &&
      s.lastSeqId !== undefined &&
      typeof d.prevSeqId === 'number' &&
      d.prevSeqId !== s.lastSeqId
    ) {
      // seqId < prevSeqId after maintenance is fine; only the link to the previous message counts.
      invalidate(
        s,
        'sequence',
        `prevSeqId ${d.prevSeqId} != last seqId ${s.lastSeqId}`,
        receiptTs,
        out,
      );
      return;
    }
    const { book } = s;
    if (snapshot) book.clear();
    const orders: L2Order[] | undefined = snapshot ? undefined : [];
    const bad =
      applyLevels(book.bids, d.bids, 'bid', orders) ??
      applyLevels(book.asks, d.asks, 'ask', orders);
    if (bad !== undefined) {
      out.push(malformedField(`okx book ${instId}`, bad, undefined, receiptTs));
      invalidate(s, 'reset', 'unreadable book level', receiptTs, out);
      return;
    }
    // The field is fixed to 0 since 2026-06 (deprecated); non-zero means an old recording.
    if (legacyChecksum && typeof d.checksum === 'number' && d.checksum !== 0) {
      const crc = okxBookChecksum(book);
      if (crc !== d.checksum) {
        invalidate(s, 'checksum', `checksum ${crc} != ${d.checksum}`, receiptTs, out);
        return;
      }
    }
    s.live = true;
    s.lastSeqId = seqId;
    if (orders?.length === 0) return; // e.g. OKX's keep-alive update with empty sides
    // The book has changed whatever its time says: a missing or impossible time is the receipt's.
    const ts = num(d.ts) / 1000;
    out.push(
      marketEvent(instId, 'l2_book', {
        timestamp: ts > 0 && isValidTimestamp(ts) ? ts : receiptTs,
        receipt_timestamp: receiptTs,
        delta: !snapshot,
        orders: orders ?? snapshotOrders(book),
      }),
    );
  }

  function onTrade(instId: string, d: unknown, receiptTs: number, out: AdapterOutput[]): void {
    if (!isObject(d) || (d.side !== 'buy' && d.side !== 'sell') || typeof d.tradeId !== 'string') {
      out.push({
        type: 'malformed',
        detail: `okx trade ${instId}: bad item`,
        receipt_timestamp: receiptTs,
      });
      return;
    }
    const f = new FieldCheck();
    const price = f.price(d.px, 'px');
    const amount = f.size(d.sz, 'sz');
    const ts = f.timeMs(d.ts, 'ts');
    if (f.problem !== undefined) {
      out.push(malformedField(`okx trade ${instId}`, f.problem, undefined, receiptTs));
      return;
    }
    const side: TradeSide = d.side;
    out.push(
      marketEvent(instId, 'trades', {
        timestamp: ts,
        receipt_timestamp: receiptTs,
        side,
        amount,
        price,
        id: d.tradeId,
      }),
    );
  }

  function onTicker(instId: string, d: unknown, receiptTs: number, out: AdapterOutput[]): void {
    if (!isObject(d)) {
      out.push({
        type: 'malformed',
        detail: `okx ticker ${instId}: bad item`,
        receipt_timestamp: receiptTs,
      });
      return;
    }
    // An empty side is sent as "" (no quote): nothing to report.
    if (d.bidPx === '' || d.askPx === '') return;
    const f = new FieldCheck();
    const bid = f.price(d.bidPx, 'bidPx');
    const ask = f.price(d.askPx, 'askPx');
    const ts = d.ts === undefined ? receiptTs : f.timeMs(d.ts, 'ts');
    if (f.problem !== undefined) {
      out.push(malformedField(`okx ticker ${instId}`, f.problem, undefined, receiptTs));
      return;
    }
    out.push(
      marketEvent(instId, 'ticker', {
        timestamp: ts,
        receipt_timestamp: receiptTs,
        bid,
        ask,
      }),
    );
  }

  function onEvent(msg: Json, event: string, out: AdapterOutput[]): void {
    if (event === 'subscribe' || event === 'unsubscribe' || event === 'channel-conn-count') return;
    const detail = `okx ${event}${msg.code !== undefined ? ` ${String(msg.code)}` : ''}: ${String(msg.msg ?? '')}`;
    out.push({
      type: 'notice',
      level: event === 'error' ? 'error' : event === 'notice' ? 'warn' : 'info',
      detail,
    });
  }

  function onMessage(msg: Json, receiptTs: number, out: AdapterOutput[]): void {
    if (typeof msg.event === 'string') return onEvent(msg, msg.event, out);
    const { arg, data } = msg;
    if (
      !isObject(arg) ||
      typeof arg.channel !== 'string' ||
      typeof arg.instId !== 'string' ||
      arg.instId === '' ||
      !Array.isArray(data)
    ) {
      out.push({ type: 'malformed', detail: 'okx: no arg/data', receipt_timestamp: receiptTs });
      return;
    }
    const { channel, instId } = arg;
    if (channel === 'books') {
      const snapshot = msg.action === 'snapshot';
      if (!snapshot && msg.action !== 'update') {
        out.push({
          type: 'malformed',
          detail: 'okx books: unknown action',
          receipt_timestamp: receiptTs,
        });
        return;
      }
      for (const d of data) onBookItem(channel, instId, d, snapshot, receiptTs, out);
    } else if (channel === 'books5' || channel === 'bbo-tbt') {
      for (const d of data) onBookItem(channel, instId, d, true, receiptTs, out);
    } else if (channel === 'trades' || channel === 'trades-all') {
      for (const d of data) onTrade(instId, d, receiptTs, out);
    } else if (channel === 'tickers') {
      for (const d of data) onTicker(instId, d, receiptTs, out);
    } else {
      out.push({ type: 'notice', level: 'info', detail: `okx: unhandled channel ${channel}` });
    }
  }

  return {
    exchange: 'OKX',
    ...state,
    keepAlive: { frame: 'ping', intervalSec: 20 },

    endpoints(subs) {
      return subs.some((s) => okxInstId(s.symbol) !== undefined) ? [OKX_PUBLIC_URL] : [];
    },

    subscribeFrames(_url, subs: readonly Subscription[]) {
      const seen = new Set<string>();
      const args: { channel: string; instId: string }[] = [];
      for (const sub of subs) {
        const instId = okxInstId(sub.symbol);
        const channel = CHANNELS[sub.channel];
        if (instId === undefined || seen.has(channel + ' ' + instId)) continue;
        seen.add(channel + ' ' + instId);
        args.push({ channel, instId });
      }
      const frames: string[] = [];
      for (let i = 0; i < args.length; i += ARGS_PER_FRAME) {
        frames.push(JSON.stringify({ op: 'subscribe', args: args.slice(i, i + ARGS_PER_FRAME) }));
      }
      return frames;
    },

    onFrame(text, receiptTs) {
      const out: AdapterOutput[] = [];
      if (text === 'pong') return out; // reply to our text keep-alive `ping`
      try {
        let msg: unknown;
        try {
          msg = JSON.parse(text);
        } catch {
          out.push({
            type: 'malformed',
            detail: 'okx: invalid JSON',
            receipt_timestamp: receiptTs,
          });
          return out;
        }
        if (!isObject(msg)) {
          out.push({
            type: 'malformed',
            detail: 'okx: not a JSON object',
            receipt_timestamp: receiptTs,
          });
          return out;
        }
        onMessage(msg, receiptTs, out);
      } catch (err) {
        out.push({
          type: 'malformed',
          detail: `okx: ${String(err)}`,
          receipt_timestamp: receiptTs,
        });
      }
      return out;
    },

    onDisconnect(receiptTs) {
      const out: AdapterOutput[] = [];
      for (const s of books.values()) {
        if (!s.live) continue;
        s.live = false;
        s.lastSeqId = undefined;
        s.book.clear();
        const symbol = seedSymbolFromOkx(s.instId);
        const detail = 'connection closed';
        out.push({
          type: 'gap',
          symbol,
          channel: 'l2_book',
          reason: 'disconnect',
          detail,
          receipt_timestamp: receiptTs,
        });
      }
      return out;
    },
  };
}
