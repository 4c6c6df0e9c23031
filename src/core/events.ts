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

/**
 * Magnitude bound of every price and size that enters the engine (normalized input lines, venue
 * adapters, recordings): a price lies in [{@link MIN_MAGNITUDE}, {@link MAX_MAGNITUDE}], a size is 0
 * or lies there too. With it, a notional (price × size) stays ≤ 1e30, its square ≤ 1e60, a price
 * ratio ≤ 1e30, and a sum of a billion of any of them ≤ 1e69: far from the double range (1.8e308),
 * so no product, ratio or windowed sum of valid inputs overflows or divides by an underflowed zero.
 * Real markets sit well inside it (prices ~1e-10…1e9, sizes ~1e-8…1e12), and integers up to 1e15
 * are still exact doubles.
 */
export const MAX_MAGNITUDE = 1e15;
/** Smallest non-zero price or size accepted (see {@link MAX_MAGNITUDE}). */
export const MIN_MAGNITUDE = 1e-15;
/**
 * Latest event time accepted, in epoch seconds (2100-01-01T00:00:00Z): its microseconds (the
 * engine's window arithmetic, {@link toMicros}) stay exact integers below 2^53.
 */
export const MAX_TIMESTAMP_SEC = 4_102_444_800;

/** A valid price: finite, in [MIN_MAGNITUDE, MAX_MAGNITUDE] (false for NaN and ±Infinity). */
export function isValidPrice(x: number): boolean {
  return x >= MIN_MAGNITUDE && x <= MAX_MAGNITUDE;
}

/** A valid size or amount: 0, or in [MIN_MAGNITUDE, MAX_MAGNITUDE]. */
export function isValidSize(x: number): boolean {
  return x === 0 || (x >= MIN_MAGNITUDE && x <= MAX_MAGNITUDE);
}

/** A valid event time in epoch seconds: in [0, MAX_TIMESTAMP_SEC]. */
export function isValidTimestamp(x: number): boolean {
  return x >= 0 && x <= MAX_TIMESTAMP_SEC;
}

/** The kinds of checked input numbers. */
export type CheckedKind = 'price' | 'size' | 'timestamp';

/**
 * Why `x` is not a valid number of `kind`, in words naming the rule it breaks, or undefined when it
 * is valid. `x` must already be a number; callers say which line and field it came from.
 */
export function numberProblem(kind: CheckedKind, x: number): string | undefined {
  if (!Number.isFinite(x)) return `expected a finite number, got ${String(x)}`;
  if (kind === 'price') {
    if (isValidPrice(x)) return undefined;
    if (x <= 0) return `expected a positive price, got ${x}`;
  } else if (kind === 'size') {
    if (isValidSize(x)) return undefined;
    if (x < 0) return `expected a size ≥ 0, got ${x}`;
  } else {
    if (isValidTimestamp(x)) return undefined;
    if (x < 0) return `must be ≥ 0, got ${x}`;
    return `expected epoch seconds ≤ ${MAX_TIMESTAMP_SEC} (before 2100), got ${x}`;
  }
  return `outside the magnitude bound [1e-15, 1e15] of a non-zero ${kind}, got ${x}`;
}
