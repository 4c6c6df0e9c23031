import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { eventCount, eventLine, eventSource, unpackEvent } from '../runtime/ReplayEventPack.ts';
import { openStudioDb } from '../storage/db.ts';
import { getEventsEntries, getEventsMeta, putEventsMeta } from '../storage/recordingEvents.ts';
import { mixedRecordingLines } from '../testing/storage/mixedRecording.ts';
import { storeRecording } from '../testing/storage/storedRecording.ts';
import { DECODER_VERSION, indexRecordingEvents } from './eventCache.ts';
import { RecordingDecoder } from './RecordingDecoder.ts';
import { deleteRecording } from './recordingLibrary.ts';

let n = 0;
const fresh = () => openStudioDb(`event-cache-${++n}-${Math.random()}`);

/** FNV-1a over a string (the pin's digest). */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}

describe('decoded-events cache (store, indexing)', () => {
  it('DECODER_VERSION is pinned to what the decoder makes of the fixtures: a change needs a bump', () => {
    // Changing an adapter or the decoder changes this digest: bump DECODER_VERSION (old caches
    // are then unused) and put the new pair here. Never update the digest alone.
    const lines = mixedRecordingLines(1500, 3);
    const d = new RecordingDecoder();
    const out = lines.map((l, i) => JSON.stringify(d.push(l, i + 1)));
    expect({ version: DECODER_VERSION, digest: fnv(out.join('\n')) }).toEqual({
      version: 1,
      digest: 'c45cb7ef',
    });
  });

  it('indexes a closed recording: each chunk’s entry holds exactly the events its lines decode to', async () => {
    const db = await fresh();
    const lines = mixedRecordingLines(900);
    const chunks = await storeRecording(db, 'r', lines, 100);
    expect(await indexRecordingEvents(db, 'r')).toEqual({ done: true, chunks, fresh: true });
    expect(await getEventsMeta(db, 'r', DECODER_VERSION)).toMatchObject({
      chunks,
      lines: lines.length,
    });
    const entries = await getEventsEntries(db, 'r', DECODER_VERSION, 0, chunks);
    expect(entries.size).toBe(chunks);
    const d = new RecordingDecoder();
    let events = 0;
    for (let seq = 0; seq < chunks; seq++) {
      const { entry: e, routes, state } = entries.get(seq)!;
      const want: string[] = [];
      for (let i = e.line0; i < e.line0 + 100 && i < lines.length; i++)
        for (const m of d.push(lines[i]!, i + 1))
          want.push(JSON.stringify([i, `${m.exchange}|${m.channel}|${m.symbol}`, m.event]));
      // Each route's events, in the decoder's order across routes (their ordinals).
      const got: [number, string][] = [];
      expect(routes.map((r) => r.route).sort()).toEqual([...e.routes].sort());
      for (const r of routes) {
        const p = r.packed as Parameters<typeof eventCount>[0];
        expect(r.packed.ts.length).toBe(0);
        for (let k = 0; k < eventCount(p); k++)
          got.push([
            eventSource(p, k),
            JSON.stringify([eventLine(p, k), r.route, unpackEvent(p, k)]),
          ]);
      }
      got.sort(([a], [b]) => a - b);
      expect(
        got.map(([o]) => o),
        `chunk ${seq} ordinals`,
      ).toEqual(want.map((_, k) => k));
      expect(
        got.map(([, x]) => x),
        `chunk ${seq}`,
      ).toEqual(want);
      expect(e.events).toBe(want.length);
      expect(Array.from(e.ts)).toEqual(
        lines.slice(e.line0, e.line0 + 100).map((_, k) => 1.7e9 + e.line0 + k),
      );
      expect(state.state).toEqual(d.snapshot());
      events += got.length;
    }
    expect(events).toBeGreaterThan(lines.length * 0.9);
    // Indexed already: nothing is rewritten.
    expect(await indexRecordingEvents(db, 'r')).toEqual({ done: true, chunks, fresh: false });
  });

  it('a bad line, or a recording still being written, leaves no meta (replays read frames)', async () => {
    const db = await fresh();
    const lines = mixedRecordingLines(300);
    lines[250] = '{"receipt_timestamp": 5';
    await storeRecording(db, 'bad', lines, 100);
    expect(await indexRecordingEvents(db, 'bad')).toMatchObject({
      done: false,
      reason: /line 251/,
    });
    expect(await getEventsMeta(db, 'bad', DECODER_VERSION)).toBeUndefined();
    // Entries written before the bad line (chunks are written 8 at a time) are dropped too.
    const long = mixedRecordingLines(1400);
    long[1300] = '{"broken';
    await storeRecording(db, 'late', long, 100);
    expect(await indexRecordingEvents(db, 'late')).toMatchObject({
      done: false,
      reason: /line 1301/,
    });
    expect((await getEventsEntries(db, 'late', DECODER_VERSION, 0, 100)).size).toBe(0);
    // A recording deleted before the meta is written gets none.
    await storeRecording(db, 'gone', mixedRecordingLines(300), 100);
    await db.delete('recordings', 'gone');
    expect(
      await putEventsMeta(db, {
        recordingId: 'gone',
        version: DECODER_VERSION,
        chunks: 3,
        lines: 300,
      }),
    ).toBe(false);
    expect(await getEventsMeta(db, 'gone', DECODER_VERSION)).toBeUndefined();
    await storeRecording(db, 'live', mixedRecordingLines(300), 100, 'recording');
    expect(await indexRecordingEvents(db, 'live')).toMatchObject({
      done: false,
      reason: /recording/,
    });
    expect(await getEventsMeta(db, 'live', DECODER_VERSION)).toBeUndefined();
  });

  it('deleting a recording deletes its cache, and only its own', async () => {
    const db = await fresh();
    await storeRecording(db, 'a', mixedRecordingLines(300), 100);
    const chunks = await storeRecording(db, 'a2', mixedRecordingLines(300), 100);
    await indexRecordingEvents(db, 'a');
    await indexRecordingEvents(db, 'a2');
    await deleteRecording(db, 'a');
    expect(await getEventsMeta(db, 'a', DECODER_VERSION)).toBeUndefined();
    expect((await getEventsEntries(db, 'a', DECODER_VERSION, 0, 10)).size).toBe(0);
    expect(await getEventsMeta(db, 'a2', DECODER_VERSION)).toBeDefined();
    expect((await getEventsEntries(db, 'a2', DECODER_VERSION, 0, 10)).size).toBe(chunks);
  });
});
