import { type Event, toMicros } from '../../events.ts';
import {
  SlidingAggregateStream,
  type SlidingAggregateSpec,
} from '../../stream/slidingAggregate.ts';
import type { Stream } from '../../stream/Stream.ts';
import { combineSums, isCompensatedSums } from './compensatedSums.ts';

/**
 * A sliding window of {@link compensatedSums}: the same two-stacks steps and the same arithmetic
 * as `slidingAggregate(up, windowSec, spec)` (so the same bits, `sumsWindow.test.ts`), in a class
 * of its own that calls `combineSums` directly. The generic window's code is shared by every
 * monoid in a graph, so V8 could not inline any of its calls (issue #14).
 */
class SumsWindowStream<T extends Event, R> extends SlidingAggregateStream<T, R> {
  // SlidingAggregateStream.update with the compensated sums' combine written in.
  override update(input: unknown): void {
    const x = input as T;
    const w = this.width;
    const nowUs = toMicros(x.timestamp);
    const r = this.reserve(nowUs);
    const mask = r.cap - 1;
    const { vals, back } = r;
    const at = (r.end & mask) * w;
    this.spec.lift(x, vals, at);
    combineSums(back, 0, vals, at, back, 0, w);
    r.end++;
    // Evict what is older than the window, flipping the back stack into the front when the front
    // runs out (see SlidingAggregateStream.update).
    const oldestUs = nowUs - this.windowUs;
    const us = r.us;
    let head = r.head;
    while (us[head & mask]! < oldestUs) {
      if (head === r.split) {
        for (let i = r.end - 2; i >= head; i--) {
          combineSums(vals, (i & mask) * w, vals, ((i + 1) & mask) * w, vals, (i & mask) * w, w);
        }
        this.emptyBack(r);
      }
      head++;
    }
    r.head = head;
    const total = this.total;
    if (head < r.split) combineSums(vals, (head & mask) * w, back, 0, total, 0, w);
    else for (let k = 0; k < w; k++) total[k] = back[k]!;
    const out = this.spec.result(total, r.end - head, x);
    if (out !== undefined) this.send(out);
  }

  /** {@link Stream.emit}, this class's own copy (see there). */
  protected override send(x: R): void {
    const outs = this.outs;
    const n = outs.length;
    if (n === 1) {
      outs[0]!.update(x, this.outPorts[0]!);
      return;
    }
    for (let i = 0; i < n; i++) outs[i]!.update(x, this.outPorts[i]!);
  }
}

/**
 * `slidingAggregate(up, windowSec, spec)` for a `spec` whose monoid is made by
 * `compensatedSums(k)` (checked; its combine is not called: `combineSums` is).
 */
export function sumsWindow<T extends Event, R>(
  up: Stream<T>,
  windowSec: number,
  spec: SlidingAggregateSpec<T, R>,
): Stream<R> {
  if (!isCompensatedSums(spec.monoid)) throw new Error('sumsWindow needs a compensatedSums monoid');
  return new SumsWindowStream(up, windowSec, spec);
}
