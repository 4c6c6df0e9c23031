import { toMicros, type Event } from '../events.ts';
import { Stream } from './Stream.ts';

/**
 * An incremental aggregate over a sliding event-time window. `add` and `remove` may mutate and
 * return the accumulator, which must stay a plain object (it is part of graph snapshots).
 */
export interface SlidingAggregator<T extends Event, A, R> {
  init(): A;
  add(acc: A, x: T): A;
  remove(acc: A, x: T): A;
  /**
   * Optional: called once after an update evicted at least one item, with the window as it now is
   * (`window[from..]`, oldest first, newest last; never empty). Lets an aggregator re-derive its
   * accumulator exactly from the contents (e.g. to bound float drift) or read the new oldest item.
   */
  evicted?(acc: A, window: readonly T[], from: number): A;
  /** Output for the window ending with `latest`; undefined emits nothing. */
  result(acc: A, latest: T): R | undefined;
}

interface SlidingState<T, A> {
  /** Window contents, oldest first, from `head` on (a deque in a plain array). */
  items: T[];
  head: number;
  acc: A;
}

class SlidingWindowStream<T extends Event, A, R> extends Stream<R> {
  override readonly kind = 'slidingWindow';
  override readonly stateful = true;
  private state: SlidingState<T, A>;
  private readonly windowUs: number;

  constructor(
    up: Stream<T>,
    windowSec: number,
    private readonly agg: SlidingAggregator<T, A, R>,
  ) {
    super([up as Stream<unknown>]);
    this.windowUs = toMicros(windowSec);
    this.state = { items: [], head: 0, acc: agg.init() };
  }

  override update(input: unknown): void {
    const x = input as T;
    const s = this.state;
    const agg = this.agg;
    let acc = agg.add(s.acc, x);
    const items = s.items;
    items.push(x);
    // Inclusive window [t − w, t]: evict only what is strictly older than w (integer µs, so
    // `t_item < t − w` is the same test as `t − t_item > w`).
    const oldestUs = toMicros(x.timestamp) - this.windowUs;
    const head0 = s.head;
    let head = head0;
    while (toMicros(items[head]!.timestamp) < oldestUs) {
      acc = agg.remove(acc, items[head]!);
      head++;
    }
    if (head !== head0) {
      if (agg.evicted !== undefined) acc = agg.evicted(acc, items, head);
      if (head > 1024 && head * 2 > items.length) {
        s.items = items.slice(head);
        head = 0;
      }
      s.head = head;
    }
    s.acc = acc;
    const out = agg.result(acc, x);
    if (out !== undefined) this.emit(out);
  }

  override getState(): unknown {
    const s = this.state;
    return { items: s.items.slice(s.head), head: 0, acc: s.acc };
  }

  override setState(state: unknown): void {
    this.state = state as SlidingState<T, A>;
  }
}

/**
 * Event-time sliding window over `[t − windowSec, t]` (an item exactly `windowSec` old stays in),
 * emitting on every input. Edges are compared in integer microseconds.
 */
export function slidingWindow<T extends Event, A, R>(
  up: Stream<T>,
  windowSec: number,
  agg: SlidingAggregator<T, A, R>,
): Stream<R> {
  return new SlidingWindowStream(up, windowSec, agg);
}

/** An aggregate over one tumbling bucket. */
export interface TumblingAggregator<T extends Event, A, R> {
  /** Start a bucket with its first item. */
  init(first: T): A;
  add(acc: A, x: T): A;
  /**
   * The closed bucket `[startSec, endSec)`; `closer` is the first item at or after `endSec`, the
   * one that proved the bucket complete.
   */
  result(acc: A, startSec: number, endSec: number, closer: T): R | undefined;
}

interface TumblingState<A> {
  /** Index k of the open bucket `[k·w, (k+1)·w)`, or null before the first item. */
  bucket: number | null;
  acc: A | null;
}

class TumblingWindowStream<T extends Event, A, R> extends Stream<R> {
  override readonly kind = 'tumblingWindow';
  override readonly stateful = true;
  private state: TumblingState<A> = { bucket: null, acc: null };
  private readonly windowUs: number;

  constructor(
    up: Stream<T>,
    windowSec: number,
    private readonly agg: TumblingAggregator<T, A, R>,
  ) {
    super([up as Stream<unknown>]);
    this.windowUs = toMicros(windowSec);
  }

  override update(input: unknown): void {
    const x = input as T;
    const s = this.state;
    const k = Math.floor(toMicros(x.timestamp) / this.windowUs);
    if (s.bucket !== null && k > s.bucket) {
      const startSec = (s.bucket * this.windowUs) / 1e6;
      const out = this.agg.result(s.acc as A, startSec, ((s.bucket + 1) * this.windowUs) / 1e6, x);
      s.bucket = null;
      if (out !== undefined) this.emit(out);
    }
    if (s.bucket === null) {
      s.bucket = k;
      s.acc = this.agg.init(x);
    } else {
      // Late items (k < bucket) join the open bucket: event time never runs backwards here.
      s.acc = this.agg.add(s.acc as A, x);
    }
  }

  override getState(): unknown {
    return this.state;
  }

  override setState(state: unknown): void {
    this.state = state as TumblingState<A>;
  }
}

/**
 * Tumbling event-time buckets aligned to UTC multiples of `windowSec`: the bucket `[k·w, (k+1)·w)`
 * is emitted when the first item at or after `(k+1)·w` arrives. Empty buckets emit nothing.
 */
export function tumblingWindow<T extends Event, A, R>(
  up: Stream<T>,
  windowSec: number,
  agg: TumblingAggregator<T, A, R>,
): Stream<R> {
  return new TumblingWindowStream(up, windowSec, agg);
}
