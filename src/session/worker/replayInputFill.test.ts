// A replay worker's reading fills its read-ahead in the background (`ChunkWindow.fill`, on by
// default): a replay opened or sought holds its first chunks before it plays, from the
// decoded-events cache or frames, and plays the same events either way.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createFeature } from '../../core/feature/createFeature.ts';
import type { ReplayInput } from '../../runtime/replayTypes.ts';
import { indexRecordingEvents } from '../../recording/eventCache.ts';
import { openStudioDb } from '../../storage/db.ts';
import { mixedRecordingLines } from '../../testing/storage/mixedRecording.ts';
import { storeRecording } from '../../testing/storage/storedRecording.ts';
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

async function play(input: ReplayInput, from: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = from; i < input.total; i++) {
    await new Promise<void>((res, rej) => {
      input.onLoad = () => (input.error ? rej(input.error as Error) : res());
      if (input.request(i)) res();
      else if (input.error) rej(input.error as Error);
    });
    input.push(i, (s, e) => out.push(JSON.stringify([i, s, e])));
  }
  return out;
}

describe('replayInput fill', () => {
  it('reads the cache in bigger requests unless a read-ahead is asked for', async () => {
    const dbName = `replay-fill-step-${Math.random()}`;
    const db = await openStudioDb(dbName);
    const chunks = await storeRecording(db, 'r', LINES, CHUNK);
    await indexRecordingEvents(db, 'r');
    const o = { kind: 'idb', recordingId: 'r', total: LINES.length, chunks, dbName } as const;
    const asked = replayInput(sources(), { ...o, readAhead: { chunks: 8, parallel: 1, step: 3 } });
    expect(asked.request(0)).toBe(false);
    // Chunks 0, 1, then 2–4 and 5–7.
    expect(await settle(asked)).toBe(800);
    const plain = replayInput(sources(), o);
    expect(plain.request(0)).toBe(false);
    // Chunks 0, 1, then 2–9.
    expect(await settle(plain)).toBe(1000);
    db.close();
  });

  for (const cache of [true, false])
    it(`reads ahead once asked for a line, before it plays (${cache ? 'cache' : 'frames'}); the same events as without`, async () => {
      const dbName = `replay-fill-${cache}-${Math.random()}`;
      const db = await openStudioDb(dbName);
      const chunks = await storeRecording(db, 'r', LINES, CHUNK);
      if (cache) expect(await indexRecordingEvents(db, 'r')).toMatchObject({ done: true });
      const open = (fill?: boolean) =>
        replayInput(sources(), {
          kind: 'idb',
          recordingId: 'r',
          total: LINES.length,
          chunks,
          dbName,
          cache,
          ...(fill === undefined ? {} : { readAhead: { chunks: 8, parallel: 1, fill } }),
        });
      // A seek to line 1200 (a worker's reset asks for it once): chunks 11 and 12, then the fill.
      const filled = open();
      expect(filled.request(1200)).toBe(false);
      // Then the read-ahead past line 1200 (chunk 12 holds it): from the cache two requests of 8
      // chunks (13–28; 16 ahead, 8 a request), from frames two of 3 (13–18; 8 ahead, 3 a request).
      expect(await settle(filled)).toBe(cache ? 2900 : 1900);
      const off = open(false);
      expect(off.request(1200)).toBe(false);
      expect(await settle(off)).toBe(1300);
      // Played from there: the same events, filled or not.
      const a = await play(filled, 1200);
      expect(a.length).toBeGreaterThan(0);
      expect(a).toEqual(await play(off, 1200));
      db.close();
    });
});
