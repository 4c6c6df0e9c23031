// The decoded-events cache in a replay worker's reading (replayInput over IndexedDB): reading the
// cache gives byte for byte what decoding the frames gives — every event, after any checkpoint
// restored — and a stale, missing or corrupt cache falls back to frames with nothing lost.
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFeature } from '../../core/feature/createFeature.ts';
import type { Feature } from '../../core/feature/Feature.ts';
import type { ReplayInput } from '../../runtime/replayTypes.ts';
import { type CachedChunk, cachedChunkStore } from '../../recording/cachedChunkStore.ts';
import { DECODER_VERSION, indexRecordingEvents } from '../../recording/eventCache.ts';
import { RecordingDecoder } from '../../recording/RecordingDecoder.ts';
import { openStudioDb, type StudioDatabase } from '../../storage/db.ts';
import { putEventsMeta, routeGroupOf } from '../../storage/recordingEvents.ts';
import type { RecordingRouteEventsEntry } from '../../storage/recordingTypes.ts';
import { mixedRecordingLines } from '../../testing/storage/mixedRecording.ts';
import { storeRecording } from '../../testing/storage/storedRecording.ts';
import { featureRouteKey } from '../../sources/DataSourceEventEmitter.ts';
import { replayInput } from './replayInput.ts';

const SIM = { exchange: 'SIM', symbol: 'BTC-USDT' };
const CB = { exchange: 'COINBASE', symbol: 'BTC-USD' };
/** Sources of every kind the recording feeds (two on one route), as one worker holds them. */
const sources = (): Feature[] => [
  createFeature('trades', SIM),
  createFeature('l2_book', SIM),
  createFeature('ticker', SIM),
  createFeature('l2_book', CB),
  createFeature('ticker', CB),
  createFeature('ticker', CB),
];
const CHUNK = 100;
const EVERY = 64;

let n = 0;
async function recording(lines: string[]) {
  const dbName = `replay-cache-${++n}-${Math.random()}`;
  const db = await openStudioDb(dbName);
  const chunks = await storeRecording(db, 'r', lines, CHUNK);
  return { db, dbName, chunks };
}

/** JSON telling -0 from 0 (byte-for-byte events, key order included). */
const exact = (x: unknown) => JSON.stringify(x, (_k, v: unknown) => (Object.is(v, -0) ? '-0' : v));

interface Played {
  /** `[line, source, event]` of every emission, exactly. */
  out: string[];
  /** The input's state before each line multiple of EVERY (cloned, as checkpoints cross threads). */
  states: Map<number, unknown>;
}

/** Read lines `[from, total)` of `input` as a replay worker does (in order, loading as needed). */
async function play(input: ReplayInput, from: number): Promise<Played> {
  const out: string[] = [];
  const states = new Map<number, unknown>();
  for (let i = from; i < input.total; i++) {
    await new Promise<void>((res, rej) => {
      input.onLoad = () => (input.error ? rej(input.error as Error) : res());
      if (input.request(i)) res();
      else if (input.error) rej(input.error as Error);
    });
    input.push(i, (s, e) => out.push(exact([i, s, e])));
    if ((i + 1) % EVERY === 0) states.set(i + 1, structuredClone(input.snapshot()));
  }
  return { out, states };
}

function open(
  dbName: string,
  total: number,
  chunks: number,
  cache = true,
  onNoCache?: () => (() => void) | void,
) {
  return replayInput(
    sources(),
    { kind: 'idb', recordingId: 'r', total, chunks, dbName, cache },
    { rank: 0, of: 1 },
    [],
    onNoCache,
  );
}

/** Break stored lines so that reading frames anywhere would fail (the cache must be read). */
async function garbleFrames(db: StudioDatabase, chunks: number) {
  for (let seq = 0; seq < chunks; seq++) {
    const c = (await db.get('recordingChunks', ['r', seq]))!;
    await db.put('recordingChunks', { ...c, lines: c.lines.map(() => '{"broken') });
  }
}

describe('replay through the decoded-events cache', { timeout: 60_000 }, () => {
  const lines = mixedRecordingLines(1400);

  it('plays exactly what the frames give, and reads no frame doing so', async () => {
    const { db, dbName, chunks } = await recording(lines);
    const frames = await play(open(dbName, lines.length, chunks, false), 0);
    // Every source is fed (the venue book and both tickers on one route too).
    expect(new Set(frames.out.map((l) => (JSON.parse(l) as number[])[1])).size).toBe(6);
    await indexRecordingEvents(db, 'r');
    await garbleFrames(db, chunks);
    let missing = 0;
    const cached = await play(
      open(dbName, lines.length, chunks, true, () => void missing++),
      0,
    );
    expect(missing).toBe(0);
    expect(cached.out).toEqual(frames.out);
  });

  it('seek parity: from any checkpoint state, cache or frames, the rest is what playing from the start gives (fast-check)', async () => {
    const { db, dbName, chunks } = await recording(lines);
    const frames = await play(open(dbName, lines.length, chunks, false), 0);
    await indexRecordingEvents(db, 'r');
    const cachedInput = open(dbName, lines.length, chunks);
    const cached = await play(cachedInput, 0);
    const framesInput = open(dbName, lines.length, chunks, false);
    const tail = (x: number) => frames.out.filter((l) => Number(l.slice(1, l.indexOf(','))) >= x);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: Math.floor(lines.length / EVERY) }), async (k) => {
        const x = k * EVERY;
        cachedInput.restore(cached.states.get(x));
        expect((await play(cachedInput, x)).out).toEqual(tail(x));
        framesInput.restore(frames.states.get(x));
        expect((await play(framesInput, x)).out).toEqual(tail(x));
      }),
      { numRuns: 8 },
    );
  });

  it('missing and corrupt entries fall back to frames at that chunk: nothing lost, seeks included', async () => {
    const { db, dbName, chunks } = await recording(lines);
    const frames = await play(open(dbName, lines.length, chunks, false), 0);
    await indexRecordingEvents(db, 'r');
    const cached = await play(open(dbName, lines.length, chunks), 0);
    // Chunk 3's entry missing; 4's first route of the wrong shape; 5's with an event line out of
    // its chunk; 7's second route missing; 9's entry of the wrong shape. The states after chunks 2
    // and 8 are gone too: the states before 3 and 9 come from further back, the chunks between
    // decoded.
    await db.delete('recordingEvents', ['r', DECODER_VERSION, 3]);
    // Route entries live in groups of chunks (v7): each change rewrites the group's record.
    const route = async (seq: number, k: number) => {
      const e = (await db.get('recordingEvents', ['r', DECODER_VERSION, seq]))!;
      const g0 = routeGroupOf(seq);
      const key: [string, number, string, number] = ['r', DECODER_VERSION, e.routes[k]!, g0];
      const g = (await db.get('recordingRouteGroups', key))!;
      const r = g.entries.find((x) => x.seq === seq)!;
      expect(r).toBeDefined();
      const set = (next: RecordingRouteEventsEntry | undefined) =>
        db.put('recordingRouteGroups', {
          ...g,
          entries: g.entries.flatMap((x) => (x.seq !== seq ? [x] : next ? [next] : [])),
        });
      return { r, set };
    };
    const { r: r4, set: set4 } = await route(4, 0);
    await set4({ ...r4, packed: { ...r4.packed, ev: [1, 2, 3] as unknown as Int32Array } });
    const { r: r5, set: set5 } = await route(5, 0);
    const ev = r5.packed.ev.slice();
    ev[0] = r5.packed.from + 500;
    await set5({ ...r5, packed: { ...r5.packed, ev } });
    await (await route(7, 1)).set(undefined);
    const e9 = (await db.get('recordingEvents', ['r', DECODER_VERSION, 9]))!;
    await db.put('recordingEvents', { ...e9, routes: 'x' as unknown as [] });
    await db.delete('recordingEventStates', ['r', DECODER_VERSION, 2]);
    await db.delete('recordingEventStates', ['r', DECODER_VERSION, 8]);
    // And the last chunk's entry missing (no entry after it says so).
    await db.delete('recordingEvents', ['r', DECODER_VERSION, chunks - 1]);
    // Each chunk falling back carries the decoder's state before it (the nearest good entry's,
    // then the broken chunks between decoded): what decoding every line before it leaves.
    const keys = sources().map((f) => featureRouteKey(f));
    const store = (await cachedChunkStore(db, 'r', chunks, lines.length, keys))!;
    const read = (await store.read(0, chunks)) as CachedChunk[];
    expect(read.filter((c) => !c.cached).map((c) => c.seq)).toEqual([3, 4, 5, 7, 9, chunks - 1]);
    expect(store.fellBack).toBe(6);
    for (const c of read) {
      if (c.cached) continue;
      const d = new RecordingDecoder();
      for (let i = 0; i < c.line0; i++) d.push(lines[i]!, i + 1);
      expect(c.before!.state, `before chunk ${c.seq}`).toEqual(d.snapshot());
      expect(c.lines).toEqual(lines.slice(c.line0, c.line0 + CHUNK));
    }
    const brokenInput = open(dbName, lines.length, chunks);
    expect(brokenInput.cacheFallbacks).toBe(0);
    const broken = await play(brokenInput, 0);
    expect(broken.out).toEqual(frames.out);
    // What the replay panel's note counts (each chunk was read once).
    expect(brokenInput.cacheFallbacks).toBe(6);
    // States noted by the intact cache restored where the cache is now broken (chunks 3–5, 7, 9, 10 and the last).
    for (const x of [320, 384, 448, 512, 576, 704, 768, 960, 1024, 1408]) {
      const input = open(dbName, lines.length, chunks);
      input.restore(cached.states.get(x));
      const want = frames.out.filter((l) => Number(l.slice(1, l.indexOf(','))) >= x);
      expect((await play(input, x)).out, `from line ${x}`).toEqual(want);
    }
  });

  it('a stale cache (another decoder version, or another line count) is not read: frames, and indexing asked for', async () => {
    const { db, dbName, chunks } = await recording(lines);
    const frames = await play(open(dbName, lines.length, chunks, false), 0);
    await indexRecordingEvents(db, 'r');
    await db.delete('recordingEventsMeta', ['r', DECODER_VERSION]);
    await putEventsMeta(db, {
      recordingId: 'r',
      version: DECODER_VERSION - 1,
      chunks,
      lines: lines.length,
    });
    let asked = 0;
    expect(
      (
        await play(
          open(dbName, lines.length, chunks, true, () => void asked++),
          0,
        )
      ).out,
    ).toEqual(frames.out);
    expect(asked).toBe(1);
    await putEventsMeta(db, {
      recordingId: 'r',
      version: DECODER_VERSION,
      chunks,
      lines: lines.length - 1,
    });
    expect(
      (
        await play(
          open(dbName, lines.length, chunks, true, () => void asked++),
          0,
        )
      ).out,
    ).toEqual(frames.out);
    expect(asked).toBe(2);
  });

  it('a replay that asks for indexing tells the indexing each time it reads; one with a cache never asks', async () => {
    const { db, dbName, chunks } = await recording(lines);
    let reads = 0;
    let asked = 0;
    const hook = () => {
      asked++;
      return () => void reads++;
    };
    await play(open(dbName, lines.length, chunks, true, hook), 0);
    expect(asked).toBe(1);
    // Every request of the play (one per line here) holds the indexing.
    expect(reads).toBeGreaterThanOrEqual(lines.length);
    await indexRecordingEvents(db, 'r');
    reads = 0;
    await play(open(dbName, lines.length, chunks, true, hook), 0);
    expect([asked, reads]).toEqual([1, 0]);
  });
});
