import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openStudioDb } from '../storage/db.ts';
import { RecordingWriter } from './RecordingWriter.ts';
import { ChunkWindow, upperBound } from './ChunkWindow.ts';
import { memoryChunkStore, recordingChunkStore } from './chunkStores.ts';

const N = 2500;
/** Receipt times with runs of equal values (ties are where off-by-ones hide). */
const ts = Array.from({ length: N }, (_, i) => 1000 + Math.floor(i / 3) * 0.5);
const lines = ts.map((t, i) =>
  JSON.stringify({ receipt_timestamp: t, exchange: 'SIM', event: { i } }),
);

/** Read every line through the window as replay does: request, await the load, read. */
async function walk(w: ChunkWindow, from = 0): Promise<{ texts: string[]; most: number }> {
  const texts: string[] = [];
  let most = 0;
  for (let i = from; i < w.total; i++) {
    if (!w.request(i)) await w.load(i);
    texts.push(w.line(i));
    most = Math.max(most, w.held);
  }
  return { texts, most };
}

describe('ChunkWindow', () => {
  it('streams every line in order while holding at most read-ahead + 2 chunks', async () => {
    const store = memoryChunkStore(lines, ts, 100);
    const w = new ChunkWindow(store, N, 4);
    const { texts, most } = await walk(w);
    expect(texts).toEqual(lines);
    expect(most).toBeLessThanOrEqual(6);
    // 25 chunks read in batches, not one request per chunk.
    expect(store.reads).toBeLessThanOrEqual(13);
  });

  it('jumps to a far line with one index lookup and one read', async () => {
    const store = memoryChunkStore(lines, ts, 100);
    const w = new ChunkWindow(store, N, 4);
    await w.load(2345);
    expect(store.reads).toBe(1);
    expect(w.line(2345)).toBe(lines[2345]);
    // The line before stays readable (the playhead shows its time), even across a chunk edge.
    await w.load(2300);
    expect(w.time(2299)).toBe(ts[2299]);
    expect(w.start).toBeLessThan(2300);
  });

  it('maps times to line counts as a search over all times would, in or out of the window', async () => {
    const w = new ChunkWindow(memoryChunkStore(lines, ts, 100), N, 2);
    await w.load(1200);
    for (const t of [0, 1000, 1000.25, 1100, 1199.5, 1200, 1350.5, 1416.5, 5000]) {
      expect(await w.lineAfterTime(t)).toBe(upperBound(ts, t));
    }
    expect(w.linesUpTo(ts[1250]!)).toBe(upperBound(ts, ts[1250]!));
  });

  it('reads a recording from IndexedDB through its indexes, a prefix while it is written', async () => {
    const db = await openStudioDb(`window-${Math.random()}`);
    const writer = await RecordingWriter.create(db, { id: 'r', name: 'r', maxLines: 100 });
    for (let i = 0; i < N; i++) {
      writer.line(
        JSON.parse(lines[i]!) as { receipt_timestamp: number; exchange: string },
        lines[i],
      );
      if (i % 100 === 99) await Promise.resolve();
      if (i === 1499) await writer.flush();
    }
    const store = recordingChunkStore(db, 'r', 15);
    const w = new ChunkWindow(store, 1500, 3);
    expect((await walk(w)).texts).toEqual(lines.slice(0, 1500));
    const meta = await writer.close();
    store.endSeq = meta.chunks;
    w.grow(meta.lines);
    const rest = await walk(w, 1500);
    expect(rest.texts).toEqual(lines.slice(1500));
    expect(rest.most).toBeLessThanOrEqual(5);
    await w.load(777);
    expect(w.line(777)).toBe(lines[777]);
    expect(await w.lineAfterTime(ts[1999]!)).toBe(upperBound(ts, ts[1999]!));
    // A read aborted before it lands rejects (its transaction aborted), and reads nothing.
    const ac = new AbortController();
    const aborted = store.read(3, 2, ac.signal);
    ac.abort();
    await expect(aborted).rejects.toThrow();
    const late = new AbortController();
    late.abort();
    await expect(store.read(3, 2, late.signal)).rejects.toThrow();
    // Not aborted: the same read with a signal is the read without one.
    const kept = await store.read(3, 2, new AbortController().signal);
    expect(kept.map((c) => c.line0)).toEqual([300, 400]);
    expect(kept.flatMap((c) => c.lines)).toEqual(lines.slice(300, 500));
    db.close();
  });
});

describe('ChunkWindow under repeated requests', () => {
  it('asked again for a line while jumping there, lets the jump finish (no restart)', async () => {
    const store = memoryChunkStore(lines, ts, 100);
    let lookups = 0;
    const seqOfLine = store.seqOfLine;
    store.seqOfLine = (line) => (lookups++, seqOfLine(line));
    const w = new ChunkWindow(store, N, 4);
    // A replay tick asks every frame; the read takes longer than a frame.
    for (let k = 0; k < 10; k++) expect(w.request(1800)).toBe(false);
    await w.load(1800);
    expect(lookups).toBe(1);
    // The jump's read, then the read-ahead behind it.
    expect(store.reads).toBe(2);
    expect(w.line(1800)).toBe(lines[1800]);
  });
});

describe('ChunkWindow jumps (seek latency)', () => {
  /** A memory store that notes each read's chunk count and each index lookup. */
  function counted() {
    const store = memoryChunkStore(lines, ts, 100);
    const reads: number[] = [];
    let lookups = 0;
    const read = store.read.bind(store);
    const seqOfLine = store.seqOfLine.bind(store);
    const signals: AbortSignal[] = [];
    store.read = (from, count, signal) => (
      reads.push(count),
      signal && signals.push(signal),
      read(from, count)
    );
    store.seqOfLine = (line) => (lookups++, seqOfLine(line));
    return { store, reads, signals, lookups: () => lookups };
  }

  it('aborts the read in flight when it jumps elsewhere, and only that one', async () => {
    const c = counted();
    const w = new ChunkWindow(c.store, N, 4);
    await w.load(100);
    // The read-ahead is in flight now; a far jump overtakes it.
    expect(w.request(100)).toBe(true);
    const inFlight = c.signals[c.signals.length - 1]!;
    expect(inFlight.aborted).toBe(false);
    expect(w.request(2000)).toBe(false);
    expect(inFlight.aborted).toBe(true);
    await w.load(2000);
    expect(w.line(2000)).toBe(lines[2000]);
    // Reads that landed were never aborted afterwards; the window reads on as stored.
    expect((await walk(w, 2000)).texts).toEqual(lines.slice(2000));
    expect(c.signals.filter((s) => s.aborted)).toEqual([inFlight]);
  });

  it('a jump waits for two chunks only; the rest of the read-ahead follows', async () => {
    const c = counted();
    const w = new ChunkWindow(c.store, N, 8);
    await w.load(1234);
    expect(c.reads[0]).toBe(2);
    expect(w.line(1234)).toBe(lines[1234]);
    expect(w.time(1233)).toBe(ts[1233]);
    // Readable on: the window reads ahead as the reader moves, every line as stored.
    expect((await walk(w, 1234)).texts).toEqual(lines.slice(1234));
    // In small requests: a seek never waits behind a long read-ahead landing.
    expect(Math.max(...c.reads)).toBeLessThanOrEqual(3);
    expect(c.reads.length).toBeGreaterThan(3);
  });

  it('jumps back to a chunk it has read without an index lookup', async () => {
    const c = counted();
    const w = new ChunkWindow(c.store, N, 4);
    await walk(w);
    const before = c.lookups();
    for (const line of [1, 777, 100, 2499, 1500]) {
      await w.load(line);
      expect(w.line(line)).toBe(lines[line]);
      expect(w.time(Math.max(0, line - 1))).toBe(ts[Math.max(0, line - 1)]);
    }
    expect(c.lookups()).toBe(before);
  });

  it('a jump back to chunks it kept reads nothing from the store, and every line is as stored', async () => {
    const c = counted();
    const w = new ChunkWindow(c.store, N, 4);
    w.kept.keep = 30;
    expect((await walk(w)).texts).toEqual(lines);
    const reads = c.reads.length;
    for (const line of [1, 777, 100, 2499, 1500, 0, 1200]) {
      // Readable at once: no load to wait for.
      expect(w.request(line)).toBe(true);
      expect(w.line(line)).toBe(lines[line]);
      expect(w.time(Math.max(0, line - 1))).toBe(ts[Math.max(0, line - 1)]);
    }
    // Played on from a kept place: the read-ahead comes from memory too, in order.
    expect((await walk(w, 640)).texts).toEqual(lines.slice(640));
    expect(c.reads.length).toBe(reads);
    expect(w.held).toBeLessThanOrEqual(6);
  });

  it('keeps only the last chunks it dropped: a jump further back reads again', async () => {
    const c = counted();
    const w = new ChunkWindow(c.store, N, 2);
    w.kept.keep = 3;
    expect((await walk(w)).texts).toEqual(lines);
    const reads = c.reads.length;
    // Chunk 0 left the window long ago (more than 3 chunks since): read from the store.
    expect(w.request(50)).toBe(false);
    await w.load(50);
    expect(w.line(50)).toBe(lines[50]);
    expect(c.reads[reads]).toBe(2);
    const after = c.reads.length;
    // The chunks around the end were kept as the jump dropped them.
    expect(w.request(2450)).toBe(true);
    expect(w.line(2450)).toBe(lines[2450]);
    expect(c.reads.length).toBe(after);
  });

  it('drops a read in flight when a jump to kept chunks overtakes it', async () => {
    const c = counted();
    const w = new ChunkWindow(c.store, N, 2);
    w.kept.keep = 10;
    await walk(w, 1800);
    // A far jump starts a read, then a jump back to kept lines overtakes it.
    expect(w.request(300)).toBe(false);
    expect(w.request(2100)).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    // The stale read landed and was dropped: the window is still at 2100.
    expect(w.line(2100)).toBe(lines[2100]);
    expect(w.start).toBeGreaterThan(1000);
    expect((await walk(w, 2100)).texts).toEqual(lines.slice(2100));
  });
});

describe('ChunkWindow with reads in parallel', () => {
  /**
   * A memory store whose reads land in an order the test picks (`land` resolves one pending
   * read), noting how many are in flight at most and which were aborted.
   */
  function manual() {
    const store = memoryChunkStore(lines, ts, 100);
    const read = store.read.bind(store);
    const pending: { resolve: () => void; signal?: AbortSignal; from: number }[] = [];
    let most = 0;
    store.read = (from, count, signal) =>
      new Promise<void>((resolve) => {
        pending.push({ resolve, signal, from });
        most = Math.max(most, pending.filter((p) => !p.signal?.aborted).length);
      }).then(() => read(from, count));
    const land = async (pick: (n: number) => number): Promise<boolean> => {
      // A jump's index lookup first (it resolves at once), then its read is pending.
      for (let k = 0; k < 4; k++) await Promise.resolve();
      if (pending.length === 0) return false;
      const [p] = pending.splice(pick(pending.length), 1);
      p!.resolve();
      for (let k = 0; k < 4; k++) await Promise.resolve();
      return true;
    };
    return { store, land, pending, most: () => most };
  }

  it('every line as stored, in order, whatever order the reads land in; at most `parallel` in flight and read-ahead + 2 held', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2, max: 9 }),
        fc.array(fc.integer({ min: 0, max: N - 1 }), { maxLength: 3 }),
        async (picks, parallel, ahead, jumps) => {
          const m = manual();
          const w = new ChunkWindow(m.store, N, ahead);
          w.parallel = parallel;
          let k = 0;
          const pick = (n: number): number => picks[k++ % picks.length]! % n;
          for (const start of [0, ...jumps]) {
            const upTo = Math.min(N, start + 900);
            for (let i = start; i < upTo; i++) {
              while (!w.request(i)) expect(await m.land(pick)).toBe(true);
              expect(w.line(i)).toBe(lines[i]);
              expect(w.time(Math.max(0, i - 1))).toBe(ts[Math.max(0, i - 1)]);
              expect(w.held).toBeLessThanOrEqual(ahead + 2);
            }
          }
          expect(m.most()).toBeLessThanOrEqual(parallel);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps several reads in flight once reading runs on, one right after a jump, and a jump aborts them all', async () => {
    const m = manual();
    const w = new ChunkWindow(m.store, N, 12);
    w.parallel = 3;
    // Right after the jump to 0: one read at a time (a seek does not wait for a wide landing).
    expect(w.request(0)).toBe(false);
    await m.land(() => 0);
    expect(w.request(0)).toBe(true);
    expect(m.pending.length).toBe(1);
    for (let i = 0; i < 500; i++) while (!w.request(i)) await m.land(() => 0);
    // Several chunks passed: the read-ahead goes three at a time.
    expect(m.pending.length).toBe(3);
    const inFlight = m.pending.map((p) => p.signal!);
    expect(w.request(2000)).toBe(false);
    expect(inFlight.every((s) => s.aborted)).toBe(true);
    while (!w.request(2000)) await m.land((n) => n - 1);
    expect(w.line(2000)).toBe(lines[2000]);
  });
});

describe('ChunkWindow keeps what a seek back wants', () => {
  it('a wide read-ahead leaving on a jump keeps the chunks at the old position, not only the far ones', async () => {
    // 125 chunks of 20 lines; 12 read ahead, 8 kept.
    const w = new ChunkWindow(memoryChunkStore(lines, ts, 20), N, 12);
    w.parallel = 3;
    w.kept.keep = 8;
    for (let i = 300; i < 400; i++) await w.load(i);
    // Let the read-ahead fill (12 chunks past the position).
    for (let k = 0; k < 20; k++) await w.load(399);
    // A seek elsewhere, playing a little there (a seek plays at most a checkpoint spacing).
    for (let i = 1500; i < 1520; i++) await w.load(i);
    for (let k = 0; k < 20; k++) await w.load(1519);
    // Back to where the first visit ended (the chunk of the line before, and the next): readable
    // at once, from memory, though both windows left with their whole read-ahead.
    expect(w.request(399)).toBe(true);
    expect(w.line(399)).toBe(lines[399]);
    expect(w.time(398)).toBe(ts[398]);
  });
});

describe('ChunkWindow with reads in parallel, hostile', () => {
  it('a read failing behind others in flight stops the window with the error and aborts the rest; a jump reads again', async () => {
    const store = memoryChunkStore(lines, ts, 100);
    const read = store.read.bind(store);
    const signals: { from: number; signal: AbortSignal }[] = [];
    let failSeq: number | undefined = 9;
    let failedFrom = -1;
    store.read = async (from, count, signal) => {
      if (signal) signals.push({ from, signal });
      await Promise.resolve();
      if (failSeq !== undefined && from <= failSeq && failSeq < from + count) {
        failedFrom = from;
        throw new Error(`disk gone at chunk ${failSeq}`);
      }
      return read(from, count);
    };
    const w = new ChunkWindow(store, N, 12);
    w.parallel = 3;
    // As a replay worker reads: request, and on false wait for the next load unless it failed.
    let loaded = (): void => {};
    w.onLoad = () => loaded();
    let i = 0;
    for (; i < N; i++) {
      while (!w.request(i) && w.error === undefined) await new Promise<void>((r) => (loaded = r));
      if (!w.has(i)) break;
      expect(w.line(i)).toBe(lines[i]);
    }
    // Every line before the failed read, as stored (reads landing before it are not lost);
    // none after; the error named.
    expect(failedFrom).toBeGreaterThan(5);
    expect(i).toBe(failedFrom * 100);
    expect(String(w.error)).toContain('chunk 9');
    // The reads queued behind the failed one were aborted (their chunks are never taken).
    const behind = signals.filter((s) => s.from > failedFrom);
    expect(behind.length).toBeGreaterThan(0);
    expect(behind.every((s) => s.signal.aborted)).toBe(true);
    // The store is back: a jump elsewhere reads on, every line as stored.
    failSeq = undefined;
    await w.load(1500);
    for (let j = 1500; j < N; j++) {
      while (!w.request(j)) await w.load(j);
      expect(w.line(j)).toBe(lines[j]);
    }
  });

  it('follows a recording that grows: reads past the stored end stop, then read on after grow', async () => {
    const store = memoryChunkStore(lines, ts, 100);
    const read = store.read.bind(store);
    let stored = 12; // chunks stored so far
    store.read = (from, count) => read(from, Math.max(0, Math.min(count, stored - from)));
    const w = new ChunkWindow(store, 1200, 12);
    w.parallel = 4;
    for (let j = 0; j < 1200; j++) {
      while (!w.request(j)) await w.load(j);
      expect(w.line(j)).toBe(lines[j]);
    }
    stored = 25;
    w.grow(N);
    for (let j = 1200; j < N; j++) {
      while (!w.request(j)) await w.load(j);
      expect(w.line(j)).toBe(lines[j]);
    }
  });
});
