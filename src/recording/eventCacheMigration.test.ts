// The database migrations of the decoded-events cache: v4 → v6 adds its stores; v5 → v6 clears
// the v5 cache (one record per chunk with every route: derived data) and keeps everything else —
// recordings, their chunks, settings — byte for byte.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DB_VERSION, openStudioDb } from '../storage/db.ts';
import { getEventsMeta } from '../storage/recordingEvents.ts';
import { mixedRecordingLines } from '../testing/storage/mixedRecording.ts';
import { storeRecording } from '../testing/storage/storedRecording.ts';
import { DECODER_VERSION, indexRecordingEvents } from './eventCache.ts';
import { getRecording, readChunks } from './recordingLibrary.ts';

/** A database as version `v` (4 or 5) of the studio made it. */
async function openOld(name: string, v: 4 | 5): Promise<IDBDatabase> {
  const open = indexedDB.open(name, v);
  open.onupgradeneeded = () => {
    const db = open.result;
    db.createObjectStore('pipelines', { keyPath: 'id' }).createIndex('updatedAt', 'updatedAt');
    db.createObjectStore('meta');
    db.createObjectStore('recordings', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
    const chunks = db.createObjectStore('recordingChunks', { keyPath: ['recordingId', 'seq'] });
    chunks.createIndex('line', ['recordingId', 'line0']);
    chunks.createIndex('time', ['recordingId', 'ts0']);
    db.createObjectStore('recordingOutputs', { keyPath: ['recordingId', 'seq'] });
    db.createObjectStore('userDefinitions', { keyPath: 'name' });
    if (v === 5) {
      db.createObjectStore('recordingEvents', { keyPath: ['recordingId', 'version', 'seq'] });
      db.createObjectStore('recordingEventsMeta', { keyPath: ['recordingId', 'version'] });
    }
  };
  return new Promise<IDBDatabase>((res, rej) => {
    open.onsuccess = () => res(open.result);
    open.onerror = () => rej(open.error);
  });
}

function put(db: IDBDatabase, store: string, value: unknown, key?: IDBValidKey): Promise<unknown> {
  const req = db.transaction(store, 'readwrite').objectStore(store).put(value, key);
  return new Promise((res, rej) => {
    req.onsuccess = res;
    req.onerror = () => rej(req.error);
  });
}

describe('decoded-events cache migrations', () => {
  it('v4 → v6 adds the cache stores and keeps what was stored', async () => {
    const name = `event-cache-v4-${Math.random()}`;
    const raw = await openOld(name, 4);
    await put(raw, 'meta', 'kept', 'k');
    raw.close();
    const db = await openStudioDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect(DB_VERSION).toBe(6);
    expect(await db.get('meta', 'k')).toBe('kept');
    expect([...db.objectStoreNames]).toEqual(
      expect.arrayContaining([
        'recordingEvents',
        'recordingEventsMeta',
        'recordingRouteEvents',
        'recordingEventStates',
        'userDefinitions',
      ]),
    );
    await storeRecording(db, 'm', mixedRecordingLines(200), 100);
    expect(await indexRecordingEvents(db, 'm')).toMatchObject({ done: true });
  });

  it('v5 → v6 clears the v5 cache, keeps the recordings whole, and the cache is rebuilt', async () => {
    const name = `event-cache-v5-${Math.random()}`;
    // A v5 database with a recording and its (v5-shaped) cache, made here as v5 wrote them.
    const lines = mixedRecordingLines(300);
    const v6 = await openStudioDb(`event-cache-v5-src-${Math.random()}`);
    const chunks = await storeRecording(v6, 'r', lines, 100);
    const rec = (await getRecording(v6, 'r'))!;
    const stored = await v6.getAll('recordingChunks');
    v6.close();
    const raw = await openOld(name, 5);
    await put(raw, 'recordings', rec);
    for (const c of stored) await put(raw, 'recordingChunks', c);
    await put(raw, 'meta', 'kept', 'k');
    const v5Entry = { recordingId: 'r', version: DECODER_VERSION, seq: 0, line0: 0, packed: {} };
    await put(raw, 'recordingEvents', v5Entry);
    const meta = { recordingId: 'r', version: DECODER_VERSION, chunks, lines: lines.length };
    await put(raw, 'recordingEventsMeta', meta);
    raw.close();

    const db = await openStudioDb(name);
    expect(db.version).toBe(6);
    expect(await db.get('meta', 'k')).toBe('kept');
    expect(await getRecording(db, 'r')).toEqual(rec);
    const read: string[] = [];
    for await (const c of readChunks(db, 'r')) read.push(...c.lines);
    expect(read).toEqual(lines);
    // The v5 cache is gone: no meta, so replays read frames until the v6 cache is built.
    expect(await getEventsMeta(db, 'r', DECODER_VERSION)).toBeUndefined();
    expect(await db.count('recordingEvents')).toBe(0);
    expect(await indexRecordingEvents(db, 'r')).toEqual({ done: true, chunks, fresh: true });
    expect(await db.count('recordingEvents')).toBe(chunks);
    expect(await db.count('recordingRouteEvents')).toBeGreaterThanOrEqual(chunks);
  });
});
