import type { LineChunk } from './ChunkStore.ts';
import type { ChunkWindow } from './ChunkWindow.ts';

/**
 * The receipt-time ranges that `chunks` cover, flat `[from, to, from, to, …]` in epoch seconds,
 * sorted, consecutive chunks (`seq`) one range, with no gap between one's last line and the
 * next's first: what a replay holds in memory, for the timeline to show (as Foxglove shows its
 * preloaded ranges). A whole recording in memory is one range.
 */
export function memoryRanges(chunks: Iterable<LineChunk>): number[] {
  const list = [...chunks].filter((c) => c.ts.length > 0).sort((a, b) => a.seq - b.seq);
  const out: number[] = [];
  let lastSeq = -2;
  for (const c of list) {
    const first = c.ts[0]!;
    const last = c.ts[c.ts.length - 1]!;
    if (c.seq === lastSeq + 1 && out.length > 0) {
      // Joined to the previous chunk's range: it reaches this chunk's last line.
      out[out.length - 1] = Math.max(out[out.length - 1]!, last);
    } else if (c.seq !== lastSeq) out.push(first, last);
    lastSeq = c.seq;
  }
  return out;
}

const derived = new WeakMap<ChunkWindow, { version: number; ranges: number[] }>();

/**
 * {@link memoryRanges} of what `w` holds, recomputed only when its chunks in memory changed
 * (`memoryVersion`): replays ask every report or tick, and chunks move at chunk boundaries.
 */
export function windowMemory(w: ChunkWindow): readonly number[] {
  const had = derived.get(w);
  if (had?.version === w.memoryVersion) return had.ranges;
  const ranges = memoryRanges(w.inMemory());
  derived.set(w, { version: w.memoryVersion, ranges });
  return ranges;
}

/** Whether two flat range lists are the same (a state update only when they differ). */
export function sameRanges(a: readonly number[] | undefined, b: readonly number[]): boolean {
  return a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The ranges every list holds (their intersection), flat as {@link memoryRanges} gives them:
 * a replay's several reading workers each hold their own chunks, and a place is quick to reach
 * only when all of them hold it. No list: nothing.
 */
export function commonRanges(lists: readonly (readonly number[])[]): number[] {
  if (lists.length === 0) return [];
  let acc: readonly number[] = lists[0]!;
  for (const next of lists.slice(1)) {
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < acc.length && j < next.length) {
      const from = Math.max(acc[i]!, next[j]!);
      const to = Math.min(acc[i + 1]!, next[j + 1]!);
      if (from <= to) out.push(from, to);
      if (acc[i + 1]! < next[j + 1]!) i += 2;
      else j += 2;
    }
    acc = out;
  }
  return [...acc];
}
