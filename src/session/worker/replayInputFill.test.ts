// A replay worker's reading can fill its read-ahead in the background (`readAhead.fill`, off by
// default): a replay opened or sought then holds its first chunks before it plays, from the
// decoded-events cache or frames, and plays the same events either way. And the cache's default
// request size, and that a read-ahead reaches IndexedDB in the reader's own task.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFeature } from '../../core/feature/createFeature.ts';
import type { ReplayInput } from '../../runtime/replayTypes.ts';
import { indexRecordingEvents } from '../../recording/eventCache.ts';
import { openStudioDb } from '../../storage/db.ts';
import { mixedRecordingLines } from '../../testing/storage/mixedRecording.ts';
import { storeRecording } from '../../testing/storage/storedRecording.ts';
import { playInput } from '../../testing/session/playInput.ts';
import { replayInput } from './replayInput.ts';

const SIM = { exchange: 'SIM', symbol: 'BTC-USDT' };
const CB = { exchange: 'COINBASE', symbol: 'BTC-USD' };
const sources = () => [
  createFeature('trades', SIM),
  createFeature('l2_book', SIM),
  createFeature('l2_book', CB),
];
const CHUNK = 100;
/** About 3,400 lines (a venue line every 7, and a blank one). */
const LINES = mixedRecordingLines(3000);

/** Let the reads in flight land, and the reads they start (fake IndexedDB answers in tasks). */
async function settle(input: ReplayInput): Promise<number> {
  let end = -1;
  for (let k = 0; k < 200 && end !== input.end; k++) {
    end = input.end;
    for (let j = 0; j < 10; j++) await new Promise((r) => setTimeout(r, 0));
  }
  return input.end;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('replayInput fill', () => {
  for (const cache of [true, false])
    it(`a read-ahead asks IndexedDB at once, in the reader's task (${cache ? 'cache' : 'frames'})`, async () => {
      // A worker reads for up to 20 ms a slice: a request left for the microtask queue would
      // reach IndexedDB only once the reader had caught up with it, and it would wait it out.
      const dbName = `replay-fill-now-${cache}-${Math.random()}`;
      const db = await openStudioDb(dbName);
      const chunks = await storeRecording(db, 'r', LINES, CHUNK);
      if (cache) await indexRecordingEvents(db, 'r');
      const input = replayInput(sources(), {
        ...{ kind: 'idb', recordingId: 'r', total: LINES.length, chunks, dbName, cache },
        readAhead: { chunks: 8, parallel: 1, step: 3 },
      });
      expect(input.request(0)).toBe(false);
      await settle(input);
      const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
      // Line 1 is held (chunks 0 and 1): asking for it starts the read of chunks 2–4.
      expect(input.request(1)).toBe(true);
      expect(getAll).toHaveBeenCalled();
      expect(await settle(input)).toBe(500);
      db.close();
    });

  it('reads the cache in bigger requests unless a read-ahead is asked for', async () => {
    const dbName = `replay-fill-step-${Math.random()}`;
    const db = await openStudioDb(dbName);
    const chunks = await storeRecording(db, 'r', LINES, CHUNK);
    await indexRecordingEvents(db, 'r');
    const o = { kind: 'idb', recordingId: 'r', total: LINES.length, chunks, dbName } as const;
    const asked = replayInput(sources(), { ...o, readAhead: { chunks: 8, parallel: 1, step: 3 } });
    // A jump to line 0 reads chunks 0 and 1; the reader at line 1 starts one read-ahead request.
    expect(asked.request(0)).toBe(false);
    await settle(asked);
    expect(asked.request(1)).toBe(true);
    // Chunks 2–4 (3 a request).
    expect(await settle(asked)).toBe(500);
    const plain = replayInput(sources(), o);
    expect(plain.request(0)).toBe(false);
    await settle(plain);
    expect(plain.request(1)).toBe(true);
    // Chunks 2–9 (8 a request).
    expect(await settle(plain)).toBe(1000);
    db.close();
  });

  for (const cache of [true, false])
    it(`filled, reads ahead once asked for a line, before it plays (${cache ? 'cache' : 'frames'}); the same events as without`, async () => {
      const dbName = `replay-fill-${cache}-${Math.random()}`;
      const db = await openStudioDb(dbName);
      const chunks = await storeRecording(db, 'r', LINES, CHUNK);
      if (cache) expect(await indexRecordingEvents(db, 'r')).toMatchObject({ done: true });
      const open = (fill: boolean) =>
        replayInput(sources(), {
          kind: 'idb',
          recordingId: 'r',
          total: LINES.length,
          chunks,
          dbName,
          cache,
          readAhead: { chunks: 8, parallel: 1, fill },
        });
      // A seek to line 1200 (a worker's reset asks for it once): chunks 11 and 12, then the fill.
      const filled = open(true);
      expect(filled.request(1200)).toBe(false);
      // Then the read-ahead past line 1200 (chunk 12 holds it), 8 ahead in requests of 3: 13–18.
      expect(await settle(filled)).toBe(1900);
      const off = open(false);
      expect(off.request(1200)).toBe(false);
      expect(await settle(off)).toBe(1300);
      // Played from there: the same events, filled or not.
      const a = await playInput(filled, 1200);
      expect(a.length).toBeGreaterThan(0);
      expect(a).toEqual(await playInput(off, 1200));
      db.close();
    });
});
