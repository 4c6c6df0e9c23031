import type { Event } from '../core/events.ts';

/**
 * Decoded events of a run of recording lines `[from, to)`, packed for a transfer between threads:
 * the numbers in one Float64Array (transferred, not cloned), strings and the rare event of another
 * shape beside it. Cloning decoded event objects costs what parsing their JSON does; this costs a
 * copy. Book, trade and ticker events of exactly the normalized shape (keys in canonical order,
 * numbers, sides and a string trade id) are packed; anything else travels as is (`other`), so
 * what {@link unpackEvent} rebuilds is always equal, key order included, to what was packed.
 */
export interface PackedEvents {
  readonly from: number;
  readonly to: number;
  /** Receipt time of each line `[from, to)`. */
  readonly ts: Float64Array;
  /**
   * Four numbers per event: its line, its source (the consumer's numbering), where its numbers
   * start in `num`, and its kind (0 book, 1 trade, 2 ticker, 3 another shape: its index in
   * `other` is its number).
   */
  readonly ev: Int32Array;
  readonly num: Float64Array;
  /** Trade ids, in event order. */
  readonly ids: readonly string[];
  readonly other: readonly Event[];
}

const BOOK = 0;
const TRADE = 1;
const TICKER = 2;
const OTHER = 3;

/** A growable column of numbers in a typed array (no boxed numbers, one copy at the end). */
class Column<A extends Float64Array | Int32Array> {
  n = 0;
  constructor(
    public a: A,
    private readonly make: (n: number) => A,
  ) {}
  push(x: number): void {
    if (this.n === this.a.length) {
      const b = this.make(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = x;
  }
  take(): A {
    return this.a.slice(0, this.n) as A;
  }
}

const f64 = (n: number) => new Float64Array(n);
const i32 = (n: number) => new Int32Array(n);

/** Builds one {@link PackedEvents}: {@link line} per line in order, {@link event} per event. */
export class EventPacker {
  private readonly ts = new Column(f64(1024), f64);
  private readonly num = new Column(f64(8192), f64);
  /** Per event: line, source, where its numbers start, kind (4 numbers an event). */
  private readonly evs = new Column(i32(4096), i32);
  private readonly ids: string[] = [];
  private readonly other: Event[] = [];
  /** Lines added. */
  lines = 0;

  constructor(readonly from: number) {}

  /** The next line (`from + lines`), received at `ts`. */
  line(ts: number): void {
    this.ts.push(ts);
    this.lines++;
  }

  /** An event of the last line, for `source`. */
  event(source: number, e: Event): void {
    const k = packable(e);
    const evs = this.evs;
    const num = this.num;
    evs.push(this.from + this.lines - 1);
    evs.push(source);
    evs.push(num.n);
    evs.push(k);
    if (k === OTHER) {
      num.push(this.other.length);
      this.other.push(e);
      return;
    }
    num.push(e.timestamp);
    num.push(e.receipt_timestamp);
    if (k === BOOK) {
      const orders = e.orders as readonly (readonly [string, number, number])[];
      num.push(e.delta === true ? 1 : 0);
      num.push(orders.length);
      for (let i = 0; i < orders.length; i++) {
        const o = orders[i]!;
        num.push(o[0] === 'ask' ? 1 : 0);
        num.push(o[1]);
        num.push(o[2]);
      }
    } else if (k === TRADE) {
      num.push(e.side === 'sell' ? 1 : 0);
      num.push(e.amount as number);
      num.push(e.price as number);
      num.push(this.ids.length);
      this.ids.push(e.id as string);
    } else {
      num.push(e.bid as number);
      num.push(e.ask as number);
    }
  }

  /** The packed run, and the buffers to transfer. */
  finish(): { packed: PackedEvents; transfer: ArrayBuffer[] } {
    const packed: PackedEvents = {
      from: this.from,
      to: this.from + this.lines,
      ts: this.ts.take(),
      ev: this.evs.take(),
      num: this.num.take(),
      ids: this.ids,
      other: this.other,
    };
    return {
      packed,
      transfer: [packed.ts.buffer, packed.ev.buffer, packed.num.buffer] as ArrayBuffer[],
    };
  }
}

/** The `i`th event of `p`, rebuilt (a new object each call; another shape: the one packed). */
export function unpackEvent(p: PackedEvents, i: number): Event {
  const k = p.ev[4 * i + 3]!;
  const num = p.num;
  let j = p.ev[4 * i + 2]!;
  if (k === OTHER) return p.other[num[j]!]!;
  const timestamp = num[j]!;
  const receipt_timestamp = num[j + 1]!;
  j += 2;
  if (k === BOOK) {
    const delta = num[j] === 1;
    const n = num[j + 1]!;
    j += 2;
    // Pushed, not preallocated: a packed array, as JSON.parse makes.
    const orders: [string, number, number][] = [];
    for (let o = 0; o < n; o++, j += 3)
      orders.push([num[j] === 1 ? 'ask' : 'bid', num[j + 1]!, num[j + 2]!]);
    return { timestamp, receipt_timestamp, delta, orders };
  }
  if (k === TRADE) {
    const side = num[j] === 1 ? 'sell' : 'buy';
    const id = p.ids[num[j + 3]!]!;
    return { timestamp, receipt_timestamp, side, amount: num[j + 1]!, price: num[j + 2]!, id };
  }
  return { timestamp, receipt_timestamp, bid: num[j]!, ask: num[j + 1]! };
}

const BOOK_KEYS = ['timestamp', 'receipt_timestamp', 'delta', 'orders'];
const TRADE_KEYS = ['timestamp', 'receipt_timestamp', 'side', 'amount', 'price', 'id'];
const TICKER_KEYS = ['timestamp', 'receipt_timestamp', 'bid', 'ask'];

/**
 * Whether `o`'s enumerable keys are exactly `keys`, in that order (`o`'s prototype is
 * Object.prototype, checked first, which has no enumerable keys).
 */
function keysAre(o: object, keys: readonly string[]): boolean {
  let n = 0;
  for (const k in o) if (k !== keys[n++]) return false;
  return n === keys.length;
}

/** The kind `e` packs as: a known shape exactly (rebuilt equal), else {@link OTHER}. */
function packable(e: Event): number {
  if (Object.getPrototypeOf(e) !== Object.prototype) return OTHER;
  if (typeof e.timestamp !== 'number' || typeof e.receipt_timestamp !== 'number') return OTHER;
  if ('orders' in e) {
    if (typeof e.delta !== 'boolean' || !keysAre(e, BOOK_KEYS)) return OTHER;
    const orders = e.orders;
    if (!Array.isArray(orders) || Object.getPrototypeOf(orders) !== Array.prototype) return OTHER;
    // Orders are plain triples (no decoder gives an array other own properties).
    for (let i = 0; i < orders.length; i++) {
      const o: unknown = orders[i];
      if (!Array.isArray(o) || o.length !== 3) return OTHER;
      const side: unknown = o[0];
      if ((side !== 'bid' && side !== 'ask') || typeof o[1] !== 'number') return OTHER;
      if (typeof o[2] !== 'number') return OTHER;
    }
    return BOOK;
  }
  if ('id' in e) {
    if (e.side !== 'buy' && e.side !== 'sell') return OTHER;
    if (typeof e.amount !== 'number' || typeof e.price !== 'number') return OTHER;
    return typeof e.id === 'string' && keysAre(e, TRADE_KEYS) ? TRADE : OTHER;
  }
  if (typeof e.bid === 'number' && typeof e.ask === 'number' && keysAre(e, TICKER_KEYS))
    return TICKER;
  return OTHER;
}

/** Events in `p`. */
export function eventCount(p: PackedEvents): number {
  return p.ev.length >> 2;
}

/** Line of the `i`th event of `p`. */
export function eventLine(p: PackedEvents, i: number): number {
  return p.ev[4 * i]!;
}

/** Source of the `i`th event of `p`. */
export function eventSource(p: PackedEvents, i: number): number {
  return p.ev[4 * i + 1]!;
}
