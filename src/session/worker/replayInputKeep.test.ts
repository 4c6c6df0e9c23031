// A replay worker keeps the chunks it read in memory, up to its share of the replay's budget
// (`keepBytes`, default KEEP_BYTES): a recording that fits is read from IndexedDB once, and a
// later play (a loop, a replay after a pause at the end) reads nothing and plays the same events.
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
/** About 3,400 lines: 34 chunks of 100, more than the 24 kept without the memory. */
const LINES = mixedRecordingLines(3000);

/** Every event of a play from line 0 (as a worker's reset to 0 does: a fresh decoder). */
function play(input: ReplayInput): Promise<string[]> {
  input.restore(undefined);
  return playInput(input);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('replayInput keeps what it read', () => {
  for (const cache of [true, false])
    it(`a later play reads nothing from IndexedDB, the same events (${cache ? 'cache' : 'frames'}); without the memory it reads again`, async () => {
      const dbName = `replay-keep-${cache}-${Math.random()}`;
      const db = await openStudioDb(dbName);
      const chunks = await storeRecording(db, 'r', LINES, 100);
      if (cache) expect(await indexRecordingEvents(db, 'r')).toMatchObject({ done: true });
      const o = { kind: 'idb', recordingId: 'r', total: LINES.length, chunks, dbName, cache };
      const kept = replayInput(sources(), o, { rank: 0, of: 2 });
      const none = replayInput(sources(), { ...o, keepBytes: 0 }, { rank: 0, of: 2 });
      const first = await play(kept);
      expect(first.length).toBeGreaterThan(1000);
      expect(await play(none)).toEqual(first);
      const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
      const get = vi.spyOn(IDBObjectStore.prototype, 'get');
      expect(await play(kept)).toEqual(first);
      expect(getAll).not.toHaveBeenCalled();
      expect(get).not.toHaveBeenCalled();
      // Without the memory only its last 24 chunks are kept: the start is read again.
      expect(await play(none)).toEqual(first);
      expect(getAll).toHaveBeenCalled();
      db.close();
    });

  it('a budget smaller than the recording reads again what left memory', async () => {
    const dbName = `replay-keep-small-${Math.random()}`;
    const db = await openStudioDb(dbName);
    const lines = mixedRecordingLines(6000);
    const chunks = await storeRecording(db, 'r', lines, 100);
    // The frames of ~10 chunks for each of 2 workers; KEEP_CHUNKS (24) of ~68 stay regardless.
    const o = { kind: 'idb', recordingId: 'r', total: lines.length, chunks, dbName, cache: false };
    const input = replayInput(
      sources(),
      { ...o, keepBytes: 2 * 10 * 100 * 200 },
      { rank: 0, of: 2 },
    );
    const first = await play(input);
    const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
    expect(await play(input)).toEqual(first);
    expect(getAll).toHaveBeenCalled();
    db.close();
  });
});
