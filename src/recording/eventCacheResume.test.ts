// The decoded-events indexing held by its gate (a replay reading) and resumed where it stopped,
// in the same worker (the gate opens again) or in a later one (its worker was terminated).
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openStudioDb, type StudioDatabase } from '../storage/db.ts';
import { getEventsEntries, getEventsMeta } from '../storage/recordingEvents.ts';
import { mixedRecordingLines } from '../testing/storage/mixedRecording.ts';
import { storeRecording } from '../testing/storage/storedRecording.ts';
import { DECODER_VERSION, indexRecordingEvents } from './eventCache.ts';

let n = 0;
const fresh = () => openStudioDb(`event-cache-resume-${++n}-${Math.random()}`);
const CHUNK = 100;
const lines = mixedRecordingLines(1700);

/** Recording `r` of {@link lines} in a fresh database, and its chunk count. */
async function stored(): Promise<{ db: StudioDatabase; chunks: number }> {
  const db = await fresh();
  return { db, chunks: await storeRecording(db, 'r', lines, CHUNK) };
}

/** Every entry of `r`, by seq, as sorted pairs (compared whole: routes, packed, state, next). */
async function entriesOf(db: StudioDatabase, chunks: number) {
  return [...(await getEventsEntries(db, 'r', DECODER_VERSION, 0, chunks))].sort(
    ([a], [b]) => a - b,
  );
}

async function reference() {
  const { db, chunks } = await stored();
  expect(await indexRecordingEvents(db, 'r')).toMatchObject({ done: true });
  return entriesOf(db, chunks);
}

/** Make the frames of chunks `[0, to)` undecodable: an indexing reading them fails. */
async function garble(db: StudioDatabase, to: number) {
  for (let seq = 0; seq < to; seq++) {
    const c = (await db.get('recordingChunks', ['r', seq]))!;
    await db.put('recordingChunks', { ...c, lines: c.lines.map(() => '{"broken') });
  }
}

describe('indexing held and resumed', { timeout: 60_000 }, () => {
  it('holds before the next chunk while its gate is shut, then finishes the same cache', async () => {
    const want = await reference();
    const { db, chunks } = await stored();
    let calls = 0;
    let open!: () => void;
    const opened = new Promise<void>((r) => (open = r));
    const run = indexRecordingEvents(db, 'r', {
      // Shut from the 12th chunk on (past one write of 8 chunks).
      gate: () => (++calls < 12 ? Promise.resolve() : opened),
    });
    for (let i = 0; i < 200 && calls < 12; i++) await new Promise((r) => setTimeout(r, 1));
    expect(calls).toBe(12);
    // Held: let it run (it would finish in far fewer turns) and see it did not go on.
    for (let i = 0; i < 50; i++) await new Promise((r) => setTimeout(r, 1));
    expect(calls).toBe(12);
    expect(await getEventsMeta(db, 'r', DECODER_VERSION)).toBeUndefined();
    expect((await entriesOf(db, chunks)).length).toBeLessThan(12);
    open();
    expect(await run).toEqual({ done: true, chunks, fresh: true });
    expect(calls).toBe(chunks);
    expect(await entriesOf(db, chunks)).toEqual(want);
  });

  it('goes on after the entries a stopped indexing left, decoding none of their chunks again', async () => {
    const want = await reference();
    for (const left of [1, 8, 9, 16]) {
      const { db, chunks } = await stored();
      await indexRecordingEvents(db, 'r');
      // What a worker terminated after writing `left` chunks leaves: those entries, no meta.
      await db.delete('recordingEventsMeta', ['r', DECODER_VERSION]);
      for (let seq = left; seq < chunks; seq++)
        await db.delete('recordingEvents', ['r', DECODER_VERSION, seq]);
      // Decoding any of the chunks it has would fail: a pass proves they were not read.
      await garble(db, left);
      let decoded = 0;
      const r = await indexRecordingEvents(db, 'r', { gate: async () => void decoded++ });
      expect(r, `left ${left}`).toEqual({ done: true, chunks, fresh: true });
      expect(decoded).toBe(chunks - left);
      expect(await entriesOf(db, chunks)).toEqual(want);
    }
  });

  it('starts over when the run it left is broken (its last entry unreadable, or a gap at 0)', async () => {
    const want = await reference();
    const { db, chunks } = await stored();
    await indexRecordingEvents(db, 'r');
    await db.delete('recordingEventsMeta', ['r', DECODER_VERSION]);
    for (let seq = 6; seq < chunks; seq++)
      await db.delete('recordingEvents', ['r', DECODER_VERSION, seq]);
    const last = (await db.get('recordingEvents', ['r', DECODER_VERSION, 5]))!;
    await db.put('recordingEvents', { ...last, ts: [] as never });
    let decoded = 0;
    expect(await indexRecordingEvents(db, 'r', { gate: async () => void decoded++ })).toMatchObject(
      { done: true },
    );
    expect(decoded).toBe(chunks);
    expect(await entriesOf(db, chunks)).toEqual(want);
    // The last entry sound but the state after it gone: nothing to restore the decoder from.
    const lost = await stored();
    await indexRecordingEvents(lost.db, 'r');
    await lost.db.delete('recordingEventsMeta', ['r', DECODER_VERSION]);
    for (let seq = 6; seq < lost.chunks; seq++)
      await lost.db.delete('recordingEvents', ['r', DECODER_VERSION, seq]);
    await lost.db.delete('recordingEventStates', ['r', DECODER_VERSION, 5]);
    decoded = 0;
    await indexRecordingEvents(lost.db, 'r', { gate: async () => void decoded++ });
    expect(decoded).toBe(lost.chunks);
    expect(await entriesOf(lost.db, lost.chunks)).toEqual(want);
    // Entries from chunk 1 on, none for chunk 0: nothing to resume from.
    const other = await stored();
    await indexRecordingEvents(other.db, 'r');
    await other.db.delete('recordingEventsMeta', ['r', DECODER_VERSION]);
    await other.db.delete('recordingEvents', ['r', DECODER_VERSION, 0]);
    decoded = 0;
    await indexRecordingEvents(other.db, 'r', { gate: async () => void decoded++ });
    expect(decoded).toBe(other.chunks);
    expect(await entriesOf(other.db, other.chunks)).toEqual(want);
  });

  it('a write that fails (storage full) stops it with the reason and leaves no entries', async () => {
    const { db, chunks } = await stored();
    let writes = 0;
    // The database as the indexing sees it: its last cache write (17 chunks: 8, 8, then 1, after
    // the loop) fails, as on a full disk.
    const full = new Proxy(db, {
      get(target, key) {
        if (key !== 'transaction') return Reflect.get(target, key, target) as unknown;
        return (stores: string[], mode?: IDBTransactionMode) => {
          if (mode === 'readwrite' && stores.includes('recordingRouteGroups') && ++writes === 3)
            throw new DOMException('the disk is full', 'QuotaExceededError');
          return target.transaction(stores as never, mode);
        };
      },
    });
    const got = await indexRecordingEvents(full, 'r');
    expect(got).toEqual({
      done: false,
      reason: 'the disk is full',
    });
    // Then the cleanup's transaction.
    expect(writes).toBe(4);
    expect(await getEventsMeta(db, 'r', DECODER_VERSION)).toBeUndefined();
    expect((await entriesOf(db, chunks)).length).toBe(0);
  });
});
