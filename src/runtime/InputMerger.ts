import type { Event } from '../core/events.ts';
import type { Batch } from './protocol.ts';

/** One input item waiting to be processed. */
export interface MergeItem {
  readonly seq: number;
  readonly feat: number;
  readonly ev: Event;
}

interface Lane {
  items: MergeItem[];
  head: number;
  up: number;
}

/**
 * Merges a subgraph's input streams (its feeder or emitters, and each in-edge) into one
 * deterministic order: by input `seq`, ties by lane rank, then arrival order. An item is released
 * only once every lane's watermark has reached its `seq`, so timing between workers never changes
 * what a node sees — the property behind "equal inputs give equal outputs whatever the partitioning".
 */
export class InputMerger {
  private readonly lanes: Lane[];
  /** Whether the last {@link drain} stopped early because `shouldYield` said so. */
  yielded = false;
  /** After a drain that yielded: every input with `seq <=` this has been handed out. */
  drainedUpTo = -1;

  constructor(laneCount: number) {
    this.lanes = Array.from({ length: laneCount }, () => ({ items: [], head: 0, up: -1 }));
  }

  /** Append a received batch to lane `lane`. */
  add(lane: number, b: Batch): void {
    const l = this.lanes[lane]!;
    for (let i = 0; i < b.ev.length; i++)
      l.items.push({ seq: b.seq[i]!, feat: b.feat[i]!, ev: b.ev[i]! });
    l.up = Math.max(l.up, b.up);
  }

  /** The merged watermark: every input with `seq <=` this is (or can be) processed. */
  get watermark(): number {
    let w = Infinity;
    for (const l of this.lanes) w = Math.min(w, l.up);
    return this.lanes.length === 0 ? -1 : w;
  }

  /** Items waiting in all lanes. */
  get depth(): number {
    return this.lanes.reduce((s, l) => s + l.items.length - l.head, 0);
  }

  /**
   * Hand every releasable item to `fn`, in merged order. `shouldYield` is asked between inputs
   * (never between two items of one `seq`, so {@link drainedUpTo} is a valid watermark); when it
   * says so, the drain stops with {@link yielded} set and the rest waits for the next call.
   * `limit`: release nothing with a `seq` above it (a replay worker stops at a checkpoint line).
   */
  drain(fn: (item: MergeItem) => void, shouldYield?: () => boolean, limit = Infinity): number {
    const w = Math.min(this.watermark, limit);
    let count = 0;
    let last = -Infinity;
    this.yielded = false;
    for (;;) {
      let best = -1;
      let bestSeq = Infinity;
      for (let i = 0; i < this.lanes.length; i++) {
        const l = this.lanes[i]!;
        const it = l.items[l.head];
        if (it !== undefined && it.seq <= w && it.seq < bestSeq) {
          best = i;
          bestSeq = it.seq;
        }
      }
      if (best < 0) break;
      if (bestSeq > last && count > 0 && shouldYield?.()) {
        this.yielded = true;
        this.drainedUpTo = last;
        break;
      }
      last = bestSeq;
      const l = this.lanes[best]!;
      fn(l.items[l.head++]!);
      count++;
      if (l.head > 1024 && l.head * 2 > l.items.length) {
        l.items = l.items.slice(l.head);
        l.head = 0;
      }
    }
    return count;
  }

  /** Lane state for a checkpoint (unprocessed items and watermarks). */
  state(): { items: MergeItem[]; up: number }[] {
    return this.lanes.map((l) => ({ items: l.items.slice(l.head), up: l.up }));
  }

  setState(s: readonly { items: MergeItem[]; up: number }[]): void {
    s.forEach((x, i) => Object.assign(this.lanes[i]!, { items: [...x.items], head: 0, up: x.up }));
  }
}
