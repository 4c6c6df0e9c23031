// A replay's source workers each decode only the lines their own sources can need (lineSkip):
// whatever the partition of the sources, each worker emits per route exactly what decoding every
// line gives — from the start and from any checkpoint state — over the venues' real frames
// (stateful books with checksums and sequences, disconnects), the two-venue recording with
// resyncs, the mixed venue + SIM recording and random SIM recordings; and a broken line is still
// named by some worker.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFeature } from '../../core/feature/createFeature.ts';
import type { Feature } from '../../core/feature/Feature.ts';
import { RecordingDecoder } from '../../recording/RecordingDecoder.ts';
import { featureRouteKey, routeKey } from '../../sources/DataSourceEventEmitter.ts';
import { simLines } from '../Session.ts';
import { clusterRecording } from '../../testing/cluster/clusterRecording.ts';
import { simMarketEvents } from '../../testing/sources/simReplay.ts';
import { mixedRecordingLines } from '../../testing/storage/mixedRecording.ts';
import { endpointsOf, venueFixtureFiles, venueFrames } from '../../testing/venues/venueFixtures.ts';
import { replayInput } from './replayInput.ts';

const VENUES = ['BINANCE', 'BINANCE_FUTURES', 'BYBIT', 'COINBASE', 'KRAKEN', 'OKX'];

/** Each venue's real frames as recording lines, on its endpoints in turn, with markers. */
const venueLines: string[][] = VENUES.map((exchange) => {
  const urls = endpointsOf(exchange);
  const out: string[] = [];
  venueFrames(exchange, venueFixtureFiles(exchange)).forEach((data, i) => {
    const url = urls[i % urls.length];
    const t = 1_700_000_000 + i / 100;
    if (i % 97 === 50)
      out.push(JSON.stringify({ receipt_timestamp: t, exchange, url, marker: 'disconnect' }));
    if (i % 61 === 3) out.push(JSON.stringify({ receipt_timestamp: t, exchange, sent: '{}' }));
    out.push(JSON.stringify({ receipt_timestamp: t, exchange, url, data }));
  });
  return out;
});
const cluster = clusterRecording(4).recording.trimEnd().split('\n');
const mixed = mixedRecordingLines(1500, 3);

/** `lists` merged, each in its own order, the next list picked by `picks`. */
function interleave(lists: readonly (readonly string[])[], picks: readonly number[]): string[] {
  const at = lists.map(() => 0);
  const out: string[] = [];
  for (let k = 0; out.length < lists.reduce((n, l) => n + l.length, 0); k++) {
    let l = picks[k % picks.length]! % lists.length;
    while (at[l]! >= lists[l]!.length) l = (l + 1) % lists.length;
    out.push(lists[l]![at[l]!++]!);
  }
  return out;
}

/** A `\u` escape of the first letter of the line's exchange (or SIM channel): JSON reads the same. */
const escapeName = (line: string): string =>
  line.replace(
    /"(exchange|channel)":"([A-Za-z])/,
    (_m, k: string, c: string) => `"${k}":"\\u00${c.charCodeAt(0).toString(16)}`,
  );

/** JSON telling -0 from 0 (byte-for-byte events, key order included). */
const exact = (x: unknown) => JSON.stringify(x, (_k, v: unknown) => (Object.is(v, -0) ? '-0' : v));

/** Every route the lines have events on, and what a worker holding `sources` must emit. */
function decodeAll(lines: readonly string[]) {
  const d = new RecordingDecoder();
  const events = lines.map((l, i) => d.push(l, i + 1));
  const routes = new Map<string, [string, string, string]>();
  for (const m of events.flat())
    routes.set(routeKey(m.exchange, m.channel, m.symbol), [m.exchange, m.channel, m.symbol]);
  const expected = (sources: readonly Feature[], from = 0) => {
    const keys = sources.map((f) => featureRouteKey(f));
    const out: string[] = [];
    for (let i = from; i < lines.length; i++)
      for (const m of events[i]!) {
        const key = routeKey(m.exchange, m.channel, m.symbol);
        keys.forEach((k, s) => k === key && out.push(exact([i, s, m.event])));
      }
    return out;
  };
  return { routes: [...routes.values()], expected };
}

/** A source on a route (undefined for a channel without a source definition). */
function sourceOn([exchange, channel, symbol]: readonly [string, string, string]) {
  try {
    return createFeature(channel, { exchange, symbol });
  } catch {
    return undefined;
  }
}

/** The source workers of a partition: each one's input, its sources, and the others'. */
function workers(lines: readonly string[], parts: readonly Feature[][], chunkLines: number) {
  const readers = parts.filter((p) => p.length > 0);
  return readers.map((sources, rank) => {
    const elsewhere = readers.filter((_, k) => k !== rank).flat();
    const open = () =>
      replayInput(
        sources,
        { kind: 'lines', lines, ts: lines.map((_, i) => 1_700_000_000 + i), chunkLines },
        { rank, of: readers.length },
        elsewhere,
      );
    return { sources, open };
  });
}

/** Lines `[from, end)` as a replay worker reads them; the decoder's state before line `at`. */
async function play(input: ReturnType<typeof replayInput>, from: number, at = -1) {
  const out: string[] = [];
  let state: unknown;
  for (let i = from; i < input.total; i++) {
    if (!input.request(i)) await new Promise<void>((r) => (input.onLoad = r));
    if (!input.request(i)) throw new Error(`line ${i} not loaded`);
    if (i === at) state = structuredClone(input.snapshot());
    input.push(i, (s, e) => out.push(exact([i, s, e])));
  }
  return { out, state };
}

const recordings = fc.oneof(
  fc
    .record({
      venues: fc.subarray([0, 1, 2, 3, 4, 5], { minLength: 1 }),
      sim: fc.integer({ min: 0, max: 400 }),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 50 }),
    })
    .map(({ venues, sim, picks }) =>
      interleave([...venues.map((v) => venueLines[v]!), simLines(simMarketEvents(sim, 1))], picks),
    ),
  fc.constant(cluster),
  fc.constant(mixed),
  fc.integer({ min: 1, max: 1e6 }).map((seed) => simLines(simMarketEvents(600, seed))),
);

afterEach(() => {
  vi.restoreAllMocks();
});

describe(
  'each source worker decodes only the lines its sources can need',
  { timeout: 120_000 },
  () => {
    it('emits per route exactly what decoding every line gives, in any partition, from any checkpoint', async () => {
      await fc.assert(
        fc.asyncProperty(
          recordings,
          fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
          fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 24, maxLength: 24 }),
          fc.integer({ min: 0, max: 40 }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.integer({ min: 7, max: 400 }),
          async (base, escapes, placement, absent, cut, chunkLines) => {
            const lines = [...base];
            for (const e of escapes) lines[e % lines.length] = escapeName(lines[e % lines.length]!);
            const { routes, expected } = decodeAll(lines);
            // Every route with events (and one no line feeds), two sources on the first route.
            const all = [...routes, routes[0]!, ['KRAKEN', 'trades', `X-${absent}`] as const]
              .map((r) => sourceOn(r))
              .filter((f): f is Feature => f !== undefined);
            const parts: Feature[][] = [[], [], [], []];
            all.forEach((f, i) => parts[placement[i % placement.length]!]!.push(f));
            const at = Math.floor(cut * lines.length);
            for (const w of workers(lines, parts, chunkLines)) {
              const { out, state } = await play(w.open(), 0, at);
              expect(out).toEqual(expected(w.sources));
              // A seek: a fresh input restored at the checkpoint state plays on the same.
              const again = w.open();
              again.restore(state);
              expect((await play(again, at)).out).toEqual(expected(w.sources, at));
            }
          },
        ),
        { numRuns: 60 },
      );
    });

    it('a broken line is named by some worker, and no worker names another', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(cluster, mixed),
          fc.nat(),
          fc.constantFrom(
            '{"broken',
            '{"receipt_timestamp":1,"exchange":"KRAKEN"}',
            '{"receipt_timestamp":1,"exchange":"SIM","event":{"channel":"trades","symbol":"BTC-USDT"}}',
            '{"receipt_timestamp":1,"exchange":"NOPE","data":"{}"}',
          ),
          fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 8, maxLength: 8 }),
          async (base, where, broken, placement) => {
            const lines = [...base];
            const n = where % lines.length;
            lines[n] = broken;
            const routes = decodeAll(base).routes;
            const parts: Feature[][] = [[], [], []];
            routes.map((r) => sourceOn(r)!).forEach((f, i) => parts[placement[i % 8]!]!.push(f));
            const named: string[] = [];
            for (const w of workers(lines, parts, 100))
              await play(w.open(), 0).catch((e: Error) => named.push(e.message));
            expect(named.length).toBeGreaterThan(0);
            for (const m of named) expect(m).toMatch(new RegExp(`^line ${n + 1}:`));
          },
        ),
        { numRuns: 40 },
      );
    });

    it('a name JSON can spell with a short escape (a symbol BTC/USD written BTC\\/USD) is decoded', async () => {
      const event = (symbol: string) => ({
        exchange: 'SIM',
        instrument_type: 'spot',
        symbol,
        channel: 'trades',
        event: {
          timestamp: 1e9,
          receipt_timestamp: 1e9,
          price: 10,
          amount: 1,
          side: 'buy',
          id: 't',
        },
      });
      const line = (symbol: string) =>
        JSON.stringify({ receipt_timestamp: 1e9, exchange: 'SIM', event: event(symbol) });
      const lines = [line('BTC/USD').replace('BTC/USD', 'BTC\\/USD'), line('ETH-USD')];
      expect(JSON.parse(lines[0]!)).toEqual(JSON.parse(line('BTC/USD')));
      const { expected } = decodeAll(lines);
      const slash = [createFeature('trades', { exchange: 'SIM', symbol: 'BTC/USD' })];
      const eth = [createFeature('trades', { exchange: 'SIM', symbol: 'ETH-USD' })];
      for (const w of workers(lines, [eth, slash], 1)) {
        const { out } = await play(w.open(), 0);
        expect(out).toEqual(expected(w.sources));
      }
      expect(expected(slash)).toHaveLength(1);
    });

    it('a venue’s worker beside another venue’s parses none of that venue’s lines', async () => {
      const kraken = [createFeature('l2_book', { exchange: 'KRAKEN', symbol: 'BTC-USDT' })];
      const coinbase = [createFeature('l2_book', { exchange: 'COINBASE', symbol: 'BTC-USDT' })];
      const push = vi.spyOn(RecordingDecoder.prototype, 'push');
      const [k] = workers(cluster, [kraken, coinbase], 100);
      await play(k!.open(), 0);
      const decoded = push.mock.calls.map(([text]) => text);
      expect(decoded.length).toBe(cluster.filter((l) => l.includes('KRAKEN')).length);
      expect(decoded.every((l) => l.includes('"exchange":"KRAKEN"'))).toBe(true);
    });
  },
);
