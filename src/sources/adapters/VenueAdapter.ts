import type { Channel, MarketEvent } from '../../core/events.ts';
import type { AdapterSnapshot } from './adapterState.ts';

export type { AdapterSnapshot } from './adapterState.ts';

/** A venue id as written in configs (Cryptofeed style). */
export type Exchange =
  | 'BINANCE'
  | 'BINANCE_FUTURES'
  | 'COINBASE'
  | 'KRAKEN'
  | 'BYBIT'
  | 'OKX'
  | 'BITSTAMP'
  | 'BITFINEX'
  | 'DERIBIT';

/** One subscription: symbols are written the seed's way (`BTC-USDT`, `BTC-USDT-PERP`). */
export interface Subscription {
  readonly channel: Channel;
  readonly symbol: string;
}

/**
 * What an adapter makes of one received frame. Adapters are pure state machines: no sockets, no
 * timers, no clock. The connection layer (later) owns the socket and acts on `send` outputs.
 */
export type AdapterOutput =
  /** A normalized market event for the graph. */
  | { readonly type: 'event'; readonly event: MarketEvent }
  /**
   * The book of `symbol` lost integrity (sequence gap, checksum mismatch, …). From now until the next
   * full snapshot the adapter emits no `l2_book` events for it; `resync` says what it asks for.
   */
  | {
      readonly type: 'gap';
      readonly symbol: string;
      readonly channel: Channel;
      readonly reason: 'sequence' | 'checksum' | 'reset' | 'disconnect';
      readonly detail: string;
      readonly receipt_timestamp: number;
    }
  /**
   * A frame the connection layer must send now (a resubscribe, a WS-API snapshot request, a pong),
   * on the connection to `url`, or when absent on the connection whose frame caused it.
   */
  | { readonly type: 'send'; readonly frame: string; readonly url?: string }
  /** A frame that could not be understood: counted and skipped, never thrown. */
  | { readonly type: 'malformed'; readonly detail: string; readonly receipt_timestamp: number }
  /** An exchange-level error or notice (subscription refused, server shutdown, …). */
  | { readonly type: 'notice'; readonly level: 'info' | 'warn' | 'error'; readonly detail: string };

/**
 * One venue's protocol, as a pure function of the frames it receives. The same adapter runs live
 * (frames from a WebSocket), in replay and in the CLI (frames from a recording), so its outputs are
 * identical in all three.
 */
export interface VenueAdapter {
  readonly exchange: Exchange;
  /** Websocket URL(s) to connect to for these subscriptions (one connection per URL). */
  endpoints(subs: readonly Subscription[]): string[];
  /** Frames to send right after a connection to `url` opens (subscriptions, snapshot requests). */
  subscribeFrames(url: string, subs: readonly Subscription[]): string[];
  /** Application-level keep-alive frame and how often to send it, if the venue needs one. */
  readonly keepAlive?: { readonly frame: string; readonly intervalSec: number };
  /**
   * Feed one received text frame, from the connection to `url` when known (Bybit serves spot and
   * linear on different sockets with identical topic names). Never throws: bad input becomes a
   * `malformed` output, and `kit/neverThrows.ts` (applied by every factory and by the registry)
   * turns any exception into one.
   */
  onFrame(text: string, receiptTs: number, url?: string): AdapterOutput[];
  /** The connection to `url` (or every connection) dropped: its books are invalid until resync. */
  onDisconnect(receiptTs: number, url?: string): AdapterOutput[];
  /**
   * The instrument (seed symbol) frame `text` from `url` is about, read without decoding it: no
   * state is read or changed, so any instance answers for any point of a stream. Undefined when
   * the frame names none or several (acks, heartbeats, status, multi-instrument frames) or cannot
   * be read. Whenever `onFrame` would emit events for the frame, they are this instrument's
   * (`frameSymbol.test.ts`); a frame naming one instrument keeps it even when decoding yields
   * nothing (a book delta before its snapshot). The cluster's market subjects are built from it.
   */
  frameSymbol?(text: string, url?: string): string | undefined;
  /**
   * A copy of the adapter's protocol state (books, sequence numbers, buffered diffs), and putting
   * a fresh adapter of the same venue and options into such a state: a replay seek restores a
   * checkpoint instead of re-decoding the recording from its start. Optional: without them a
   * replay re-decodes from the start.
   */
  snapshot?(): AdapterSnapshot;
  restore?(state: AdapterSnapshot): void;
}
