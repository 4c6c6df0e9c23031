import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkBytes, type LineChunk } from './ChunkStore.ts';
import { ChunkWindow } from './ChunkWindow.ts';
import { memoryChunkStore } from './chunkStores.ts';
import { KeptChunks } from './KeptChunks.ts';
import { memoryRanges, windowMemory } from './memoryRanges.ts';

const chunk = (seq: number, bytes: number): LineChunk => ({
  seq,
  line0: seq * 10,
  lines: [],
  ts: [],
  bytes,
});

describe('KeptChunks', () => {
  it('estimates a chunk without bytes from its text: characters, a header and a time a line', () => {
    const c = { seq: 0, line0: 0, lines: ['abc', 'de'], ts: [1, 2] };
    expect(chunkBytes(c)).toBe(3 + 2 + 2 * 32 + 2 * 8);
    expect(chunkBytes({ ...c, bytes: 7 })).toBe(7);
  });

  it('keeps the most recently added chunks: at least `keep`, more while within `keepBytes`', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 500 }))),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 2000 }),
        (adds, keep, keepBytes) => {
          const k = new KeptChunks();
          k.keep = keep;
          k.keepBytes = keepBytes;
          /**
           * The reference, a plain list (most recent last): an add moves its chunk to the end,
           * then the oldest go while more than `keep` are held and their bytes exceed the budget.
           * A chunk that went stays gone until added again.
           */
          let order: { seq: number; bytes: number }[] = [];
          const sum = () => order.reduce((a, o) => a + o.bytes, 0);
          for (const [seq, bytes] of adds) {
            k.add(chunk(seq, bytes));
            if (keep === 0 && keepBytes === 0) continue;
            order = [...order.filter((o) => o.seq !== seq), { seq, bytes }];
            while (order.length > keep && sum() > keepBytes) order = order.slice(1);
            // The bounds hold after every add.
            expect(k.size <= keep || k.bytes <= keepBytes).toBe(true);
          }
          expect(k.size).toBe(order.length);
          expect(k.bytes).toBe(sum());
          for (const o of order) expect(k.get(o.seq)?.bytes).toBe(o.bytes);
          expect([...k.chunks()].map((c) => c.seq)).toEqual(order.map((o) => o.seq));
        },
      ),
    );
  });

  it('forgets a deleted chunk and its bytes', () => {
    const k = new KeptChunks();
    k.keepBytes = 100;
    k.add(chunk(1, 40));
    k.add(chunk(2, 50));
    k.delete(1);
    expect(k.size).toBe(1);
    expect(k.bytes).toBe(50);
    k.delete(1);
    expect(k.bytes).toBe(50);
  });
});

const N = 3000;
const ts = Array.from({ length: N }, (_, i) => 1000 + i * 0.25);
const lines = ts.map((t, i) => JSON.stringify({ receipt_timestamp: t, exchange: 'SIM', i }));

async function walk(w: ChunkWindow, from = 0, to = w.total): Promise<string[]> {
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    if (!w.request(i)) await w.load(i);
    out.push(w.line(i));
  }
  return out;
}

describe('ChunkWindow with a memory budget (kept.keepBytes)', () => {
  it('a recording that fits is read once: a second play and any seek read nothing', async () => {
    const store = memoryChunkStore(lines, ts, 100);
    const w = new ChunkWindow(store, N, 4);
    w.kept.keep = 3;
    w.kept.keepBytes = 16 * 1024 * 1024;
    expect(await walk(w)).toEqual(lines);
    const reads = store.reads;
    // Back to the start (a later play), then seeks anywhere: all from memory, as stored.
    expect(await walk(w)).toEqual(lines);
    for (const line of [2999, 1, 1500, 777, 2222, 0]) {
      expect(w.request(line)).toBe(true);
      expect(w.line(line)).toBe(lines[line]);
    }
    expect(await walk(w, 1234, 2100)).toEqual(lines.slice(1234, 2100));
    expect(store.reads).toBe(reads);
    expect(w.kept.bytes).toBeLessThanOrEqual(16 * 1024 * 1024);
  });

  it('past the budget the least recently read go, and what is read again is as stored', async () => {
    const store = memoryChunkStore(lines, ts, 100);
    const w = new ChunkWindow(store, N, 4);
    const perChunk = chunkBytes({
      seq: 0,
      line0: 0,
      lines: lines.slice(0, 100),
      ts: ts.slice(0, 100),
    });
    // About ten chunks of the thirty.
    w.kept.keepBytes = perChunk * 10;
    expect(await walk(w)).toEqual(lines);
    const reads = store.reads;
    expect(w.kept.bytes).toBeLessThanOrEqual(perChunk * 10 + perChunk);
    // The start left memory long ago: a play from there reads the store again.
    expect(await walk(w)).toEqual(lines);
    expect(store.reads).toBeGreaterThan(reads);
  });

  it('any walk of plays and seeks reads every line as stored, within the budget', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: N - 1 }), fc.integer({ min: 1, max: 400 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.integer({ min: 0, max: 400_000 }),
        async (moves, budget) => {
          const store = memoryChunkStore(lines, ts, 100);
          const w = new ChunkWindow(store, N, 4);
          w.kept.keep = 2;
          w.kept.keepBytes = budget;
          for (const [from, n] of moves) {
            const to = Math.min(N, from + n);
            expect(await walk(w, from, to)).toEqual(lines.slice(from, to));
            // Within the budget, or no more than `keep` chunks.
            expect(w.kept.bytes <= budget || w.kept.size <= 2).toBe(true);
            // What the timeline is told it holds is what it holds (recomputed on every move).
            expect(windowMemory(w)).toEqual(memoryRanges(w.inMemory()));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
