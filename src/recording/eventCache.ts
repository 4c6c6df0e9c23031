import { routeKey } from '../sources/DataSourceEventEmitter.ts';
import { EventPacker, type PackedEvents } from '../runtime/ReplayEventPack.ts';
import type { StudioDatabase } from '../storage/db.ts';
import {
  deleteEventsOf,
  getEventsMeta,
  putEventsEntries,
  putEventsMeta,
} from '../storage/recordingEvents.ts';
import type { RecordingChunk, RecordingEventsEntry } from '../storage/recordingTypes.ts';
import { type DecoderSnapshot, RecordingDecoder } from './RecordingDecoder.ts';
import { getRecording, readChunks } from './recordingLibrary.ts';

/**
 * Version of what `RecordingDecoder` (with every venue adapter) makes of recorded lines. The
 * decoded-events cache is keyed by it: bump it whenever an adapter or the decoder changes what
 * a line decodes to (`eventCache.test.ts` pins the fixtures' decoded output to this number, so
 * a change without a bump fails there). A bump leaves older entries unused, never wrong.
 */
export const DECODER_VERSION = 1;

/** Chunks decoded before one write (bounds the memory the indexer holds). */
const WRITE_CHUNKS = 8;

/**
 * Chunk `c`'s lines decoded by `decoder` (in the state before its first line), packed: every
 * route's events with the entry's own route numbering, each line's receipt time, and the
 * decoder's state after the chunk. Undefined when an adapter cannot snapshot (no cache then).
 * A bad line throws the decoder's `RecordingLineError`.
 */
export function decodeChunk(
  decoder: RecordingDecoder,
  c: RecordingChunk,
  version = DECODER_VERSION,
): RecordingEventsEntry | undefined {
  const packer = new EventPacker(c.line0);
  const routes: [string, string, string][] = [];
  const index = new Map<string, number>();
  for (let k = 0; k < c.lines.length; k++) {
    packer.line(c.ts[k]!);
    for (const m of decoder.push(c.lines[k]!, c.line0 + k + 1)) {
      const key = routeKey(m.exchange, m.channel, m.symbol);
      let r = index.get(key);
      if (r === undefined) {
        r = routes.length;
        index.set(key, r);
        routes.push([m.exchange, m.channel, m.symbol]);
      }
      packer.event(r, m.event);
    }
  }
  const stateEnd = decoder.snapshot();
  if (stateEnd === undefined) return undefined;
  const { packed } = packer.finish();
  return {
    nextSeq: c.seq + 1,
    recordingId: c.recordingId,
    version,
    seq: c.seq,
    line0: c.line0,
    routes,
    packed,
    stateEnd,
  };
}

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
 * leaves the entries of a run of chunks from 0, each with the decoder's state after it; the next
 * call goes on after the last of them instead of decoding them again.
 */
export async function indexRecordingEvents(
  db: StudioDatabase,
  id: string,
  options: IndexOptions = {},
): Promise<IndexResult> {
  const r = await indexOnce(db, id, options);
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
  const keys = await db.getAllKeys(
    'recordingEvents',
    IDBKeyRange.bound([id, DECODER_VERSION, 0], [id, DECODER_VERSION, Infinity]),
  );
  let seq = 0;
  while (seq < keys.length && keys[seq]![2] === seq) seq++;
  if (seq === 0) return undefined;
  const raw = await db.get('recordingEvents', [id, DECODER_VERSION, seq - 1]);
  const e = raw && validEntry(raw, raw.line0, raw.packed?.to - raw.packed?.from);
  if (!e || e.nextSeq !== seq) return undefined;
  return {
    seq,
    line: e.packed.to,
    decoder: RecordingDecoder.restore(e.stateEnd as DecoderSnapshot),
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
  let pending: RecordingEventsEntry[] = [];
  let line = from?.line ?? 0;
  try {
    for await (const c of readChunks(db, id, from?.seq ?? 0)) {
      await o.gate?.();
      if (c.line0 !== line)
        return { done: false, reason: `chunk ${c.seq} starts at line ${c.line0}, not ${line}` };
      const e = decodeChunk(decoder, c);
      if (!e) return { done: false, reason: 'a venue adapter cannot snapshot its state' };
      // The previous entry now knows which chunk follows it.
      if (pending.length > 0) pending[pending.length - 1] = { ...pending.at(-1)!, nextSeq: c.seq };
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
  if (pending.length > 0) pending[pending.length - 1] = { ...pending.at(-1)!, nextSeq: rec.chunks };
  await putEventsEntries(db, pending);
  if (line !== rec.lines) return { done: false, reason: `read ${line} lines of ${rec.lines}` };
  const meta = { recordingId: id, version: DECODER_VERSION, chunks: rec.chunks, lines: line };
  // Deleted meanwhile: no meta (and its entries are dropped).
  if (!(await putEventsMeta(db, meta)))
    return { done: false, reason: `recording ${id} was deleted` };
  return { done: true, chunks: rec.chunks, fresh: true };
}

/**
 * Entry `e` if it has the shape {@link decodeChunk} writes for a chunk of `lines` lines starting
 * at `line0` (typed arrays, every event's line, source and numbers in bounds, lines in order);
 * undefined otherwise (a reader then reads that chunk's frames).
 */
export function validEntry(
  e: RecordingEventsEntry | undefined,
  line0: number,
  lines: number,
): (RecordingEventsEntry & { packed: PackedEvents }) | undefined {
  if (!e || typeof e !== 'object' || e.line0 !== line0 || e.stateEnd === undefined)
    return undefined;
  if (typeof e.nextSeq !== 'number' || !(e.nextSeq > e.seq)) return undefined;
  const p = e.packed as PackedEvents | undefined;
  if (!p || !Array.isArray(e.routes) || !Array.isArray(p.ids) || !Array.isArray(p.other))
    return undefined;
  if (
    !(p.ts instanceof Float64Array) ||
    !(p.ev instanceof Int32Array) ||
    !(p.num instanceof Float64Array)
  )
    return undefined;
  if (p.from !== line0 || p.to !== line0 + lines || p.ts.length !== lines || p.ev.length % 4 !== 0)
    return undefined;
  for (const r of e.routes)
    if (!Array.isArray(r) || r.length !== 3 || !r.every((x) => typeof x === 'string'))
      return undefined;
  let last = line0;
  for (let j = 0; j < p.ev.length; j += 4) {
    const ln = p.ev[j]!;
    const src = p.ev[j + 1]!;
    const at = p.ev[j + 2]!;
    const kind = p.ev[j + 3]!;
    if (ln < last || ln >= p.to || src < 0 || src >= e.routes.length) return undefined;
    if (at < 0 || at >= p.num.length || kind < 0 || kind > 3) return undefined;
    if (kind === 3 && !(p.num[at]! >= 0 && p.num[at]! < p.other.length)) return undefined;
    last = ln;
  }
  return e as RecordingEventsEntry & { packed: PackedEvents };
}

/** The decoder state before line `line0` carried by a fallback chunk (see `cachedChunkStore`). */
export type StateBefore = DecoderSnapshot | undefined;
