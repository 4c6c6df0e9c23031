/**
 * OKX v5 public (`OKX`): `trades`, `tickers` and `books` with the `seqId` chain (and the legacy
 * CRC32 of recordings made before OKX fixed the field to 0). A broken chain, a checksum mismatch
 * or an unreadable level is a gap and a resubscribe. Stateless items are in `okx/items.ts`.
 */
import { isValidTimestamp, type L2Order } from '../../core/events.ts';
import type { AdapterOutput, Subscription, VenueAdapter } from './VenueAdapter.ts';
import {
  type GapReason,
  type Json,
  type LevelShape,
  adapterState,
  applyLevels,
  bookGap,
  bookOrders,
  disconnectBooks,
  isObject,
  LevelBook,
  malformed,
  malformedField,
  neverThrows,
  notice,
  num,
  parseFrame,
  readText,
  resync,
} from './kit/index.ts';
import { okxBookChecksum } from './okx/checksum.ts';
import {
  okxEvent,
  okxFrameSymbol,
  okxInstId,
  onOkxTicker,
  onOkxTrade,
  seedSymbolFromOkx,
} from './okx/items.ts';

/** OKX v5 public endpoint (`books`, `trades`, `tickers`). */
export const OKX_PUBLIC_URL = 'wss://ws.okx.com:8443/ws/v5/public';

export interface OkxAdapterOptions {
  /**
   * Verify the legacy `books` CRC32 when a frame carries a non-zero `checksum` (recordings made
   * before OKX fixed the field to 0 in 2026-06). Default true; live data always has 0.
   */
  readonly legacyChecksum?: boolean;
}

interface BookState {
  /** `books`, or `books5` / `bbo-tbt` (full snapshots only) when replaying recordings of those. */
  readonly channel: string;
  readonly instId: string;
  readonly symbol: string;
  readonly book: LevelBook;
  /** The book matches the exchange's: updates apply and are emitted. */
  live: boolean;
  /** `seqId` of the last applied message; undefined for feeds without sequence ids (pre-2023). */
  lastSeqId: number | undefined;
}

const CHANNELS = { l2_book: 'books', trades: 'trades', ticker: 'tickers' } as const;
/** OKX's limit is 64 KB of args per request; 100 short args stay far below it. */
const ARGS_PER_FRAME = 100;

/** OKX levels: `[px, sz, …]` as strings, the checksum needs the venue's text. */
const LEVEL: LevelShape = {
  expected: '[px, sz, …]',
  priceField: '[0]',
  sizeField: '[1]',
  isLevel: Array.isArray,
  price: (l) => (l as unknown[])[0],
  size: (l) => (l as unknown[])[1],
  read: readText,
};

/** Creates a pure OKX v5 adapter: `trades`, `tickers` and `books` with the seqId chain. */
export function createOkxAdapter(options: OkxAdapterOptions = {}): VenueAdapter {
  const legacyChecksum = options.legacyChecksum ?? true;
  const books = new Map<string, BookState>();
  const state = adapterState({ books });

  function stateOf(channel: string, instId: string): BookState {
    const key = channel === 'books' ? instId : channel + ' ' + instId;
    let s = books.get(key);
    if (!s) {
      const symbol = seedSymbolFromOkx(instId);
      s = { channel, instId, symbol, book: new LevelBook(), live: false, lastSeqId: undefined };
      books.set(key, s);
    }
    return s;
  }

  function bookFrame(op: 'subscribe' | 'unsubscribe', s: BookState): string {
    return JSON.stringify({ op, args: [{ channel: s.channel, instId: s.instId }] });
  }

  function invalidate(
    s: BookState,
    reason: GapReason,
    detail: string,
    receiptTs: number,
    out: AdapterOutput[],
  ): void {
    s.live = false;
    s.lastSeqId = undefined;
    s.book.clear();
    const frames = [bookFrame('unsubscribe', s), bookFrame('subscribe', s)];
    resync(out, bookGap(s.symbol, reason, detail, receiptTs), frames);
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
      out.push(malformed(`okx book ${instId}: item not an object`, undefined, receiptTs));
      return;
    }
    const s = stateOf(channel, instId);
    if (!snapshot && !s.live) return; // waiting for a snapshot: an update has nothing to apply to
    const seqId = typeof d.seqId === 'number' ? d.seqId : undefined;
    const prev = d.prevSeqId;
    if (
      !snapshot &&
      s.lastSeqId !== undefined &&
      typeof prev === 'number' &&
      prev !== s.lastSeqId
    ) {
      // seqId < prevSeqId after maintenance is fine; only the link to the previous message counts.
      invalidate(s, 'sequence', `prevSeqId ${prev} != last seqId ${s.lastSeqId}`, receiptTs, out);
      return;
    }
    const { book } = s;
    if (snapshot) book.clear();
    const orders: L2Order[] | undefined = snapshot ? undefined : [];
    const bad =
      applyLevels(book.bids, 'bid', d.bids, 'bids', orders, LEVEL) ??
      applyLevels(book.asks, 'ask', d.asks, 'asks', orders, LEVEL);
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
      okxEvent(instId, 'l2_book', {
        timestamp: ts > 0 && isValidTimestamp(ts) ? ts : receiptTs,
        receipt_timestamp: receiptTs,
        delta: !snapshot,
        orders: orders ?? bookOrders(book),
      }),
    );
  }

  function onEvent(msg: Json, event: string, out: AdapterOutput[]): void {
    if (event === 'subscribe' || event === 'unsubscribe' || event === 'channel-conn-count') return;
    const code = msg.code !== undefined ? ` ${String(msg.code)}` : '';
    const level = event === 'error' ? 'error' : event === 'notice' ? 'warn' : 'info';
    out.push(notice(level, `okx ${event}${code}: ${String(msg.msg ?? '')}`));
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
      out.push(malformed('okx: no arg/data', undefined, receiptTs));
      return;
    }
    const { channel, instId } = arg;
    if (channel === 'books') {
      const snapshot = msg.action === 'snapshot';
      if (!snapshot && msg.action !== 'update') {
        out.push(malformed('okx books: unknown action', undefined, receiptTs));
        return;
      }
      for (const d of data) onBookItem(channel, instId, d, snapshot, receiptTs, out);
    } else if (channel === 'books5' || channel === 'bbo-tbt') {
      for (const d of data) onBookItem(channel, instId, d, true, receiptTs, out);
    } else if (channel === 'trades' || channel === 'trades-all') {
      for (const d of data) onOkxTrade(instId, d, receiptTs, out);
    } else if (channel === 'tickers') {
      for (const d of data) onOkxTicker(instId, d, receiptTs, out);
    } else {
      out.push(notice('info', `okx: unhandled channel ${channel}`));
    }
  }

  return neverThrows({
    exchange: 'OKX',
    ...state,
    keepAlive: { frame: 'ping', intervalSec: 20 },
    frameSymbol: okxFrameSymbol,

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
      const msg = parseFrame(text, receiptTs, out);
      if (msg) onMessage(msg, receiptTs, out);
      return out;
    },

    onDisconnect(receiptTs) {
      const out: AdapterOutput[] = [];
      disconnectBooks(books.values(), 'connection closed', receiptTs, out, (s) => {
        s.lastSeqId = undefined;
        s.book.clear();
      });
      return out;
    },
  });
}
