/**
 * A synchronous, depth-first push stream in the Streamz vocabulary. `emit(x)` runs every
 * downstream operator to completion, in the order they were attached, before it returns: one
 * input event is fully processed before the next one starts. Nothing is buffered, nothing is
 * asynchronous, and downstream links are strong references (Streamz held them weakly, which lost
 * sinks attached to streams kept on a graph).
 *
 * Stateful operators keep their state in one plain, structured-cloneable object exposed through
 * {@link Stream.getState}/{@link Stream.setState}, so a whole graph can be snapshotted and restored.
 */
export class Stream<T = unknown> {
  /** Operator name, for snapshots and debugging. */
  readonly kind: string = 'source';
  /** Whether {@link getState} returns something worth snapshotting. */
  readonly stateful: boolean = false;
  /**
   * Whether {@link getState} returns a fresh value nothing else holds (a copy made for the
   * call): a snapshot then takes it as is instead of cloning it again. False: the operator's
   * live state, which a snapshot must deep-copy.
   */
  readonly freshState: boolean = false;
  /** See {@link OperatorOptions.borrows}; false unless the operator was created promising it. */
  readonly borrows: boolean = false;
  readonly upstreams: readonly Stream<unknown>[];
  protected readonly outs: Stream<unknown>[] = [];
  /** `outPorts[i]` is the port `outs[i]` is attached at. */
  protected readonly outPorts: number[] = [];
  /** {@link downstreamsBorrow}'s answer, until the next attach (undefined: not known yet). */
  private allBorrow: boolean | undefined = undefined;

  constructor(upstreams: readonly Stream<unknown>[] = []) {
    this.upstreams = upstreams;
    upstreams.forEach((up, port) => up.attach(this, port));
  }

  /** Downstream operators, in attachment (and so emission) order. */
  get downstreams(): readonly Stream<unknown>[] {
    return this.outs;
  }

  /**
   * Whether every downstream operator borrows its input ({@link OperatorOptions.borrows}), so this
   * stream may emit an object it reuses and mutates later (true with no downstream). A hot-path
   * operator asks it per event: the answer is cached until another operator attaches.
   */
  downstreamsBorrow(): boolean {
    let all = this.allBorrow;
    if (all === undefined) {
      all = true;
      for (const d of this.outs) all &&= d.borrows;
      this.allBorrow = all;
    }
    return all;
  }

  /**
   * Push a value to every downstream operator, depth first.
   *
   * The hot operators (map, filter, fold, the windows) do not call this: each repeats these few
   * lines in a `send` of its own class (issue #14). V8 keeps call feedback per function, so this
   * one call site saw every operator class in the graph and went megamorphic (a lookup per event
   * per hop, never inlined); a class's own copy sees only what that kind of operator feeds,
   * usually one to three classes. Keep the copies the same as this.
   */
  emit(x: T): void {
    const outs = this.outs;
    const n = outs.length;
    // Most operators feed one downstream: skip the loop and the port array for those.
    if (n === 1) {
      outs[0]!.update(x, this.outPorts[0]!);
      return;
    }
    const ports = this.outPorts;
    for (let i = 0; i < n; i++) outs[i]!.update(x, ports[i]!);
  }

  /**
   * Push a value to downstreams `from` (inclusive) to `to` (exclusive) only, depth first: a
   * worker that orders deliveries itself feeds one consumer of a shared input at a time
   * (runtime/DerivationOrder). Not on the hot path.
   */
  emitRange(x: T, from: number, to: number): void {
    for (let i = from; i < to; i++) this.outs[i]!.update(x, this.outPorts[i]!);
  }

  /** Called by an upstream with the value it emitted and the port it is attached at. */
  update(x: unknown, _port: number): void {
    this.emit(x as T);
  }

  /** The operator's state (a plain object), or undefined for stateless operators. */
  getState(): unknown {
    return undefined;
  }

  setState(_state: unknown): void {}

  map<R>(fn: (x: T) => R, options?: OperatorOptions): Stream<R> {
    return new MapStream(this, fn, options?.borrows === true);
  }

  filter(pred: (x: T) => boolean): Stream<T> {
    return new FilterStream(this, pred);
  }

  /**
   * Fold inputs into a state and emit what `fn` returns. `fn(state, x)` returns `[nextState, out]`;
   * an `undefined` out emits nothing (Streamz needed a separate `filter_none`). `fn` may mutate the
   * state in place; the state must stay a plain object so snapshots can clone it.
   */
  accumulate<S, R>(fn: (state: S, x: T) => readonly [S, R | undefined], start: S): Stream<R> {
    return new AccumulateStream(this, fn, start);
  }

  /**
   * `accumulate` without the pair: `fn(state, x)` mutates `state` in place and returns the value to
   * emit (undefined: nothing). The hot-path form every built-in uses; it allocates nothing of its
   * own per event. The state must stay a plain object so snapshots can clone it.
   */
  fold<S, R>(
    fn: (state: S, x: T) => R | undefined,
    start: S,
    options?: OperatorOptions,
  ): Stream<R> {
    return new FoldStream(this, fn, start, options?.borrows === true);
  }

  /** Drop a value deep-equal to the immediately previous one (Streamz `unique(maxsize=1)`). */
  unique(): Stream<T> {
    return new UniqueStream(this);
  }

  /** Call `fn` for every value; returns the sink so it can be detached from snapshots' view. */
  sink(fn: (x: T) => void): Stream<T> {
    return new SinkStream(this, fn);
  }

  private attach(down: Stream<unknown>, port: number): void {
    this.outs.push(down);
    this.outPorts.push(port);
    this.allBorrow = undefined;
  }
}

/** How an operator uses its inputs (`map` and `fold`). */
export interface OperatorOptions {
  /**
   * The operator only reads each input while its function runs: it keeps no reference to the
   * input or to anything inside it (arrays, levels) and never emits it or a part of it. An upstream
   * whose downstreams all borrow may then lend it an object it reuses and mutates for the next
   * event (l2_snapshot_fd's book). A promise only built-in definitions make; default false.
   */
  readonly borrows?: boolean;
}

class MapStream<T, R> extends Stream<R> {
  override readonly kind = 'map';
  override readonly borrows: boolean;
  constructor(
    up: Stream<T>,
    private readonly fn: (x: T) => R,
    borrows: boolean,
  ) {
    super([up as Stream<unknown>]);
    this.borrows = borrows;
  }
  override update(x: unknown): void {
    this.send(this.fn(x as T));
  }
  /** {@link Stream.emit}, this class's own copy. */
  private send(x: R): void {
    const outs = this.outs;
    const n = outs.length;
    if (n === 1) {
      outs[0]!.update(x, this.outPorts[0]!);
      return;
    }
    for (let i = 0; i < n; i++) outs[i]!.update(x, this.outPorts[i]!);
  }
}

class FilterStream<T> extends Stream<T> {
  override readonly kind = 'filter';
  constructor(
    up: Stream<T>,
    private readonly pred: (x: T) => boolean,
  ) {
    super([up as Stream<unknown>]);
  }
  override update(x: unknown): void {
    if (this.pred(x as T)) this.send(x as T);
  }
  /** {@link Stream.emit}, this class's own copy. */
  private send(x: T): void {
    const outs = this.outs;
    const n = outs.length;
    if (n === 1) {
      outs[0]!.update(x, this.outPorts[0]!);
      return;
    }
    for (let i = 0; i < n; i++) outs[i]!.update(x, this.outPorts[i]!);
  }
}

class SinkStream<T> extends Stream<T> {
  override readonly kind = 'sink';
  constructor(
    up: Stream<T>,
    private readonly fn: (x: T) => void,
  ) {
    super([up as Stream<unknown>]);
  }
  override update(x: unknown): void {
    this.fn(x as T);
    // Sinks are usually leaves (a graph's callbacks): no call for an empty emit.
    if (this.outs.length !== 0) this.emit(x as T);
  }
}

class AccumulateStream<T, S, R> extends Stream<R> {
  override readonly kind = 'accumulate';
  override readonly stateful = true;
  constructor(
    up: Stream<T>,
    private readonly fn: (state: S, x: T) => readonly [S, R | undefined],
    private state: S,
  ) {
    super([up as Stream<unknown>]);
  }
  override update(x: unknown): void {
    const [next, out] = this.fn(this.state, x as T);
    this.state = next;
    if (out !== undefined) this.emit(out);
  }
  override getState(): unknown {
    return this.state;
  }
  override setState(state: unknown): void {
    this.state = state as S;
  }
}

class FoldStream<T, S, R> extends Stream<R> {
  override readonly kind = 'fold';
  override readonly stateful = true;
  override readonly borrows: boolean;
  constructor(
    up: Stream<T>,
    private readonly fn: (state: S, x: T) => R | undefined,
    private state: S,
    borrows: boolean,
  ) {
    super([up as Stream<unknown>]);
    this.borrows = borrows;
  }
  override update(x: unknown): void {
    const out = this.fn(this.state, x as T);
    if (out !== undefined) this.send(out);
  }
  /** {@link Stream.emit}, this class's own copy. */
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
    this.state = state as S;
  }
}

class UniqueStream<T> extends Stream<T> {
  override readonly kind = 'unique';
  override readonly stateful = true;
  private last: { value: T } | undefined;
  constructor(up: Stream<T>) {
    super([up as Stream<unknown>]);
  }
  override update(x: unknown): void {
    if (this.last !== undefined && deepEqual(this.last.value, x)) return;
    this.last = { value: x as T };
    this.emit(x as T);
  }
  override getState(): unknown {
    return this.last;
  }
  override setState(state: unknown): void {
    this.last = state as { value: T } | undefined;
  }
}

/** Structural equality of plain JSON-like values (what events are made of). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) {
      return false;
    }
  }
  return true;
}
