import { type Event, toMicros } from '../../events.ts';
import { SlidingAggregateStream } from '../../stream/slidingAggregate.ts';
import type { Stream } from '../../stream/Stream.ts';
import { combineMoments, momentsSpec } from './moments.ts';

/**
 * A sliding window of {@link MOMENTS} over one scalar per event: the same two-stacks steps and the
 * same arithmetic as `slidingAggregate(up, windowSec, momentsSpec(valueOf, result))` (so the same
 * bits, `momentsWindow.test.ts`), in a class of its own that calls `combineMoments` directly and
 * reads the value once per event. The generic window's code is shared by every monoid in a graph,
 * so V8 could not inline any of its calls (issue #14: `npm run bench -- engine`).
 */
class MomentsWindowStream<R> extends SlidingAggregateStream<Event, R> {
  constructor(
    up: Stream<Event>,
    windowSec: number,
    private readonly valueOfEvent: (e: Event) => number,
    private readonly resultOf: (agg: readonly number[], latest: Event, x: number) => R | undefined,
  ) {
    super(up, windowSec, momentsSpec(valueOfEvent, resultOf));
  }

  // SlidingAggregateStream.update with the moments lift and combine written in.
  override update(input: unknown): void {
    const x = input as Event;
    const nowUs = toMicros(x.timestamp);
    const r = this.reserve(nowUs);
    const mask = r.cap - 1;
    const { vals, back } = r;
    const at = (r.end & mask) * 4;
    const v = this.valueOfEvent(x);
    vals[at] = 1;
    vals[at + 1] = v;
    vals[at + 2] = 0;
    vals[at + 3] = 0;
    combineMoments(back, 0, vals, at, back, 0);
    r.end++;
    // Evict what is older than the window, flipping the back stack into the front when the front
    // runs out (see SlidingAggregateStream.update).
    const oldestUs = nowUs - this.windowUs;
    const us = r.us;
    let head = r.head;
    while (us[head & mask]! < oldestUs) {
      if (head === r.split) {
        for (let i = r.end - 2; i >= head; i--) {
          combineMoments(vals, (i & mask) * 4, vals, ((i + 1) & mask) * 4, vals, (i & mask) * 4);
        }
        this.emptyBack(r);
      }
      head++;
    }
    r.head = head;
    const total = this.total;
    if (head < r.split) combineMoments(vals, (head & mask) * 4, back, 0, total, 0);
    else {
      total[0] = back[0]!;
      total[1] = back[1]!;
      total[2] = back[2]!;
      total[3] = back[3]!;
    }
    const out = this.resultOf(total, x, v);
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
 * The moments (count, mean, M2) of `valueOf` over the events in `[t − windowSec, t]`, emitting
 * `result(agg, latest, valueOf(latest))` on every event (undefined: nothing). See {@link MOMENTS}.
 */
export function momentsWindow<R>(
  up: Stream<Event>,
  windowSec: number,
  valueOf: (e: Event) => number,
  result: (agg: readonly number[], latest: Event, x: number) => R | undefined,
): Stream<R> {
  return new MomentsWindowStream(up, windowSec, valueOf, result);
}
