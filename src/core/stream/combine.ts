import { Stream } from './Stream.ts';

type Values<S extends readonly Stream<unknown>[]> = {
  -readonly [K in keyof S]: S[K] extends Stream<infer T> ? T : never;
};

interface CombineState {
  latest: unknown[];
  seen: boolean[];
  /** How many upstreams have emitted at least once. */
  ready: number;
}

class CombineLatestStream<S extends readonly Stream<unknown>[]> extends Stream<Values<S>> {
  override readonly kind = 'combineLatest';
  override readonly stateful = true;
  private state: CombineState;
  constructor(ups: S) {
    super(ups);
    this.state = { latest: ups.map(() => undefined), seen: ups.map(() => false), ready: 0 };
  }
  override update(x: unknown, port: number): void {
    const s = this.state;
    s.latest[port] = x;
    if (!s.seen[port]) {
      s.seen[port] = true;
      s.ready++;
    }
    if (s.ready === s.latest.length) this.emit(s.latest.slice() as Values<S>);
  }
  override getState(): unknown {
    return this.state;
  }
  override setState(state: unknown): void {
    this.state = state as CombineState;
  }
}

/**
 * Streamz `combine_latest`: keeps the latest value of every upstream, emits nothing until each has
 * emitted once, then emits a fresh tuple of all latest values on every update of any upstream.
 */
export function combineLatest<S extends readonly Stream<unknown>[]>(...ups: S): Stream<Values<S>> {
  return new CombineLatestStream(ups);
}

class ZipStream<S extends readonly Stream<unknown>[]> extends Stream<Values<S>> {
  override readonly kind = 'zip';
  override readonly stateful = true;
  private queues: unknown[][];
  constructor(ups: S) {
    super(ups);
    this.queues = ups.map(() => []);
  }
  override update(x: unknown, port: number): void {
    this.queues[port]!.push(x);
    if (this.queues.every((q) => q.length > 0)) {
      this.emit(this.queues.map((q) => q.shift()) as Values<S>);
    }
  }
  override getState(): unknown {
    return this.queues;
  }
  override setState(state: unknown): void {
    this.queues = state as unknown[][];
  }
}

/** Streamz `zip`: pairs the n-th value of every upstream; unmatched values wait in order. */
export function zip<S extends readonly Stream<unknown>[]>(...ups: S): Stream<Values<S>> {
  return new ZipStream(ups);
}
