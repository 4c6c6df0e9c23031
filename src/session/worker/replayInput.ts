import type { Feature } from '../../core/feature/Feature.ts';
import type { LineShare, ReplayInput } from '../../runtime/replayTypes.ts';
import { featureRouteKey, routeKey } from '../../sources/DataSourceEventEmitter.ts';
import { type ChunkStore, ChunkWindow } from '../../recording/ChunkWindow.ts';
import { memoryChunkStore, recordingChunkStore } from '../../recording/chunkStores.ts';
import {
  type CachedChunk,
  cachedChunkStore,
  type CachedChunkStore,
} from '../../recording/cachedChunkStore.ts';
import { cachedEmitter } from './cachedEmitter.ts';
import { type DecoderSnapshot, RecordingDecoder } from '../../recording/RecordingDecoder.ts';
import { openStudioDb } from '../../storage/db.ts';
import { lineSkip } from './lineSkip.ts';
import { windowMemory } from '../../recording/memoryRanges.ts';

/** Which recording the replay workers read (crosses threads as plain data). */
export type ReplayInputOptions =
  /** A recording of the library: each source worker opens IndexedDB and streams its chunks. */
  | {
      readonly kind: 'idb';
      readonly recordingId: string;
      readonly total: number;
      readonly chunks: number;
      readonly dbName?: string;
      /**
       * Chunks read ahead and reads in flight (default {@link READ_AHEAD}, {@link PARALLEL_READS};
       * reading the cache, {@link CACHE_READ_AHEAD} chunks, {@link CACHE_STEP} a request): the
       * replay bench plays a wide read-ahead (24, four reads) beside the default in one run, and
       * the cache read in the former smaller requests (8 ahead, 3 a request) beside its default.
       */
      readonly readAhead?: {
        readonly chunks: number;
        readonly parallel: number;
        /** Chunks per request (default `ChunkWindow`'s 3). */
        readonly step?: number;
        /**
         * Fill the read-ahead in the background (`ChunkWindow.fill`; default false): an opened
         * or sought replay holds its first chunks before it plays. In same-run pairs of fresh
         * controllers, plays begun 150 ms after the seek, it gained nothing (420 vs 496k/s,
         * 598 vs 601k/s, load 6–12; IndexedDB waits ~15–30 ms lower): off until a quiet run of
         * the bench's pair says otherwise.
         */
        readonly fill?: boolean;
      };
      /**
       * Read the decoded-events cache when it is complete (default true; the bench and the
       * parity tests turn it off to read frames).
       */
      readonly cache?: boolean;
      /**
       * Every source worker decodes every line, as before lines were skipped by venue (default
       * false; the replay bench plays it beside the default to show what the skip gives).
       */
      readonly decodeAll?: boolean;
      /**
       * The replay's memory for chunks already read, in bytes for all its workers (default
       * {@link KEEP_BYTES}; 0: only the last {@link KEEP_CHUNKS}). The bench sets 0 to show what
       * a recording larger than the budget gets: every play and first visit read IndexedDB.
       */
      readonly keepBytes?: number;
    }
  /** Lines held in memory (a recording file), with each line's receipt time. */
  | {
      readonly kind: 'lines';
      readonly lines: readonly string[];
      readonly ts: readonly number[];
      readonly chunkLines: number;
    };

/** Chunks read ahead of a worker's reading position. */
const READ_AHEAD = 8;
/**
 * Chunks read ahead, and per request, when reading the decoded-events cache: its entries are
 * small (packed events of the worker's routes, no text), so a request costs mostly its round
 * trip to IndexedDB, and fewer, bigger ones cut a worker's wait. Same-run pairs (2026-12-05)
 * against 8 ahead, 3 a request: 590 vs 489k/s, 401 vs 177k/s, 479 vs 345k/s (load 2–8); see
 * docs/performance-replay.md. Frames keep the smaller requests (their text is deserialized on
 * the worker's thread as a read lands, which a seek then waits for).
 */
const CACHE_READ_AHEAD = 16;
const CACHE_STEP = 8;
/**
 * Store reads in flight at once (see `ChunkWindow.parallel`). Four reads 24 chunks ahead were
 * tried: in same-run pairs at load 10–17 they gained nothing (IndexedDB's backend serves the
 * reads one after another, ~8 ms each alone, ~50 ms each with four in flight) and lost once;
 * the bench plays them beside this so a quiet run can say whether they help.
 */
const PARALLEL_READS = 1;
/**
 * Chunks kept decoded after the reading passes them (`ChunkWindow.keep`): a seek back to where
 * the replay was lately (scrubbing, stepping back, a loop) reads nothing from IndexedDB. About
 * two seeks' worth (a jump's two chunks, what it plays to the target, the read-ahead);
 * ~0.25 MB per thousand-line chunk of SIM lines.
 */
const KEEP_CHUNKS = 24;
/**
 * Memory the replay keeps chunks in after reading them, all its source workers together (split
 * evenly): a recording that fits is read from IndexedDB once, and a later play (again from the
 * start, a loop) or any seek after a play-through reads nothing (a pipeline edit starts new
 * workers, which read again). The decoded-events cache holds ~75 kB a thousand SIM lines on the
 * book's worker (~7 MB a 100k-line recording); frames ~0.28 MB a thousand lines on each worker.
 * Past the budget the least recently read go.
 */
export const KEEP_BYTES = 128 * 1024 * 1024;

/**
 * A replay worker's reading of the recording (the entries' `ReplayInputFactory`): a chunk
 * window by global line index and the same `RecordingDecoder` as the in-thread replay, routed to
 * this worker's sources by (exchange, channel, symbol) exactly as the live emitters route.
 */
export function replayInput(
  sources: readonly Feature[],
  options: unknown,
  share: LineShare = { rank: 0, of: 1 },
  elsewhere: readonly Feature[] = [],
  /**
   * Called once when an IndexedDB recording has no complete cache (to index it); what it returns
   * is called each time the replay reads from then on (the indexing waits for the replay to idle).
   */
  onNoCache?: (o: IdbInputOptions) => (() => void) | undefined | void,
): ReplayInput {
  const o = options as ReplayInputOptions;
  /** Told each time this replay reads (set once the store is chosen, if it indexes). */
  let reading: (() => void) | undefined;
  const noCache = (io: IdbInputOptions) => {
    const r = onNoCache?.(io);
    reading = typeof r === 'function' ? r : undefined;
    reading?.();
  };
  const routes = new Map<string, number[]>();
  sources.forEach((f, i) => {
    if (f.definition.kind !== 'source' || f.definition.channel === undefined) return;
    const key = featureRouteKey(f);
    routes.set(key, [...(routes.get(key) ?? []), i]);
  });
  const store: ChunkStore & { endSeq?: number } =
    o.kind === 'lines'
      ? memoryChunkStore(o.lines, o.ts, o.chunkLines)
      : lazyDbStore(o, [...routes.keys()], noCache, () => {
          // Reading the cache, and no read-ahead asked for: bigger requests.
          if (ahead) return;
          window.ahead = CACHE_READ_AHEAD;
          window.step = CACHE_STEP;
        });
  const total = o.kind === 'lines' ? o.lines.length : o.total;
  const ahead = o.kind === 'idb' ? o.readAhead : undefined;
  const window = new ChunkWindow(store, total, ahead?.chunks ?? READ_AHEAD);
  window.kept.keep = KEEP_CHUNKS;
  if (o.kind === 'idb') window.kept.keepBytes = (o.keepBytes ?? KEEP_BYTES) / Math.max(1, share.of);
  window.parallel = ahead?.parallel ?? PARALLEL_READS;
  if (ahead?.step !== undefined) window.step = ahead.step;
  window.fill = ahead?.fill ?? false;
  const skip =
    o.kind === 'idb' && o.decodeAll === true ? undefined : lineSkip(sources, share, elsewhere);
  // Undefined while reading cached chunks (nothing decoded): rebuilt at the next frames chunk.
  let decoder: RecordingDecoder | undefined = new RecordingDecoder();
  const cached = cachedEmitter(routes);
  /** The decoder in its state before line `i` of frames chunk `c` (after cached chunks). */
  const decoderAt = (c: CachedChunk, i: number): RecordingDecoder => {
    if (!c.before) throw new Error(`replay: no decoder state before line ${i + 1} (cache)`);
    const d = c.before.state ? RecordingDecoder.restore(c.before.state) : new RecordingDecoder();
    for (let j = c.line0; j < i; j++) d.push(window.line(j), j + 1);
    return d;
  };
  const input: ReplayInput = {
    get total() {
      return window.total;
    },
    get error() {
      return window.error;
    },
    get end() {
      return window.end;
    },
    onLoad: () => {},
    request: (i) => {
      reading?.();
      return window.request(i);
    },
    time: (i) => window.time(i),
    push(i, emit) {
      const c = window.chunk(i) as CachedChunk;
      if (c.cached) {
        decoder = undefined;
        cached(c, i, emit);
        return;
      }
      decoder ??= decoderAt(c, i);
      const text = window.line(i);
      if (skip?.(text, i)) return;
      for (const m of decoder.push(text, i + 1)) {
        const list = routes.get(routeKey(m.exchange, m.channel, m.symbol));
        if (list) for (const s of list) emit(s, m.event);
      }
    },
    // Past cached chunks the state is the cache's (a token): a frames chunk read after it
    // rebuilds the decoder from its `before` state.
    snapshot: () => (decoder ? decoder.snapshot() : CACHED_STATE),
    restore(state) {
      decoder =
        state === CACHED_STATE || (state as { cached?: true } | undefined)?.cached === true
          ? undefined
          : state === undefined
            ? new RecordingDecoder()
            : RecordingDecoder.restore(state as DecoderSnapshot);
    },
    grow(n, chunks) {
      store.endSeq = chunks;
      window.grow(n);
    },
    // What the timeline shows as held: only an IndexedDB recording reads (lines are all held).
    ...(o.kind === 'idb' ? { memory: () => windowMemory(window) } : {}),
    get cacheFallbacks() {
      return (store as { fellBack?: number }).fellBack ?? 0;
    },
  };
  window.onLoad = () => input.onLoad();
  return input;
}

export type IdbInputOptions = Extract<ReplayInputOptions, { kind: 'idb' }>;

/** The decoder state noted past cached chunks (checkpoints carry it; it clones as data). */
const CACHED_STATE = { cached: true } as const;

/**
 * The IndexedDB chunk store, opening the database (in this worker) on first use: the recording's
 * decoded-events cache when complete for this decoder version (and not turned off), else frames.
 */
function lazyDbStore(
  o: IdbInputOptions,
  routes: readonly string[],
  onNoCache?: (o: IdbInputOptions) => void,
  /** The cache is complete and read (called once, before its first read). */
  onCache?: () => void,
): ChunkStore & { endSeq: number; readonly fellBack: number } {
  let chosen: Promise<ChunkStore & { endSeq: number }> | undefined;
  /** The cached store, once chosen (its count of chunks read from frames, how to read it). */
  let cached: Pick<CachedChunkStore, 'fellBack'> | undefined;
  const choose = async () => {
    const db = await openStudioDb(o.dbName);
    const c =
      o.cache === false
        ? undefined
        : await cachedChunkStore(db, o.recordingId, o.chunks, o.total, routes);
    if (!c && o.cache !== false) onNoCache?.(o);
    if (c) onCache?.();
    cached = c;
    return c ?? recordingChunkStore(db, o.recordingId, lazy.endSeq);
  };
  /** The chosen store once known: reads then go to it in the caller's task (see `read`). */
  let ready: (ChunkStore & { endSeq: number }) | undefined;
  const store = async () => {
    const s = (ready ??= await (chosen ??= choose()));
    s.endSeq = lazy.endSeq;
    return s;
  };
  const lazy = {
    endSeq: o.chunks,
    /**
     * Issued at once when the store is chosen: behind an `await` the IndexedDB request would
     * wait for the microtask queue, i.e. for the end of the worker's reading slice — the read
     * ahead then started only when the reader had caught up and stalled, and every read's whole
     * round trip was waited for (a bench trace showed each cache read starting at the stall).
     */
    read: (from: number, count: number, signal?: AbortSignal) => {
      if (!ready) return store().then((s) => s.read(from, count, signal));
      ready.endSeq = lazy.endSeq;
      try {
        return ready.read(from, count, signal);
      } catch (e) {
        // A closing database throws at once: a failed read, as behind the await before.
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
    seqOfLine: async (line: number) => (await store()).seqOfLine(line),
    seqOfTime: async (t: number) => (await store()).seqOfTime(t),
    get fellBack() {
      return cached?.fellBack ?? 0;
    },
  };
  return lazy;
}
