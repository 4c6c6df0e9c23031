// The window's request size (`step`): bigger requests read the same lines in fewer round trips,
// within the read-ahead bound; the default stays 3 chunks a request.
import { describe, expect, it } from 'vitest';
import { ChunkWindow } from './ChunkWindow.ts';
import { memoryChunkStore } from './chunkStores.ts';

const N = 6000;
const ts = Array.from({ length: N }, (_, i) => 1000 + i / 4);
const lines = ts.map((t, i) => JSON.stringify({ receipt_timestamp: t, i }));

/** A memory store (chunks of 100 lines) that logs each read's size. */
function store() {
  const inner = memoryChunkStore(lines, ts, 100);
  const counts: number[] = [];
  return {
    counts,
    store: {
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

describe('ChunkWindow: chunks per request', () => {
  it('reads up to `step` chunks a request within the read-ahead, the same lines, fewer requests', async () => {
    const big = store();
    const w = new ChunkWindow(big.store, N, 16);
    w.step = 8;
    const { texts, most } = await walk(w);
    expect(texts).toEqual(lines);
    expect(Math.max(...big.counts)).toBe(8);
    expect(most).toBeLessThanOrEqual(16 + 2);
    // 60 chunks: far fewer requests than 3 chunks at a time make (the default).
    const plain = store();
    expect((await walk(new ChunkWindow(plain.store, N, 16))).texts).toEqual(lines);
    expect(Math.max(...plain.counts)).toBe(3);
    expect(big.counts.length).toBeLessThan(plain.counts.length / 2);
  });
});
