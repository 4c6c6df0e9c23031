import {
  type Channel,
  type CheckedKind,
  type Event,
  type L2Order,
  type MarketEvent,
  isValidPrice,
  isValidSize,
  MAX_MAGNITUDE,
  MAX_TIMESTAMP_SEC,
  MIN_MAGNITUDE,
  numberProblem,
} from '../events.ts';

/** A malformed input line: which line (1-based) and which field. */
export class InputLineError extends Error {
  constructor(
    readonly line: number,
    readonly field: string,
    readonly detail: string,
  ) {
    super(field ? `${field}: ${detail}` : detail);
    this.name = 'InputLineError';
  }
}

type Obj = Record<string, unknown>;
const TOP = ['exchange', 'instrument_type', 'symbol', 'channel', 'event'];
const FIELDS: Record<Channel, readonly string[]> = {
  trades: ['side', 'amount', 'price', 'id'],
  ticker: ['bid', 'ask'],
  l2_book: ['delta', 'orders'],
};

/**
 * Parse one normalized input line into a {@link MarketEvent}, checking every field. Blank lines
 * give undefined. Unknown keys are errors (a typo like `reciept_timestamp` must not pass
 * silently). The event is rebuilt with a fixed key order so outputs never depend on the input's
 * key order. Trade ids may be strings or integers (some venues use numbers); they become strings.
 */
export function parseInputLine(text: string, line: number): MarketEvent | undefined {
  if (text.trim() === '') return undefined;
  const fail = (field: string, detail: string): never => {
    throw new InputLineError(line, field, detail);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return fail('', `not valid JSON (${(e as Error).message})`);
  }
  return marketEventFrom(raw, line);
}

/**
 * Check an already-parsed value as a normalized market event (the rules of
 * {@link parseInputLine}), e.g. the `event` of a recording's SIM line. Throws InputLineError.
 *
 * Two stages, one rule set: {@link quickMarketEvent} checks a line in one pass with no closures or
 * allocations beyond the event it returns (the hot loop of a batch run); only a line it does not
 * accept goes through {@link checkedMarketEvent}, which finds the first broken rule and names its
 * field. The quick check accepts a subset of what the full one does and builds the same event
 * (a differential property test holds them to that), so errors and results are as before.
 */
export function marketEventFrom(raw: unknown, line: number): MarketEvent {
  return quickMarketEvent(raw) ?? checkedMarketEvent(raw, line);
}

/**
 * The market event `raw` is, when it breaks no rule of {@link checkedMarketEvent}; otherwise
 * undefined (let the full check say why). Exported for the differential test.
 */
export function quickMarketEvent(raw: unknown): MarketEvent | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const top = raw as Obj;
  const { exchange, instrument_type, symbol, channel, event } = top;
  if (
    typeof exchange !== 'string' ||
    exchange === '' ||
    typeof instrument_type !== 'string' ||
    instrument_type === '' ||
    typeof symbol !== 'string' ||
    symbol === '' ||
    typeof event !== 'object' ||
    event === null ||
    Array.isArray(event)
  )
    return undefined;
  const topKeys = keyOrder(top, TOP);
  if (topKeys !== IN_ORDER && topKeys !== TOP.length) return undefined;
  const ev = event as Obj;
  const { timestamp, receipt_timestamp } = ev;
  if (
    typeof timestamp !== 'number' ||
    !(timestamp >= 0 && timestamp <= MAX_TIMESTAMP_SEC) ||
    typeof receipt_timestamp !== 'number' ||
    !(receipt_timestamp >= 0 && receipt_timestamp <= MAX_TIMESTAMP_SEC)
  )
    return undefined;
  let out: Event;
  if (channel === 'l2_book') {
    const { delta, orders } = ev;
    if (typeof delta !== 'boolean' || !ordersValid(orders)) return undefined;
    const keys = keyOrder(ev, BOOK_KEYS);
    if (keys === IN_ORDER) out = ev as Event;
    else if (keys === BOOK_KEYS.length) out = { timestamp, receipt_timestamp, delta, orders };
    else return undefined;
  } else if (channel === 'trades') {
    const { side, amount, price, id } = ev;
    if (
      (side !== 'buy' && side !== 'sell') ||
      typeof amount !== 'number' ||
      !isValidSize(amount) ||
      typeof price !== 'number' ||
      !isValidPrice(price) ||
      !(typeof id === 'string' || Number.isSafeInteger(id))
    )
      return undefined;
    const keys = keyOrder(ev, TRADE_KEYS);
    if (keys === IN_ORDER && typeof id === 'string') out = ev as Event;
    else if (keys === IN_ORDER || keys === TRADE_KEYS.length)
      out = { timestamp, receipt_timestamp, side, amount, price, id: String(id) };
    else return undefined;
  } else if (channel === 'ticker') {
    const { bid, ask } = ev;
    if (
      typeof bid !== 'number' ||
      !isValidPrice(bid) ||
      typeof ask !== 'number' ||
      !isValidPrice(ask)
    )
      return undefined;
    const keys = keyOrder(ev, TICKER_KEYS);
    if (keys === IN_ORDER) out = ev as Event;
    else if (keys === TICKER_KEYS.length) out = { timestamp, receipt_timestamp, bid, ask };
    else return undefined;
  } else return undefined;
  // Already in the canonical key order (every line this project writes is): used as parsed.
  if (topKeys === IN_ORDER && out === ev) return top as unknown as MarketEvent;
  return { exchange, instrument_type, symbol, channel, event: out } as MarketEvent;
}

const BOOK_KEYS = ['timestamp', 'receipt_timestamp', 'delta', 'orders'];
const TRADE_KEYS = ['timestamp', 'receipt_timestamp', 'side', 'amount', 'price', 'id'];
const TICKER_KEYS = ['timestamp', 'receipt_timestamp', 'bid', 'ask'];
const IN_ORDER = -1;

/**
 * {@link IN_ORDER} when the enumerable keys of `o` are exactly `keys` in that order; otherwise how
 * many keys it has (equal to `keys.length`, with every named value present, means the same keys
 * in another order). Allocates nothing.
 */
function keyOrder(o: object, keys: readonly string[]): number {
  let n = 0;
  let ordered = true;
  for (const k in o) {
    if (ordered && k !== keys[n]) ordered = false;
    n++;
  }
  return ordered && n === keys.length ? IN_ORDER : n;
}

/** Every order a `[bid|ask, price, size]` triple with a valid price and size. */
function ordersValid(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const o: unknown = v[i];
    if (!Array.isArray(o) || o.length !== 3) return false;
    const side: unknown = o[0];
    const price: unknown = o[1];
    const size: unknown = o[2];
    if (
      (side !== 'bid' && side !== 'ask') ||
      typeof price !== 'number' ||
      !(price >= MIN_MAGNITUDE && price <= MAX_MAGNITUDE) ||
      typeof size !== 'number' ||
      !(size === 0 || (size >= MIN_MAGNITUDE && size <= MAX_MAGNITUDE))
    )
      return false;
  }
  return true;
}

/**
 * The complete check behind {@link marketEventFrom}, run on lines the quick check did not accept:
 * throws an InputLineError naming the first field that breaks a rule (or returns the event).
 */
export function checkedMarketEvent(raw: unknown, line: number): MarketEvent {
  const fail = (field: string, detail: string): never => {
    throw new InputLineError(line, field, detail);
  };
  const top = object(raw, '', fail);
  unknownKeys(top, TOP, '', fail);
  const str = (o: Obj, k: string, path: string): string => {
    const v = o[k];
    return typeof v === 'string' && v !== ''
      ? v
      : fail(path, `expected a non-empty string, got ${show(v)}`);
  };
  const channel = str(top, 'channel', 'channel');
  if (!(channel in FIELDS))
    fail('channel', `expected trades | ticker | l2_book, got ${show(channel)}`);
  const ev = object(top.event, 'event', fail);
  const fields = FIELDS[channel as Channel];
  unknownKeys(ev, ['timestamp', 'receipt_timestamp', ...fields], 'event.', fail);
  /** A number field checked against its kind's rule (finite, sign, magnitude: docs/features.md). */
  const num = (k: string, kind: CheckedKind): number => {
    const v = ev[k];
    if (typeof v !== 'number' || !Number.isFinite(v))
      return fail(`event.${k}`, `expected a finite number, got ${show(v)}`);
    const problem = numberProblem(kind, v);
    if (problem !== undefined) fail(`event.${k}`, problem);
    return v;
  };
  const base = {
    timestamp: num('timestamp', 'timestamp'),
    receipt_timestamp: num('receipt_timestamp', 'timestamp'),
  };
  let event: Event;
  if (channel === 'ticker') event = { ...base, bid: num('bid', 'price'), ask: num('ask', 'price') };
  else if (channel === 'trades') {
    const side = ev.side;
    if (side !== 'buy' && side !== 'sell')
      fail('event.side', `expected buy | sell, got ${show(side)}`);
    const id = ev.id;
    if (!(typeof id === 'string' || Number.isSafeInteger(id)))
      fail('event.id', `expected a string or integer, got ${show(id)}`);
    event = {
      ...base,
      side,
      amount: num('amount', 'size'),
      price: num('price', 'price'),
      id: String(id),
    };
  } else {
    if (typeof ev.delta !== 'boolean')
      fail('event.delta', `expected true or false, got ${show(ev.delta)}`);
    event = { ...base, delta: ev.delta, orders: orders(ev.orders, fail) };
  }
  return {
    exchange: str(top, 'exchange', 'exchange'),
    instrument_type: str(top, 'instrument_type', 'instrument_type'),
    symbol: str(top, 'symbol', 'symbol'),
    channel,
    event,
  } as MarketEvent;
}

function orders(v: unknown, fail: (f: string, d: string) => never): L2Order[] {
  if (!Array.isArray(v)) return fail('event.orders', `expected an array, got ${show(v)}`);
  // Validated in place and returned as is (the parsed arrays already have the L2Order shape):
  // this is the hot loop of a batch run, so no per-order allocation and paths only on failure.
  for (let i = 0; i < v.length; i++) {
    const o: unknown = v[i];
    if (!Array.isArray(o) || o.length !== 3) {
      fail(`event.orders[${i}]`, `expected [side, price, size], got ${show(o)}`);
    }
    const [side, price, size] = o as unknown[];
    if (side !== 'bid' && side !== 'ask') {
      fail(`event.orders[${i}][0]`, `expected bid | ask, got ${show(side)}`);
    }
    // Valid numbers fail neither test; the message is built only for a bad one.
    if (typeof price !== 'number' || !(price >= MIN_MAGNITUDE && price <= MAX_MAGNITUDE)) {
      fail(`event.orders[${i}][1]`, checkedText('price', price));
    }
    if (
      typeof size !== 'number' ||
      !(size === 0 || (size >= MIN_MAGNITUDE && size <= MAX_MAGNITUDE))
    ) {
      fail(`event.orders[${i}][2]`, checkedText('size', size));
    }
  }
  return v as L2Order[];
}

function checkedText(kind: CheckedKind, v: unknown): string {
  return typeof v === 'number'
    ? (numberProblem(kind, v) ?? 'invalid')
    : `expected a finite number, got ${show(v)}`;
}

function object(v: unknown, path: string, fail: (f: string, d: string) => never): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return fail(path, `expected an object, got ${show(v)}`);
  return v as Obj;
}

function unknownKeys(
  o: Obj,
  known: readonly string[],
  prefix: string,
  fail: (f: string, d: string) => never,
): void {
  for (const k of Object.keys(o))
    if (!known.includes(k))
      // An empty key still gets a visible name.
      fail(`${prefix}${k === '' ? '""' : k}`, `unknown field (expected ${known.join(', ')})`);
  for (const k of known) if (!(k in o)) fail(`${prefix}${k}`, 'missing');
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    // JSON.parse reads nesting far deeper than JSON.stringify can print back (call stack).
    s = Array.isArray(v) ? '[…deeply nested…]' : '{…deeply nested…}';
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
