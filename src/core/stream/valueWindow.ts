import { toMicros, type Event } from '../events.ts';
import { Stream } from './Stream.ts';

/**
 * An incremental aggregate over the numeric values of a sliding event-time window. Like
 * SlidingAggregator, but the window keeps only `(µs, value)` pairs in two number arrays, not the
 * events: a 1-minute window of a busy feed holds tens of thousands of entries, and retaining that
 * many event objects made garbage collection the engine's largest cost.
 */
export interface ValueAggregator<T extends Event, A, R> {
  init(): A;
  add(acc: A, value: number): A;
  remove(acc: A, value: number): A;
  /**
   * Optional: called once after an update evicted at least one value, with the window's values as
   * they now are (`values[from..]`, oldest first; never empty).
   */
  evicted?(acc: A, values: readonly number[], from: number): A;
  /** Output for the window ending with `latest` (whose value is `value`); undefined: nothing. */
  result(acc: A, latest: T, value: number): R | undefined;
}

interface ValueWindowState<A> {
  /** Entry times (integer µs) and values, oldest first from `head` (a deque in plain arrays). */
  us: number[];
  values: number[];
  head: number;
  acc: A;
}

class ValueWindowStream<T extends Event, A, R> extends Stream<R> {
  override readonly kind = 'valueWindow';
  override readonly stateful = true;
  private state: ValueWindowState<A>;
  private readonly windowUs: number;

  constructor(
    up: Stream<T>,
    windowSec: number,
    private readonly pick: (x: T) => number,
    private readonly agg: ValueAggregator<T, A, R>,
  ) {
    super([up as Stream<unknown>]);
    this.windowUs = toMicros(windowSec);
    this.state = { us: [], values: [], head: 0, acc: agg.init() };
  }

  override update(input: unknown): void {
    const x = input as T;
    const s = this.state;
    const agg = this.agg;
    const v = this.pick(x);
    const nowUs = toMicros(x.timestamp);
    let acc = agg.add(s.acc, v);
    const { us, values } = s;
    us.push(nowUs);
    values.push(v);
    // Inclusive window [t − w, t]: evict only what is strictly older than w.
    const oldestUs = nowUs - this.windowUs;
    const head0 = s.head;
    let head = head0;
    while (us[head]! < oldestUs) {
      acc = agg.remove(acc, values[head]!);
      head++;
    }
    if (head !== head0) {
      if (agg.evicted !== undefined) acc = agg.evicted(acc, values, head);
      if (head > 1024 && head * 2 > us.length) {
        s.us = us.slice(head);
        s.values = values.slice(head);
        head = 0;
      }
      s.head = head;
    }
    s.acc = acc;
    const out = agg.result(acc, x, v);
    if (out !== undefined) this.emit(out);
  }

  override getState(): unknown {
    const s = this.state;
    return { us: s.us.slice(s.head), values: s.values.slice(s.head), head: 0, acc: s.acc };
  }

  override setState(state: unknown): void {
    this.state = state as ValueWindowState<A>;
  }
}

/**
 * Event-time sliding window over `[t − windowSec, t]` of one number per event (`valueOf`), emitting
 * on every input. Same edge rule as `slidingWindow`: an entry exactly `windowSec` old stays in.
 */
export function slidingValueWindow<T extends Event, A, R>(
  up: Stream<T>,
  windowSec: number,
  valueOf: (x: T) => number,
  agg: ValueAggregator<T, A, R>,
): Stream<R> {
  return new ValueWindowStream(up, windowSec, valueOf, agg);
}
