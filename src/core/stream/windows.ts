import { toMicros, type Event } from '../events.ts';
import { Stream } from './Stream.ts';

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
      if (out !== undefined) this.send(out);
    }
    if (s.bucket === null) {
      s.bucket = k;
      s.acc = this.agg.init(x);
    } else {
      // Late items (k < bucket) join the open bucket: event time never runs backwards here.
      s.acc = this.agg.add(s.acc as A, x);
    }
  }

  /** {@link Stream.emit}, this class's own copy (see there). */
  private send(x: R): void {
    const outs = this.outs;
    const n = outs.length;
    if (n === 1) {
      outs[0]!.update(x, this.outPorts[0]!);
      return;
    }
    for (let i = 0; i < n; i++) outs[i]!.update(x, this.outPorts[i]!);
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
