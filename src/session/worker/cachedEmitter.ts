import type { Event } from '../../core/events.ts';
import type { CachedChunk } from '../../recording/cachedChunkStore.ts';
import {
  eventCount,
  eventLine,
  eventSource,
  type PackedEvents,
  unpackEvent,
} from '../../runtime/ReplayEventPack.ts';

/**
 * Emits a cached chunk's events of line `i` to this worker's sources on their routes: a cursor
 * per route over the chunk's events (lines are read in order; a jump searches); events of one
 * line on several routes go in the decoder's order (their ordinals).
 */
export function cachedEmitter(routes: ReadonlyMap<string, number[]>) {
  let chunk: CachedChunk | undefined;
  let parts: { p: PackedEvents; n: number; list: number[]; k: number }[] = [];
  return (c: CachedChunk, i: number, emit: (source: number, e: Event) => void): void => {
    if (chunk !== c) {
      chunk = c;
      parts = c.cached!.routes.map(({ route, packed: p }) => ({
        p,
        n: eventCount(p),
        list: routes.get(route) ?? [],
        k: firstEventAt(p, i),
      }));
    }
    for (const r of parts)
      if ((r.k < r.n && eventLine(r.p, r.k) < i) || (r.k > 0 && eventLine(r.p, r.k - 1) >= i))
        r.k = firstEventAt(r.p, i);
    if (parts.length === 1) {
      const r = parts[0]!;
      for (; r.k < r.n && eventLine(r.p, r.k) === i; r.k++) {
        const e = unpackEvent(r.p, r.k);
        for (const s of r.list) emit(s, e);
      }
      return;
    }
    for (;;) {
      let next: (typeof parts)[number] | undefined;
      for (const r of parts)
        if (r.k < r.n && eventLine(r.p, r.k) === i)
          if (!next || eventSource(r.p, r.k) < eventSource(next.p, next.k)) next = r;
      if (!next) return;
      const e = unpackEvent(next.p, next.k++);
      for (const s of next.list) emit(s, e);
    }
  };
}

/** Index of the first event of `p` at line `i` or after. */
function firstEventAt(p: PackedEvents, i: number): number {
  let lo = 0;
  let hi = eventCount(p);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (eventLine(p, mid) < i) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
