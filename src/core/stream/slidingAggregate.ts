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
 * Two-stacks state, in plain arrays. Items `head … end − 1` are the window, oldest first; `us[i]`
 * is item i's time (integer µs). `vals` holds `width` numbers per item: for the front stack
 * (`head ≤ i < split`) the aggregate of items `i … split − 1` (a suffix aggregate), for the back
 * stack (`split ≤ i < end`) item i's own lift. `back` aggregates the back stack.
 */
interface TwoStacksState {
  us: number[];
  vals: number[];
  head: number;
  split: number;
  back: number[];
}

/** Compact the arrays once this many evicted items lead them (and they are over half). */
const COMPACT_AFTER = 1024;

class SlidingAggregateStream<T extends Event, R> extends Stream<R> {
  override readonly kind = 'slidingAggregate';
  override readonly stateful = true;
  private state: TwoStacksState;
  private readonly windowUs: number;
  private readonly width: number;
  /** Scratch for the window aggregate handed to `result` (not state: rewritten every event). */
  private readonly total: number[];

  constructor(
    up: Stream<T>,
    windowSec: number,
    private readonly spec: SlidingAggregateSpec<T, R>,
  ) {
    super([up as Stream<unknown>]);
    this.windowUs = toMicros(windowSec);
    this.width = spec.monoid.width;
    this.total = spec.monoid.identity.slice();
    this.state = this.empty();
  }

  private empty(): TwoStacksState {
    return { us: [], vals: [], head: 0, split: 0, back: this.spec.monoid.identity.slice() };
  }

  override update(input: unknown): void {
    const x = input as T;
    const s = this.state;
    const w = this.width;
    const m = this.spec.monoid;
    const { us, vals, back } = s;
    const nowUs = toMicros(x.timestamp);
    // Push onto the back stack: the item's lift, and the back aggregate grows by it.
    const end = us.length;
    us.push(nowUs);
    this.spec.lift(x, vals, end * w);
    m.combine(back, 0, vals, end * w, back, 0);
    // Inclusive window [t − w, t]: evict (in arrival order) what is strictly older than w. The
    // newest item is never older than itself, so the window is never empty after a push.
    const oldestUs = nowUs - this.windowUs;
    let head = s.head;
    if (us[head]! < oldestUs) {
      do {
        if (head === s.split) this.flip(head);
        head++;
      } while (us[head]! < oldestUs);
      if (head > COMPACT_AFTER && head * 2 > us.length) {
        s.us = us.slice(head);
        s.vals = vals.slice(head * w);
        s.split -= head;
        head = 0;
      }
      s.head = head;
    }
    // The window's aggregate: front suffix (oldest items) ⊕ back.
    const total = this.total;
    if (head < s.split) m.combine(s.vals, head * w, back, 0, total, 0);
    else for (let k = 0; k < w; k++) total[k] = back[k]!;
    const out = this.spec.result(total, s.us.length - head, x);
    if (out !== undefined) this.emit(out);
  }

  /**
   * The front stack is empty: turn the back stack into it, each item's lift becoming the
   * aggregate of it and every newer item (one combine per item, so O(1) amortised per eviction).
   */
  private flip(head: number): void {
    const s = this.state;
    const w = this.width;
    const m = this.spec.monoid;
    const vals = s.vals;
    const end = s.us.length;
    for (let i = end - 2; i >= head; i--) m.combine(vals, i * w, vals, (i + 1) * w, vals, i * w);
    s.split = end;
    const id = m.identity;
    for (let k = 0; k < w; k++) s.back[k] = id[k]!;
  }

  override getState(): unknown {
    const s = this.state;
    const h = s.head;
    return {
      us: s.us.slice(h),
      vals: s.vals.slice(h * this.width),
      head: 0,
      split: s.split - h,
      back: s.back.slice(),
    };
  }

  override setState(state: unknown): void {
    this.state = state as TwoStacksState;
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
