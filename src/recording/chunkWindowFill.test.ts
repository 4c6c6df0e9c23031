// The window's background fill (`fill`): a jump's read landing starts the read-ahead without the
// reader asking again, so an opened or sought replay holds its first chunks before it plays.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkWindow } from './ChunkWindow.ts';
import type { ChunkStore } from './ChunkStore.ts';
import { memoryChunkStore } from './chunkStores.ts';

const N = 3000;
const ts = Array.from({ length: N }, (_, i) => 1000 + Math.floor(i / 3) * 0.25);
const lines = ts.map((t, i) => JSON.stringify({ receipt_timestamp: t, i }));

/** A memory store (chunks of 100 lines) logging each read ([from, count]) and its signal. */
function logged() {
  const inner = memoryChunkStore(lines, ts, 100);
  const reads: [number, number][] = [];
  const signals: AbortSignal[] = [];
  const store: ChunkStore = {
    read: (from, count, signal) => {
      reads.push([from, count]);
      if (signal) signals.push(signal);
      return inner.read(from, count);
    },
    seqOfLine: inner.seqOfLine,
    seqOfTime: inner.seqOfTime,
  };
  return { store, reads, signals };
}

/** Let every read in flight land, and the reads they start (the memory store answers at once). */
async function settle(): Promise<void> {
  for (let k = 0; k < 20; k++) await new Promise((r) => setTimeout(r, 0));
}

describe('ChunkWindow fill', () => {
  it('after a jump, reads ahead in the background up to the read-ahead, then stops', async () => {
    const on = logged();
    const w = new ChunkWindow(on.store, N, 8);
    w.fill = true;
    expect(w.request(1234)).toBe(false);
    await settle();
    // The jump's two chunks (12, 13), then the read-ahead in requests of 3, without a request.
    expect(on.reads).toEqual([
      [12, 2],
      [14, 3],
      [17, 3],
    ]);
    expect(w.end).toBe(2000);
    expect(w.held).toBeLessThanOrEqual(8 + 2);
    // Nothing more is read while the reader does not move.
    await settle();
    expect(on.reads.length).toBe(3);

    // Off (the default): the jump's read only, the rest when the reader asks.
    const off = logged();
    const plain = new ChunkWindow(off.store, N, 8);
    expect(plain.request(1234)).toBe(false);
    await settle();
    expect(off.reads).toEqual([[12, 2]]);
    expect(plain.end).toBe(1400);
  });

  it('a replay begun after the fill finds its first lines in memory: no read until half the read-ahead is used', async () => {
    const s = logged();
    const w = new ChunkWindow(s.store, N, 8);
    w.fill = true;
    w.request(0);
    await settle();
    const before = s.reads.length;
    // Lines 0..299 (chunks 0–2) are read with no new store read: chunks 3–7 are still ahead.
    for (let i = 0; i < 300; i++) {
      expect(w.request(i)).toBe(true);
      expect(w.line(i)).toBe(lines[i]);
    }
    expect(s.reads.length).toBe(before);
  });

  it('a jump while the fill reads aborts that read; the lines at the new place are as stored', async () => {
    const s = logged();
    const w = new ChunkWindow(s.store, N, 8);
    w.fill = true;
    await w.load(500);
    // The fill's read is in flight now (the jump's landed); a far jump overtakes it.
    const fillRead = s.signals.at(-1)!;
    expect(s.reads.at(-1)![0]).toBeGreaterThan(6);
    expect(fillRead.aborted).toBe(false);
    expect(w.request(2500)).toBe(false);
    expect(fillRead.aborted).toBe(true);
    await w.load(2500);
    await settle();
    for (let i = 2500; i < N; i++) {
      if (!w.request(i)) await w.load(i);
      expect(w.line(i)).toBe(lines[i]);
    }
  });

  it('any jumps and walks, filled: every line as stored, never more than read-ahead + 2 chunks held', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: N }), fc.integer({ min: 0, max: 400 })), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        async (moves, ahead, step, wait) => {
          const s = logged();
          const w = new ChunkWindow(s.store, N, ahead);
          w.fill = true;
          w.kept.keep = 4;
          w.step = step;
          for (const [at, walk] of moves) {
            w.request(at);
            if (wait) await settle();
            for (let i = at; i < Math.min(N, at + walk); i++) {
              if (!w.request(i)) await w.load(i);
              expect(w.line(i)).toBe(lines[i]);
              expect(w.time(i)).toBe(ts[i]);
              expect(w.held).toBeLessThanOrEqual(ahead + 2);
            }
          }
          await settle();
          expect(w.held).toBeLessThanOrEqual(ahead + 2);
        },
      ),
      { numRuns: 60 },
    );
  });
});
