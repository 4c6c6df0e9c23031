import type { Feature } from '../../core/feature/Feature.ts';
import type { LineShare, ReplayInput } from '../../runtime/replayTypes.ts';
import { featureRouteKey, routeKey } from '../../sources/DataSourceEventEmitter.ts';
import { type ChunkStore, ChunkWindow } from '../../recording/ChunkWindow.ts';
import { memoryChunkStore, recordingChunkStore } from '../../recording/chunkStores.ts';
import { type DecoderSnapshot, RecordingDecoder } from '../../recording/RecordingDecoder.ts';
import { openStudioDb } from '../../storage/db.ts';

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
       * Chunks read ahead and reads in flight (default {@link READ_AHEAD}, {@link PARALLEL_READS}):
       * the replay bench plays a wide read-ahead (24, four reads) beside the default in one run.
       */
      readonly readAhead?: { readonly chunks: number; readonly parallel: number };
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
 * A replay worker's reading of the recording (the entries' `ReplayInputFactory`): a chunk
 * window by global line index and the same `RecordingDecoder` as the in-thread replay, routed to
 * this worker's sources by (exchange, channel, symbol) exactly as the live emitters route.
 */
export function replayInput(
  sources: readonly Feature[],
  options: unknown,
  share: LineShare = { rank: 0, of: 1 },
  elsewhere: readonly Feature[] = [],
): ReplayInput {
  const o = options as ReplayInputOptions;
  const store: ChunkStore & { endSeq?: number } =
    o.kind === 'lines' ? memoryChunkStore(o.lines, o.ts, o.chunkLines) : lazyDbStore(o);
  const total = o.kind === 'lines' ? o.lines.length : o.total;
  const ahead = o.kind === 'idb' ? o.readAhead : undefined;
  const window = new ChunkWindow(store, total, ahead?.chunks ?? READ_AHEAD);
  window.keep = KEEP_CHUNKS;
  window.parallel = ahead?.parallel ?? PARALLEL_READS;
  const routes = new Map<string, number[]>();
  sources.forEach((f, i) => {
    if (f.definition.kind !== 'source' || f.definition.channel === undefined) return;
    const key = featureRouteKey(f);
    routes.set(key, [...(routes.get(key) ?? []), i]);
  });
  const skip = lineSkip(sources, share, elsewhere);
  let decoder = new RecordingDecoder();
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
    request: (i) => window.request(i),
    time: (i) => window.time(i),
    push(i, emit) {
      const text = window.line(i);
      if (skip?.(text, i)) return;
      for (const m of decoder.push(text, i + 1)) {
        const list = routes.get(routeKey(m.exchange, m.channel, m.symbol));
        if (list) for (const s of list) emit(s, m.event);
      }
    },
    snapshot: () => decoder.snapshot(),
    restore(state) {
      decoder =
        state === undefined
          ? new RecordingDecoder()
          : RecordingDecoder.restore(state as DecoderSnapshot);
    },
    grow(n, chunks) {
      store.endSeq = chunks;
      window.grow(n);
    },
  };
  window.onLoad = () => input.onLoad();
  return input;
}

/** The IndexedDB chunk store, opening the database (in this worker) on first use. */
function lazyDbStore(o: Extract<ReplayInputOptions, { kind: 'idb' }>): ChunkStore & {
  endSeq: number;
} {
  let db: ReturnType<typeof openStudioDb> | undefined;
  const store = async () =>
    recordingChunkStore(await (db ??= openStudioDb(o.dbName)), o.recordingId, lazy.endSeq);
  const lazy = {
    endSeq: o.chunks,
    read: async (from: number, count: number, signal?: AbortSignal) =>
      (await store()).read(from, count, signal),
    seqOfLine: async (line: number) => (await store()).seqOfLine(line),
    seqOfTime: async (t: number) => (await store()).seqOfTime(t),
  };
  return lazy;
}

/**
 * For sources that are all the Simulated market's: a test that a line could feed one of them
 * (undefined when some source is not SIM). SIM lines are normalized events, decoded without
 * state, so a line that feeds none of a worker's sources need not be parsed there (parsing other
 * workers' lines was most of a source worker's cost). A line holding neither a source's channel
 * nor its symbol as text cannot carry one of its events — unless a `\u` escape spells them, so
 * such lines always count as feeding.
 */
function simFilter(sources: readonly Feature[]): ((text: string) => boolean) | undefined {
  const keys: [string, string][] = [];
  for (const f of sources) {
    const def = f.definition;
    if (def.kind !== 'source' || def.channel === undefined) continue;
    if (String(f.params.exchange) !== 'SIM') return undefined;
    keys.push([def.channel, String(f.params.symbol)]);
  }
  if (keys.length === 0) return undefined;
  return (text) =>
    text.includes('\\u') || keys.some(([c, sym]) => text.includes(c) && text.includes(sym));
}

/**
 * Which lines (text, 0-based number) this worker need not decode: each line is decoded once,
 * where it can feed a source, and a broken one is reported all the same. A worker whose sources
 * are not all SIM decodes every line. Otherwise it skips the lines that cannot feed its sources
 * and either can feed another worker's (that worker decodes them) or belong to another worker's
 * `share` of the lines nobody takes — unless some other worker decodes every line anyway. What
 * is lost: a structurally broken line is reported by whichever worker decodes it.
 */
function lineSkip(
  sources: readonly Feature[],
  share: LineShare,
  elsewhere: readonly Feature[],
): ((text: string, line: number) => boolean) | undefined {
  const own = simFilter(sources);
  if (!own) return undefined;
  // The only source worker: every line is its to check.
  if (elsewhere.length === 0) return undefined;
  const others = simFilter(elsewhere);
  // Another source worker decodes every line: it checks the lines nobody takes.
  if (!others) return (text) => !own(text);
  const { rank, of } = share;
  return (text, line) => !own(text) && (others(text) || line % of !== rank);
}
