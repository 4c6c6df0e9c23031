// The decoded-events cache by route (v6): a replay worker reads each chunk's entry and only its
// own sources' routes, and plays exactly what decoding the frames gives for them — from the start
// and from any checkpoint (fast-check over which sources a worker holds) — the events of one
// line on several routes in the decoder's order.
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFeature } from '../../core/feature/createFeature.ts';
import type { Feature } from '../../core/feature/Feature.ts';
import type { ReplayInput } from '../../runtime/replayTypes.ts';
import { DECODER_VERSION, indexRecordingEvents } from '../../recording/eventCache.ts';
import { RecordingDecoder } from '../../recording/RecordingDecoder.ts';
import { featureRouteKey, routeKey } from '../../sources/DataSourceEventEmitter.ts';
import { openStudioDb, type StudioDatabase } from '../../storage/db.ts';
import { mixedRecordingLines } from '../../testing/storage/mixedRecording.ts';
import { storeRecording } from '../../testing/storage/storedRecording.ts';
import { replayInput } from './replayInput.ts';

const SIM = { exchange: 'SIM', symbol: 'BTC-USDT' };
const CB = { exchange: 'COINBASE', symbol: 'BTC-USD' };
const CB_ETH = { exchange: 'COINBASE', symbol: 'ETH-USD' };
/** Every source the recording feeds, two on one route. */
const ALL = (): Feature[] => [
  createFeature('trades', SIM),
  createFeature('l2_book', SIM),
  createFeature('ticker', SIM),
  createFeature('l2_book', CB),
  createFeature('ticker', CB),
  createFeature('ticker', CB_ETH),
  createFeature('ticker', CB),
];
const CHUNK = 100;
const EVERY = 64;

/**
 * The mixed recording with every third Coinbase ticker frame carrying three tickers — BTC, ETH,
 * BTC — so one line has events on two routes, interleaved.
 */
function recordingLines(): string[] {
  let n = 0;
  return mixedRecordingLines(1400).map((l) => {
    if (!l.includes('ticker') || !l.includes('COINBASE') || n++ % 3 !== 0) return l;
    const frame = JSON.parse(l) as { data: string };
    const data = JSON.parse(frame.data) as { events: { tickers: object[] }[] };
    const t = (product_id: string, bid: number) => ({
      product_id,
      best_bid: String(bid),
      best_ask: String(bid + 1),
    });
    data.events[0]!.tickers = [t('BTC-USD', 100), t('ETH-USD', 20 + n), t('BTC-USD', 99 + n)];
    return JSON.stringify({ ...frame, data: JSON.stringify(data) });
  });
}

/** JSON telling -0 from 0 (byte-for-byte events, key order included). */
const exact = (x: unknown) => JSON.stringify(x, (_k, v: unknown) => (Object.is(v, -0) ? '-0' : v));

/** What a worker holding `sources` must emit: the decoder over every line, routed (no cache). */
function reference(lines: readonly string[], sources: readonly Feature[]): string[] {
  const d = new RecordingDecoder();
  const out: string[] = [];
  const keys = sources.map((f) => featureRouteKey(f));
  lines.forEach((l, i) => {
    for (const m of d.push(l, i + 1)) {
      const key = routeKey(m.exchange, m.channel, m.symbol);
      keys.forEach((k, s) => k === key && out.push(exact([i, s, m.event])));
    }
  });
  return out;
}

/** Read lines `[from, to)` of `input` as a replay worker does; states every EVERY lines. */
async function play(input: ReplayInput, from: number, to = input.total) {
  const out: string[] = [];
  const states = new Map<number, unknown>();
  for (let i = from; i < to; i++) {
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

/** Route keys of every `recordingRouteGroups` range read from now on. */
function routesRead(): string[] {
  const read: string[] = [];
  const getAll = IDBObjectStore.prototype.getAll;
  vi.spyOn(IDBObjectStore.prototype, 'getAll').mockImplementation(function (
    this: IDBObjectStore,
    query?: IDBValidKey | IDBKeyRange | null,
    count?: number,
  ) {
    if (this.name === 'recordingRouteGroups')
      read.push(String(((query as IDBKeyRange).lower as unknown[])[2]));
    return getAll.call(this, query, count);
  });
  return read;
}

/** Break every stored line: a pass proves no frame was decoded (the cache alone was read). */
async function garbleFrames(db: StudioDatabase, chunks: number) {
  for (let seq = 0; seq < chunks; seq++) {
    const c = (await db.get('recordingChunks', ['r', seq]))!;
    await db.put('recordingChunks', { ...c, lines: c.lines.map(() => '{"broken') });
  }
}

async function indexed(lines: string[]) {
  const dbName = `route-cache-${Math.random()}`;
  const db = await openStudioDb(dbName);
  const chunks = await storeRecording(db, 'r', lines, CHUNK);
  expect(await indexRecordingEvents(db, 'r')).toMatchObject({ done: true });
  await garbleFrames(db, chunks);
  const open = (sources: Feature[]) =>
    replayInput(sources, { kind: 'idb', recordingId: 'r', total: lines.length, chunks, dbName });
  return { db, chunks, open };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('decoded-events cache by route', { timeout: 120_000 }, () => {
  const lines = recordingLines();

  it('one line with events on two routes, interleaved, plays in the decoder’s order', async () => {
    const all = ALL();
    const want = reference(lines, all);
    // The crafted lines are there: lines with an ETH ticker between two BTC ones.
    const d = new RecordingDecoder();
    const interleaved = lines.filter((l, i) => {
      const syms = d.push(l, i + 1).map((m) => m.symbol);
      return syms.join() === 'BTC-USD,ETH-USD,BTC-USD';
    });
    expect(interleaved.length).toBeGreaterThan(10);
    const { open } = await indexed(lines);
    const read = routesRead();
    expect((await play(open(all), 0)).out).toEqual(want);
    expect(new Set(read)).toEqual(new Set(all.map((f) => featureRouteKey(f))));
  });

  it('any set of sources: reads only its routes, plays what the frames give, from any checkpoint too (fast-check)', async () => {
    const all = ALL();
    const { open } = await indexed(lines);
    await fc.assert(
      fc.asyncProperty(
        fc.subarray([0, 1, 2, 3, 4, 5, 6], { minLength: 1 }),
        fc.integer({ min: 1, max: Math.floor(lines.length / EVERY) }),
        async (picked, k) => {
          vi.restoreAllMocks();
          const sources = picked.map((i) => all[i]!);
          const want = reference(lines, sources);
          const read = routesRead();
          const input = open(sources);
          const played = await play(input, 0);
          expect(played.out).toEqual(want);
          const own = new Set(sources.map((f) => featureRouteKey(f)));
          expect(read.length).toBeGreaterThan(0);
          expect(read.filter((r) => !own.has(r))).toEqual([]);
          // Seek: restore the state noted at line x and play on (a fresh input, as a worker does).
          const x = k * EVERY;
          const again = open(sources);
          again.restore(played.states.get(x));
          const tail = want.filter((l) => Number(l.slice(1, l.indexOf(','))) >= x);
          expect((await play(again, x)).out).toEqual(tail);
        },
      ),
      { numRuns: 10 },
    );
  });

  it('seeks back and forth in one replay read only the cache, and each plays what the frames give (fast-check)', async () => {
    // A route record holds a group of chunks, and the store keeps the group its last read
    // ended in: a seek elsewhere must read its own groups, never take the kept one for them.
    const all = ALL();
    const { open } = await indexed(lines);
    const want = reference(lines, all);
    const at = (l: string) => Number(l.slice(1, l.indexOf(',')));
    const { states } = await play(open(all), 0);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: Math.floor(lines.length / EVERY) - 1 }), {
          minLength: 2,
          maxLength: 6,
        }),
        async (seeks) => {
          const input = open(all);
          for (const k of seeks) {
            const x = k * EVERY;
            const to = Math.min(lines.length, x + 3 * CHUNK);
            input.restore(x === 0 ? undefined : states.get(x));
            const got = (await play(input, x, to)).out;
            expect(got).toEqual(want.filter((l) => at(l) >= x && at(l) < to));
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it('other routes’ entries gone: a worker on the SIM routes still reads nothing but the cache', async () => {
    const all = ALL();
    const sim = all.slice(0, 3);
    const { db, open } = await indexed(lines);
    const keys = await db.getAllKeys('recordingRouteGroups');
    let dropped = 0;
    for (const key of keys)
      if (!String(key[2]).startsWith('SIM|') && key[1] === DECODER_VERSION) {
        await db.delete('recordingRouteGroups', key);
        dropped++;
      }
    expect(dropped).toBeGreaterThan(0);
    expect((await play(open(sim), 0)).out).toEqual(reference(lines, sim));
    // A worker that needs the dropped routes falls back to the (garbled) frames: the loss shows.
    await expect(play(open(all.slice(3)), 0)).rejects.toThrow();
  });
});
