import type { Feature } from '../../core/feature/Feature.ts';
import type { ReplayInput } from '../../runtime/replayTypes.ts';
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
 * A replay worker's reading of the recording (the entries' `ReplayInputFactory`): a chunk
 * window by global line index and the same `RecordingDecoder` as the in-thread replay, routed to
 * this worker's sources by (exchange, channel, symbol) exactly as the live emitters route.
 */
export function replayInput(
  sources: readonly Feature[],
  options: unknown,
  validates = true,
  elsewhere: readonly Feature[] = [],
): ReplayInput {
  const o = options as ReplayInputOptions;
  const store: ChunkStore & { endSeq?: number } =
    o.kind === 'lines' ? memoryChunkStore(o.lines, o.ts, o.chunkLines) : lazyDbStore(o);
  const total = o.kind === 'lines' ? o.lines.length : o.total;
  const window = new ChunkWindow(store, total, READ_AHEAD);
  const routes = new Map<string, number[]>();
  sources.forEach((f, i) => {
    if (f.definition.kind !== 'source' || f.definition.channel === undefined) return;
    const key = featureRouteKey(f);
    routes.set(key, [...(routes.get(key) ?? []), i]);
  });
  const skip = lineSkip(sources, validates, elsewhere);
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
      if (skip?.(text)) return;
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
    read: async (from: number, count: number) => (await store()).read(from, count),
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
 * Which lines this worker need not decode. A worker that does not validate skips lines that
 * cannot feed its sources. The validating worker decodes every line but those another source
 * worker decodes (it would report a broken one just the same): each line is parsed once. What
 * is lost: a structurally broken line is reported by whichever worker decodes it.
 */
function lineSkip(
  sources: readonly Feature[],
  validates: boolean,
  elsewhere: readonly Feature[],
): ((text: string) => boolean) | undefined {
  const own = simFilter(sources);
  if (!validates) return own && ((text) => !own(text));
  const others = elsewhere.length > 0 ? simFilter(elsewhere) : undefined;
  if (!own || !others) return undefined;
  return (text) => !own(text) && others(text);
}
