// The database migrations of the decoded-events cache: v4 → v7 adds its stores; v5 → v7 clears
// the v5 cache (one record per chunk with every route: derived data), and v6 → v7 the v6 cache
// (one record per chunk and route, replaced by route groups), each keeping everything else —
// recordings, their chunks, settings — byte for byte.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DB_VERSION, openStudioDb } from '../storage/db.ts';
import { getEventsMeta, ROUTE_GROUP_CHUNKS, routeGroupOf } from '../storage/recordingEvents.ts';
import { mixedRecordingLines } from '../testing/storage/mixedRecording.ts';
import { storeRecording } from '../testing/storage/storedRecording.ts';
import { DECODER_VERSION, indexRecordingEvents } from './eventCache.ts';
import { getRecording, readChunks } from './recordingLibrary.ts';

/** A database as version `v` (4, 5 or 6) of the studio made it. */
async function openOld(name: string, v: 4 | 5 | 6): Promise<IDBDatabase> {
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
    if (v >= 5) {
      db.createObjectStore('recordingEvents', { keyPath: ['recordingId', 'version', 'seq'] });
      db.createObjectStore('recordingEventsMeta', { keyPath: ['recordingId', 'version'] });
    }
    if (v === 6) {
      const route = ['recordingId', 'version', 'route', 'seq'];
      db.createObjectStore('recordingRouteEvents', { keyPath: route });
      db.createObjectStore('recordingEventStates', { keyPath: ['recordingId', 'version', 'seq'] });
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
  it('v4 → v7 adds the cache stores and keeps what was stored', async () => {
    const name = `event-cache-v4-${Math.random()}`;
    const raw = await openOld(name, 4);
    await put(raw, 'meta', 'kept', 'k');
    raw.close();
    const db = await openStudioDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect(DB_VERSION).toBe(7);
    expect(await db.get('meta', 'k')).toBe('kept');
    expect([...db.objectStoreNames]).toEqual(
      expect.arrayContaining([
        'recordingEvents',
        'recordingEventsMeta',
        'recordingRouteGroups',
        'recordingEventStates',
        'userDefinitions',
      ]),
    );
    expect([...db.objectStoreNames]).not.toContain('recordingRouteEvents');
    await storeRecording(db, 'm', mixedRecordingLines(200), 100);
    expect(await indexRecordingEvents(db, 'm')).toMatchObject({ done: true });
  });

  it.each([5, 6] as const)(
    'v%i → v7 clears that cache, keeps the recordings whole, and the cache is rebuilt',
    async (v) => {
      const name = `event-cache-v${v}-${Math.random()}`;
      // An old database with a recording and its cache, made here as that version wrote them.
      const lines = mixedRecordingLines(300);
      const src = await openStudioDb(`event-cache-v${v}-src-${Math.random()}`);
      const chunks = await storeRecording(src, 'r', lines, 100);
      const rec = (await getRecording(src, 'r'))!;
      const stored = await src.getAll('recordingChunks');
      src.close();
      const raw = await openOld(name, v);
      await put(raw, 'recordings', rec);
      for (const c of stored) await put(raw, 'recordingChunks', c);
      await put(raw, 'meta', 'kept', 'k');
      const entry = { recordingId: 'r', version: DECODER_VERSION, seq: 0, line0: 0, packed: {} };
      await put(raw, 'recordingEvents', entry);
      const meta = { recordingId: 'r', version: DECODER_VERSION, chunks, lines: lines.length };
      await put(raw, 'recordingEventsMeta', meta);
      if (v === 6) {
        const route = {
          recordingId: 'r',
          version: DECODER_VERSION,
          route: 'SIM|l2_book|X',
          seq: 0,
        };
        await put(raw, 'recordingRouteEvents', { ...route, packed: {} });
        await put(raw, 'recordingEventStates', { ...entry, state: {} });
      }
      raw.close();

      const db = await openStudioDb(name);
      expect(db.version).toBe(7);
      expect(await db.get('meta', 'k')).toBe('kept');
      expect(await getRecording(db, 'r')).toEqual(rec);
      const read: string[] = [];
      for await (const c of readChunks(db, 'r')) read.push(...c.lines);
      expect(read).toEqual(lines);
      // The old cache is gone: no meta, so replays read frames until the v7 cache is built.
      expect(await getEventsMeta(db, 'r', DECODER_VERSION)).toBeUndefined();
      expect(await db.count('recordingEvents')).toBe(0);
      expect(await db.count('recordingEventStates')).toBe(0);
      expect([...db.objectStoreNames]).not.toContain('recordingRouteEvents');
      expect(await indexRecordingEvents(db, 'r')).toEqual({ done: true, chunks, fresh: true });
      expect(await db.count('recordingEvents')).toBe(chunks);
      // One record per route and group of chunks.
      const groups = await db.getAll('recordingRouteGroups');
      expect(groups.length).toBeGreaterThan(0);
      for (const g of groups) {
        expect(g.seq % ROUTE_GROUP_CHUNKS).toBe(0);
        for (const e of g.entries) expect(routeGroupOf(e.seq)).toBe(g.seq);
      }
      expect(groups.reduce((n, g) => n + g.entries.length, 0)).toBeGreaterThanOrEqual(chunks);
    },
  );
});
