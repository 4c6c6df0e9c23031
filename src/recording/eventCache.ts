import type { StudioDatabase } from '../storage/db.ts';
import {
  deleteEventsOf,
  type EventsChunk,
  eventsRange,
  getEventsMeta,
  putEventsEntries,
  putEventsMeta,
  ROUTE_GROUP_CHUNKS,
} from '../storage/recordingEvents.ts';
import { DECODER_VERSION, decodeChunk, entryLines, validEntry } from './eventCacheEntry.ts';
import { type DecoderSnapshot, RecordingDecoder } from './RecordingDecoder.ts';
import { getRecording, readChunks } from './recordingLibrary.ts';

export { DECODER_VERSION, decodeChunk, validEntry, validRouteEntry } from './eventCacheEntry.ts';

/**
 * Chunks decoded before one write (bounds the memory the indexer holds): one route group, so
 * each write fills whole groups' records from 0 (a write that does not is merged, see
 * `putEventsEntries`).
 */
const WRITE_CHUNKS = ROUTE_GROUP_CHUNKS;

/** What {@link indexRecordingEvents} did. */
export type IndexResult =
  | { readonly done: true; readonly chunks: number; readonly fresh: boolean }
  | { readonly done: false; readonly reason: string };

/** How {@link indexRecordingEvents} runs. */
export interface IndexOptions {
  /**
   * Awaited before each chunk is decoded: the indexing worker holds here while a replay reads
   * (`session/worker/indexGate.ts`), and goes on where it stopped.
   */
  readonly gate?: () => Promise<void>;
}

/**
 * Build recording `id`'s decoded-events cache for {@link DECODER_VERSION}: decode every line
 * once from line 0 (for every route: a replay worker decodes only its own sources' lines, so it
 * cannot say a route it skipped has none), write each chunk's entry, then the meta row that
 * makes readers use it. Only closed recordings (a growing one would be indexed short). A bad
 * line or an adapter without snapshots stops it with the reason, and no meta is written:
 * replays keep reading frames, which report the line as they always did.
 *
 * Resumable: an indexing stopped short (its worker terminated with the replay that started it)
 * leaves the entries of a run of chunks from 0, each written with its routes and the decoder's
 * state after it; the next call goes on after the last of them instead of decoding them again.
 */
export async function indexRecordingEvents(
  db: StudioDatabase,
  id: string,
  options: IndexOptions = {},
): Promise<IndexResult> {
  // A write that fails (the quota, a closing database) stops it like a bad line.
  const r = await indexOnce(db, id, options).catch((err: unknown): IndexResult => ({
    done: false,
    reason: (err as Error).message,
  }));
  // Entries written before it stopped are of no use (no meta): drop them.
  if (!r.done) await deleteEventsOf(db, id).catch(() => undefined);
  return r;
}

/**
 * Where an indexing stopped short left off: the chunks `[0, seq)` have entries (keys read, not
 * values), and the last one is sound; undefined to start from 0.
 */
async function resumePoint(
  db: StudioDatabase,
  id: string,
): Promise<{ seq: number; line: number; decoder: RecordingDecoder } | undefined> {
  // A chunk's entry and its routes' entries are written in one transaction: the entries say
  // which chunks are complete.
  const keys = await db.getAllKeys(
    'recordingEvents',
    eventsRange(id, DECODER_VERSION, 0, Infinity),
  );
  let seq = 0;
  while (seq < keys.length && keys[seq]![2] === seq) seq++;
  if (seq === 0) return undefined;
  const raw = await db.get('recordingEvents', [id, DECODER_VERSION, seq - 1]);
  const e = raw && validEntry(raw, raw.line0);
  const s = await db.get('recordingEventStates', [id, DECODER_VERSION, seq - 1]);
  if (!e || e.nextSeq !== seq || s?.state === undefined) return undefined;
  return {
    seq,
    line: e.line0 + entryLines(e),
    decoder: RecordingDecoder.restore(s.state as DecoderSnapshot),
  };
}

async function indexOnce(db: StudioDatabase, id: string, o: IndexOptions): Promise<IndexResult> {
  const rec = await getRecording(db, id);
  if (!rec) return { done: false, reason: `no recording ${id}` };
  if (rec.status !== 'complete' && rec.status !== 'stopped')
    return { done: false, reason: `recording ${id} is ${rec.status}` };
  if (await getEventsMeta(db, id, DECODER_VERSION))
    return { done: true, chunks: rec.chunks, fresh: false };
  const from = await resumePoint(db, id);
  const decoder = from?.decoder ?? new RecordingDecoder();
  let pending: EventsChunk[] = [];
  let line = from?.line ?? 0;
  try {
    for await (const c of readChunks(db, id, from?.seq ?? 0)) {
      await o.gate?.();
      if (c.line0 !== line)
        return { done: false, reason: `chunk ${c.seq} starts at line ${c.line0}, not ${line}` };
      const e = decodeChunk(decoder, c);
      if (!e) return { done: false, reason: 'a venue adapter cannot snapshot its state' };
      // The previous entry now knows which chunk follows it.
      if (pending.length > 0) pending[pending.length - 1] = followedBy(pending.at(-1)!, c.seq);
      pending.push(e);
      line += c.lines.length;
      if (pending.length > WRITE_CHUNKS) {
        await putEventsEntries(db, pending.slice(0, -1));
        pending = pending.slice(-1);
      }
    }
  } catch (err) {
    return { done: false, reason: (err as Error).message };
  }
  if (pending.length > 0) pending[pending.length - 1] = followedBy(pending.at(-1)!, rec.chunks);
  await putEventsEntries(db, pending);
  if (line !== rec.lines) return { done: false, reason: `read ${line} lines of ${rec.lines}` };
  const meta = { recordingId: id, version: DECODER_VERSION, chunks: rec.chunks, lines: line };
  // Deleted meanwhile: no meta (and its entries are dropped).
  if (!(await putEventsMeta(db, meta)))
    return { done: false, reason: `recording ${id} was deleted` };
  return { done: true, chunks: rec.chunks, fresh: true };
}

const followedBy = (c: EventsChunk, nextSeq: number): EventsChunk => ({
  ...c,
  entry: { ...c.entry, nextSeq },
});

/** The decoder state before line `line0` carried by a fallback chunk (see `cachedChunkStore`). */
export type StateBefore = DecoderSnapshot | undefined;
