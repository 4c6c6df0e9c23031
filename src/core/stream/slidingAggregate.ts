import { toMicros, type Event } from '../events.ts';
import { Stream } from './Stream.ts';

/**
 * An associative combine over fixed-width aggregates of numbers, stored flat in plain number
 * arrays (`width` numbers per aggregate) so a window holds no per-item objects and its state
 * stays plain data. Nothing is ever subtracted: a sliding window only combines.
 */
export interface Monoid {
  /** Numbers per aggregate. */
  readonly width: number;
  /** The aggregate of nothing (`width` numbers); `combine(identity, x) = combine(x, identity) = x`. */
  readonly identity: readonly number[];
  /**
   * `out[o…] = a[ai…] ⊕ b[bi…]`, where `a` aggregates items older than `b`'s. Must be associative
   * (up to its documented rounding) and must read all inputs before writing, because `out` may be
   * `a` or `b` at the same offset.
   */
  combine(
    a: readonly number[],
    ai: number,
    b: readonly number[],
    bi: number,
    out: number[],
    o: number,
  ): void;
}

/** What a sliding aggregate computes: the monoid, how one item enters it, and the output. */
export interface SlidingAggregateSpec<T extends Event, R> {
  readonly monoid: Monoid;
  /** Write the one-item aggregate of `x` at `out[o…o + width)`. */
  lift(x: T, out: number[], o: number): void;
  /**
   * Output for the window ending with `latest`: `agg[0…width)` aggregates the whole window,
   * `count` is its number of items (≥ 1: the newest is always in). Undefined emits nothing.
   */
  result(agg: readonly number[], count: number, latest: T): R | undefined;
}

/**
 * Two-stacks state, in plain number arrays used as a ring of `cap` slots (a power of two). Items
 * `head … end − 1` (counters that only grow; slot = counter mod cap) are the window, oldest first;
 * `us[slot]` is the item's time in integer µs. `vals` holds `width` numbers per slot: for the front
 * stack (`head ≤ i < split`) the aggregate of items `i … split − 1` (a suffix aggregate), for the
 * back stack (`split ≤ i < end`) item i's own lift. `back` aggregates the back stack. Every store is
 * in bounds: the ring only grows (doubling) when full, so no per-event allocation or copying.
 */
export interface Ring {
  us: number[];
  vals: number[];
  cap: number;
  head: number;
  split: number;
  end: number;
  back: number[];
}

/** The snapshot form: the window only, oldest first, as plain arrays (JSON-safe). */
interface TwoStacksState {
  /**
   * Item times and lifts, oldest first: Float64Arrays (a checkpoint clones each as one copy; as
   * `number[]`, a 5-minute window cloned ~6× slower), plain arrays in older states (restored too).
   */
  us: ArrayLike<number>;
  vals: ArrayLike<number>;
  /** Items before `split` are the front stack (suffix aggregates); the rest are lifts. */
  split: number;
  back: number[];
}

const MIN_CAP = 16;

/**
 * The two-stacks window operator. Built-in definitions whose monoid is fixed subclass it and
 * override {@link update} with the same steps calling their combine directly
 * (`definitions/builtin/momentsWindow.ts`, `sumsWindow.ts`): this class's code is shared by every
 * window, so its `lift`/`combine`/`result` calls see every monoid in the graph and V8 cannot inline
 * them, while a subclass's own copy sees one monoid (issue #14). Subclasses keep this kind and
 * state form, so snapshots do not depend on which class ran.
 */
export class SlidingAggregateStream<T extends Event, R> extends Stream<R> {
  override readonly kind = 'slidingAggregate';
  override readonly stateful = true;
  /** {@link toState} copies the window (typed arrays, `back` sliced). */
  override readonly freshState = true;
  protected ring: Ring;
  protected readonly windowUs: number;
  protected readonly width: number;
  /** The monoid's identity, copied once (read at every flip). */
  protected readonly identity: readonly number[];
  /** Scratch for the window aggregate handed to `result` (not state: rewritten every event). */
  protected readonly total: number[];

  constructor(
    up: Stream<T>,
    windowSec: number,
    protected readonly spec: SlidingAggregateSpec<T, R>,
  ) {
    super([up as Stream<unknown>]);
    this.windowUs = toMicros(windowSec);
    this.width = spec.monoid.width;
    this.identity = spec.monoid.identity.slice();
    this.total = spec.monoid.identity.slice();
    this.ring = this.fromState({ us: [], vals: [], split: 0, back: this.total.slice() });
  }

  override update(input: unknown): void {
    const x = input as T;
    const w = this.width;
    const m = this.spec.monoid;
    const nowUs = toMicros(x.timestamp);
    const r = this.reserve(nowUs);
    const mask = r.cap - 1;
    const { us, vals, back } = r;
    // Push onto the back stack: the item's lift, and the back aggregate grows by it.
    const at = (r.end & mask) * w;
    this.spec.lift(x, vals, at);
    m.combine(back, 0, vals, at, back, 0);
    r.end++;
    // Inclusive window [t − w, t]: evict (in arrival order) what is strictly older than w. The
    // newest item is never older than itself, so the window is never empty after a push.
    const oldestUs = nowUs - this.windowUs;
    let head = r.head;
    while (us[head & mask]! < oldestUs) {
      if (head === r.split) {
        // The front stack is empty: turn the back stack into it, each item's lift becoming the
        // aggregate of it and every newer item (one combine per item: O(1) amortised per
        // eviction). Written here, not in a method: a method called a few times per run never
        // got optimized and its on-stack-replaced loop deoptimized at every call (--trace-deopt).
        for (let i = r.end - 2; i >= head; i--) {
          m.combine(vals, (i & mask) * w, vals, ((i + 1) & mask) * w, vals, (i & mask) * w);
        }
        this.emptyBack(r);
      }
      head++;
    }
    r.head = head;
    // The window's aggregate: front suffix (oldest items) ⊕ back.
    const total = this.total;
    if (head < r.split) m.combine(vals, (head & mask) * w, back, 0, total, 0);
    else for (let k = 0; k < w; k++) total[k] = back[k]!;
    const out = this.spec.result(total, r.end - head, x);
    if (out !== undefined) this.send(out);
  }

  /** {@link Stream.emit}, this class's own copy (see there). */
  protected send(x: R): void {
    const outs = this.outs;
    const n = outs.length;
    if (n === 1) {
      outs[0]!.update(x, this.outPorts[0]!);
      return;
    }
    for (let i = 0; i < n; i++) outs[i]!.update(x, this.outPorts[i]!);
  }

  /**
   * The ring, with room for one more item (grown if full), the new item's time stored at slot
   * `end`. The caller writes its lift there, folds it into `back` and increments `end`.
   */
  protected reserve(nowUs: number): Ring {
    let r = this.ring;
    if (r.end - r.head === r.cap) r = this.ring = this.grown(r);
    r.us[r.end & (r.cap - 1)] = nowUs;
    return r;
  }

  /** After a flip's combines: every item is in the front stack, and the back one is empty. */
  protected emptyBack(r: Ring): void {
    r.split = r.end;
    const id = this.identity;
    for (let k = 0; k < this.width; k++) r.back[k] = id[k]!;
  }

  /** A full ring's window in a ring twice its size, from slot 0 (one copy, no detour via state). */
  private grown(r: Ring): Ring {
    const w = this.width;
    const mask = r.cap - 1;
    const cap = 2 * r.cap;
    const us = new Array<number>(cap).fill(0);
    const vals = new Array<number>(cap * w).fill(0);
    const oldUs = r.us;
    const oldVals = r.vals;
    const n = r.end - r.head;
    for (let j = 0, slot = r.head & mask; j < n; j++, slot = (slot + 1) & mask) {
      us[j] = oldUs[slot]!;
      const from = slot * w;
      const to = j * w;
      for (let k = 0; k < w; k++) vals[to + k] = oldVals[from + k]!;
    }
    return { us, vals, cap, head: 0, split: r.split - r.head, end: n, back: r.back };
  }

  /** The window in typed arrays, oldest first (doubles stored exactly, -0 included). */
  private toState(): TwoStacksState {
    const r = this.ring;
    const w = this.width;
    const mask = r.cap - 1;
    const n = r.end - r.head;
    const us = new Float64Array(n);
    const vals = new Float64Array(n * w);
    for (let j = 0, i = r.head; j < n; j++, i++) {
      const slot = i & mask;
      us[j] = r.us[slot]!;
      for (let k = 0; k < w; k++) vals[j * w + k] = r.vals[slot * w + k]!;
    }
    return { us, vals, split: r.split - r.head, back: r.back.slice() };
  }

  /** A ring of at least `minCap` slots holding `state`'s window from slot 0. */
  private fromState(state: TwoStacksState, minCap = MIN_CAP): Ring {
    const n = state.us.length;
    let cap = MIN_CAP;
    while (cap < minCap || cap <= n) cap *= 2;
    // Filled with numbers (not holes), so every later store is an in-bounds double store.
    const us = new Array<number>(cap).fill(0);
    const vals = new Array<number>(cap * this.width).fill(0);
    for (let i = 0; i < n; i++) us[i] = state.us[i]!;
    for (let i = 0; i < n * this.width; i++) vals[i] = state.vals[i]!;
    return { us, vals, cap, head: 0, split: state.split, end: n, back: state.back.slice() };
  }

  override getState(): unknown {
    return this.toState();
  }

  override setState(state: unknown): void {
    this.ring = this.fromState(state as TwoStacksState);
  }
}

/**
 * Event-time sliding window over `[t − windowSec, t]` (an item exactly `windowSec` old stays in;
 * edges in integer µs), emitting `spec.result` on every input. The window's aggregate is kept by
 * the two-stacks algorithm over `spec.monoid`: O(1) amortised combines per event and no
 * subtraction, so evicting an item can never leave rounding residue behind. Items are kept in
 * arrival order; a late item (earlier timestamp) joins at the back and is evicted when it reaches
 * the front.
 */
export function slidingAggregate<T extends Event, R>(
  up: Stream<T>,
  windowSec: number,
  spec: SlidingAggregateSpec<T, R>,
): Stream<R> {
  return new SlidingAggregateStream(up, windowSec, spec);
}
