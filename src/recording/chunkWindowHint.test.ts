// A store may say how it is best read ahead (the decoded-events cache: more chunks, fewer
// requests): the window then reads that way, with the same lines, and without a hint as before.
import { describe, expect, it } from 'vitest';
import { CACHE_READ } from './cachedChunkStore.ts';
import { ChunkWindow } from './ChunkWindow.ts';
import { memoryChunkStore } from './chunkStores.ts';

const N = 6000;
const ts = Array.from({ length: N }, (_, i) => 1000 + i / 4);
const lines = ts.map((t, i) => JSON.stringify({ receipt_timestamp: t, i }));

/** A memory store (chunks of 100 lines) that logs each read's size, with `hint` if given. */
function store(hint?: { chunks: number; step: number }) {
  const inner = memoryChunkStore(lines, ts, 100);
  const counts: number[] = [];
  return {
    counts,
    store: {
      ...(hint ? { readHint: hint } : {}),
      read: (from: number, count: number) => {
        counts.push(count);
        return inner.read(from, count);
      },
      seqOfLine: inner.seqOfLine,
      seqOfTime: inner.seqOfTime,
    },
  };
}

/** Every line through the window as replay reads it; the most chunks it held at once. */
async function walk(w: ChunkWindow): Promise<{ texts: string[]; most: number }> {
  const texts: string[] = [];
  let most = 0;
  for (let i = 0; i < w.total; i++) {
    if (!w.request(i)) await w.load(i);
    texts.push(w.line(i));
    most = Math.max(most, w.held);
  }
  return { texts, most };
}

describe('ChunkWindow: a store’s read hint', () => {
  it('reads the cache’s way: up to `step` chunks a request, `chunks` ahead, the same lines', async () => {
    const hinted = store(CACHE_READ);
    const { texts, most } = await walk(new ChunkWindow(hinted.store, N, 8));
    expect(texts).toEqual(lines);
    expect(Math.max(...hinted.counts)).toBe(CACHE_READ.step);
    expect(most).toBeLessThanOrEqual(CACHE_READ.chunks + 2);
    // 60 chunks: far fewer requests than 3 chunks at a time make.
    const plain = store();
    expect((await walk(new ChunkWindow(plain.store, N, 8))).texts).toEqual(lines);
    expect(Math.max(...plain.counts)).toBe(3);
    expect(hinted.counts.length).toBeLessThan(plain.counts.length / 2);
  });
});
