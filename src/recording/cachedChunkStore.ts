import type { PackedEvents } from '../runtime/ReplayEventPack.ts';
import type { StudioDatabase } from '../storage/db.ts';
import {
  eventsRange,
  getEventsMeta,
  ROUTE_GROUP_CHUNKS,
  routeGroupOf,
  routeGroupsRange,
} from '../storage/recordingEvents.ts';
import type {
  RecordingEventsEntry,
  RecordingEventsState,
  RecordingRouteEventsEntry,
  RecordingRouteEventsGroup,
} from '../storage/recordingTypes.ts';
import type { ChunkStore, LineChunk } from './ChunkWindow.ts';
import { recordingChunkStore } from './chunkStores.ts';
import { DECODER_VERSION, validEntry, validRouteEntry } from './eventCacheEntry.ts';
import { type DecoderSnapshot, RecordingDecoder } from './RecordingDecoder.ts';

/** One of a reader's routes in a cached chunk: its events (ordinals as source numbers). */
export interface CachedRoute {
  readonly route: string;
  readonly packed: PackedEvents;
}

/**
 * A chunk as the cached store gives it: either its decoded events of the reader's routes
 * (`cached`; `lines` is then a sparse array of the right length, never read) or, an entry
 * missing or corrupt, its frames with the decoder's state before its first line (`before`;
 * undefined state: a fresh decoder).
 */
export interface CachedChunk extends LineChunk {
  readonly cached?: {
    readonly entry: RecordingEventsEntry;
    /** The reader's routes with events in the chunk. */
    readonly routes: readonly CachedRoute[];
  };
  readonly before?: { readonly state: DecoderSnapshot | undefined };
}

/** A cached store: a chunk store, its end (grows), and the chunks it read as frames. */
export type CachedChunkStore = ChunkStore & { endSeq: number; fellBack: number };

/**
 * Recording `id`'s chunks read from its decoded-events cache — each chunk's entry and the events
 * of `routes` only (route keys, the reader's sources'), in one transaction per read — or
 * undefined when the cache is not complete for {@link DECODER_VERSION} and these
 * `chunks`/`total` lines (the caller reads frames). A chunk whose entry, or the entry of one of
 * `routes` it lists, is missing, of the wrong shape or unreadable comes as its frames with the
 * decoder's state before it (from the nearest good entry before it, decoding the chunks
 * between), so a reader falls back there with nothing lost. `fellBack` counts such chunks.
 */
export async function cachedChunkStore(
  db: StudioDatabase,
  id: string,
  chunks: number,
  total: number,
  routes: readonly string[],
): Promise<CachedChunkStore | undefined> {
  let meta;
  try {
    meta = await getEventsMeta(db, id, DECODER_VERSION);
  } catch {
    return undefined;
  }
  if (!meta || meta.chunks !== chunks || meta.lines !== total) return undefined;
  const frames = recordingChunkStore(db, id, chunks);
  const own = new Set(routes);
  /**
   * The route groups the last read brought, per route: a read mostly begins inside the group
   * the previous one ended in (reads ask for chunks, a record holds a group), which is then
   * not read again.
   */
  let held = new Map<string, readonly RecordingRouteEventsGroup[]>();
  const store: CachedChunkStore = {
    endSeq: chunks,
    fellBack: 0,
    /**
     * Chunks `[fromSeq, fromSeq + count)`: their entries and their own routes' groups in one
     * transaction. Chunks whose entry is missing are found by the entries' `nextSeq` (or, before
     * the first entry and after the last, by reading the chunks there): each comes as frames.
     */
    async read(fromSeq: number, count: number): Promise<CachedChunk[]> {
      const end = Math.min(this.endSeq, meta.chunks);
      const to = Math.min(end, fromSeq + count);
      if (fromSeq >= to) return [];
      let entries: RecordingEventsEntry[] = [];
      const parts = new Map<string, Map<number, RecordingRouteEventsEntry>>();
      try {
        const tx = db.transaction(['recordingEvents', 'recordingRouteGroups'], 'readonly');
        const byRoute = tx.objectStore('recordingRouteGroups');
        const first = routeGroupOf(fromSeq);
        const [got, ...perRoute] = await Promise.all([
          tx.objectStore('recordingEvents').getAll(eventsRange(id, DECODER_VERSION, fromSeq, to)),
          ...routes.map(async (r) => {
            const had = (held.get(r) ?? []).filter((g) => g.seq === first);
            const from = had.length > 0 ? first + ROUTE_GROUP_CHUNKS : fromSeq;
            if (from >= to) return had;
            return [
              ...had,
              ...(await byRoute.getAll(routeGroupsRange(id, DECODER_VERSION, r, from, to))),
            ];
          }),
        ]);
        entries = got;
        held = new Map(routes.map((r, k) => [r, perRoute[k]!.slice(-1)]));
        routes.forEach((r, k) => {
          const m = new Map<number, RecordingRouteEventsEntry>();
          for (const g of perRoute[k]!) {
            if (!Array.isArray(g?.entries)) continue;
            for (const e of g.entries) if (e && typeof e === 'object') m.set(e.seq, e);
          }
          parts.set(r, m);
        });
      } catch {
        // Unreadable: the chunks come as frames (below, from `fromSeq`).
        entries = [];
      }
      const out: CachedChunk[] = [];
      /** The first seq from which chunks may exist that no entry has accounted for. */
      let cursor = fromSeq;
      const fallBack = async (seqs: IDBKeyRange | number) => {
        const got =
          typeof seqs === 'number'
            ? [await db.get('recordingChunks', [id, seqs])]
            : await db.getAll('recordingChunks', seqs, count - out.length);
        for (const c of got) {
          if (!c || out.length >= count) continue;
          this.fellBack++;
          const state = await stateBefore(db, id, c.seq);
          out.push({ seq: c.seq, line0: c.line0, lines: c.lines, ts: c.ts, before: { state } });
        }
      };
      const between = (upTo: number) => IDBKeyRange.bound([id, cursor], [id, upTo], false, true);
      for (const raw of entries) {
        const seq = raw.seq;
        if (seq > cursor) await fallBack(between(seq));
        const prev = out.at(-1);
        const e = validEntry(raw, raw.line0);
        const mine = e && ownRoutes(e, own, parts);
        if (e && mine && (!prev || prev.line0 + prev.lines.length === e.line0)) {
          const n = e.ts.length;
          out.push({
            seq,
            line0: e.line0,
            lines: new Array<string>(n),
            ts: e.ts as unknown as number[],
            cached: { entry: e, routes: mine },
            bytes: cachedBytes(e, mine),
          });
          cursor = e.nextSeq;
        } else {
          await fallBack(seq);
          cursor = seq + 1;
        }
      }
      // The chunks after the last entry lost theirs (if any exist).
      if (cursor < to) await fallBack(between(to));
      return out;
    },
    seqOfLine: (line: number) => frames.seqOfLine(line),
    seqOfTime: (t: number) => frames.seqOfTime(t),
  };
  return store;
}

/**
 * Memory a cached chunk holds (its window's keep budget): the typed arrays, a slot per line of
 * its (empty) lines, and a rough figure per trade id and per event of another shape.
 */
function cachedBytes(e: RecordingEventsEntry, routes: readonly CachedRoute[]): number {
  let n = e.ts.byteLength + e.ts.length * 8;
  for (const { packed: p } of routes)
    n +=
      p.ts.byteLength +
      p.ev.byteLength +
      p.num.byteLength +
      p.ids.length * 48 +
      p.other.length * 256;
  return n;
}

/** The reader's routes that entry `e` lists, each valid; undefined when one is missing or bad. */
function ownRoutes(
  e: RecordingEventsEntry,
  own: ReadonlySet<string>,
  parts: ReadonlyMap<string, ReadonlyMap<number, RecordingRouteEventsEntry>>,
): CachedRoute[] | undefined {
  const out: CachedRoute[] = [];
  for (const route of e.routes) {
    if (!own.has(route)) continue;
    const packed = validRouteEntry(parts.get(route)?.get(e.seq), e);
    if (!packed) return undefined;
    out.push({ route, packed });
  }
  return out;
}

/**
 * The decoder's state before chunk `seq`: the nearest state stored after a chunk before it,
 * then the chunks between decoded (fresh decoder when none is there).
 */
async function stateBefore(
  db: StudioDatabase,
  id: string,
  seq: number,
): Promise<DecoderSnapshot | undefined> {
  let k = seq - 1;
  let state: DecoderSnapshot | undefined;
  for (; k >= 0; k--) {
    let s: RecordingEventsState | undefined;
    try {
      s = await db.get('recordingEventStates', [id, DECODER_VERSION, k]);
    } catch {
      continue;
    }
    if (s && s.seq === k && s.state !== undefined) {
      state = s.state as DecoderSnapshot;
      break;
    }
  }
  if (k === seq - 1) return state;
  const decoder = state ? RecordingDecoder.restore(state) : new RecordingDecoder();
  const range = IDBKeyRange.bound([id, k + 1], [id, seq], false, true);
  for (const c of await db.getAll('recordingChunks', range))
    for (let j = 0; j < c.lines.length; j++) decoder.push(c.lines[j]!, c.line0 + j + 1);
  return decoder.snapshot();
}
