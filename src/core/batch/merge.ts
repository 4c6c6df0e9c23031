import { toMicros } from '../events.ts';
import type { NamedDataEvent } from '../graph/FeatureStreamGraph.ts';

/**
 * Merge lists of named events by `timestamp` into one list, STABLY: events with equal timestamps
 * (compared in integer microseconds) keep input order — earlier lists first, then position within
 * a list — exactly like the seed's `heapq.merge`. A list that is not in timestamp order is first
 * stably sorted (the seed assumed sorted blocks and silently misordered otherwise).
 */
export function mergeByTimestamp(lists: readonly (readonly NamedDataEvent[])[]): NamedDataEvent[] {
  const sorted = lists.filter((l) => l.length > 0).map(sortedStably);
  if (sorted.length === 0) return [];
  if (sorted.length === 1) return [...sorted[0]!];
  // k-way merge with a binary heap of list cursors ordered by (µs, list index).
  const us = sorted.map((l) => l.map((e) => toMicros(e[1].timestamp)));
  const pos = sorted.map(() => 0);
  const heap = sorted.map((_, i) => i);
  const less = (a: number, b: number): boolean => {
    const ta = us[a]![pos[a]!]!;
    const tb = us[b]![pos[b]!]!;
    return ta < tb || (ta === tb && a < b);
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  const out: NamedDataEvent[] = [];
  while (heap.length > 0) {
    const k = heap[0]!;
    out.push(sorted[k]![pos[k]!]!);
    if (++pos[k]! >= sorted[k]!.length) {
      heap[0] = heap[heap.length - 1]!;
      heap.pop();
    }
    if (heap.length > 0) down(0);
  }
  return out;
}

function sortedStably(list: readonly NamedDataEvent[]): readonly NamedDataEvent[] {
  for (let i = 1; i < list.length; i++) {
    if (toMicros(list[i]![1].timestamp) < toMicros(list[i - 1]![1].timestamp)) {
      // Array.prototype.sort is stable (ES2019), so ties keep their order.
      return [...list].sort((a, b) => toMicros(a[1].timestamp) - toMicros(b[1].timestamp));
    }
  }
  return list;
}
