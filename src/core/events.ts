/**
 * Events, as in the seed: plain records whose first two fields are always `timestamp` (event time,
 * as stamped by the exchange) and `receipt_timestamp` (when we received it), both epoch **seconds**
 * as floats. Every ordering, window and join uses `timestamp`; nothing reads the wall clock.
 */
export interface Event {
  readonly timestamp: number;
  readonly receipt_timestamp: number;
  readonly [field: string]: unknown;
}

/** Taker side of a trade. */
export type TradeSide = 'buy' | 'sell';
export type BookSide = 'bid' | 'ask';

/** `trades` data source event (Cryptofeed schema). `side` is the taker side. */
export interface TradeEvent extends Event {
  readonly side: TradeSide;
  readonly amount: number;
  readonly price: number;
  readonly id: string;
}

/** `ticker` data source event: best bid and ask. */
export interface TickerEvent extends Event {
  readonly bid: number;
  readonly ask: number;
}

/** One L2 change: size 0 deletes the level. */
export type L2Order = readonly [side: BookSide, price: number, size: number];

/**
 * `l2_book` data source event (incremental). `delta: false` is a full snapshot: the book is reset
 * to exactly these levels. `delta: true` sets (or, with size 0, deletes) each listed level.
 */
export interface L2BookEvent extends Event {
  readonly delta: boolean;
  readonly orders: readonly L2Order[];
}

/** A price level as output by book features: `[price, size]`. */
export type Level = readonly [price: number, size: number];

/** The raw market channels that data sources carry. */
export type Channel = 'trades' | 'ticker' | 'l2_book';

/**
 * A normalized market event as it travels outside the graph (NDJSON input lines, adapters'
 * output, recordings): which instrument and channel it belongs to, plus the event itself.
 */
export interface MarketEvent {
  readonly exchange: string;
  readonly instrument_type: string;
  readonly symbol: string;
  readonly channel: Channel;
  readonly event: TradeEvent | TickerEvent | L2BookEvent;
}

/** Microseconds: the engine's time resolution for window and bucket arithmetic. */
export type Micros = number;

/**
 * Seconds → integer microseconds. Window edges are compared in integer µs so that an event
 * exactly `window` old stays in (float subtraction overshoots: 2.2 − 1.2 gives 1.0000000000000002).
 * Epoch µs (~1.7e15) stay well inside 2^53.
 */
export function toMicros(sec: number): Micros {
  return Math.round(sec * 1e6);
}
