import type { PackedEvents } from '../runtime/ReplayEventPack.ts';
import type { StudioDatabase } from '../storage/db.ts';
import { getEventsMeta } from '../storage/recordingEvents.ts';
import type { RecordingEventsEntry } from '../storage/recordingTypes.ts';
import type { ChunkStore, LineChunk } from './ChunkWindow.ts';
import { recordingChunkStore } from './chunkStores.ts';
import { DECODER_VERSION, validEntry } from './eventCache.ts';
import { type DecoderSnapshot, RecordingDecoder } from './RecordingDecoder.ts';

/**
 * A chunk as the cached store gives it: either its decoded events (`cached`; `lines` is then a
 * sparse array of the right length, never read) or, its entry missing or corrupt, its frames
 * with the decoder's state before its first line (`before`; undefined state: a fresh decoder).
 */
export interface CachedChunk extends LineChunk {
  readonly cached?: RecordingEventsEntry & { readonly packed: PackedEvents };
  readonly before?: { readonly state: DecoderSnapshot | undefined };
}

/**
 * Recording `id`'s chunks read from its decoded-events cache, or undefined when the cache is not
 * complete for {@link DECODER_VERSION} and these `chunks`/`total` lines (the caller reads frames).
 * A chunk whose entry is missing, of the wrong shape or unreadable comes as its frames with the
 * decoder's state before it (from the nearest good entry before it, decoding the chunks
 * between), so a reader falls back there with nothing lost. `fellBack` counts such chunks.
 */
export async function cachedChunkStore(
  db: StudioDatabase,
  id: string,
  chunks: number,
  total: number,
): Promise<(ChunkStore & { endSeq: number; fellBack: number }) | undefined> {
  let meta;
  try {
    meta = await getEventsMeta(db, id, DECODER_VERSION);
  } catch {
    return undefined;
  }
  if (!meta || meta.chunks !== chunks || meta.lines !== total) return undefined;
  const frames = recordingChunkStore(db, id, chunks);
  const store = {
    endSeq: chunks,
    fellBack: 0,
    /**
     * One request for the entries of up to `count` chunks from `fromSeq`. Chunks whose entry is
     * missing are found by the entries' `nextSeq` (or, before the first entry and after the
     * last, by reading the chunks there): each comes as its frames.
     */
    async read(fromSeq: number, count: number): Promise<CachedChunk[]> {
      const end = Math.min(this.endSeq, meta.chunks);
      if (fromSeq >= end || count <= 0) return [];
      let entries: RecordingEventsEntry[] = [];
      try {
        const range = IDBKeyRange.bound(
          [id, DECODER_VERSION, fromSeq],
          [id, DECODER_VERSION, end],
          false,
          true,
        );
        entries = await db.getAll('recordingEvents', range, count);
      } catch {
        // Unreadable: the chunks come as frames (below, from `fromSeq`).
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
      const between = (to: number) => IDBKeyRange.bound([id, cursor], [id, to], false, true);
      for (const raw of entries) {
        if (out.length >= count) break;
        const seq = raw.seq;
        if (seq > cursor) await fallBack(between(seq));
        if (out.length >= count) break;
        const e = validEntry(raw, raw.line0, raw.packed?.to - raw.packed?.from);
        const prev = out.at(-1);
        if (e && (!prev || prev.line0 + prev.lines.length === e.line0)) {
          const n = e.packed.to - e.packed.from;
          out.push({
            seq,
            line0: e.line0,
            lines: new Array<string>(n),
            ts: e.packed.ts as unknown as number[],
            cached: e,
          });
          cursor = e.nextSeq;
        } else {
          await fallBack(seq);
          cursor = seq + 1;
        }
      }
      // Fewer entries than asked: the chunks after the last one lost theirs (if any exist).
      if (entries.length < count && out.length < count && cursor < end)
        await fallBack(between(end));
      return out;
    },
    seqOfLine: (line: number) => frames.seqOfLine(line),
    seqOfTime: (t: number) => frames.seqOfTime(t),
  };
  return store;
}

/**
 * The decoder's state before chunk `seq`: the state after the nearest valid entry before it,
 * then the chunks between decoded (fresh decoder when none is valid).
 */
async function stateBefore(
  db: StudioDatabase,
  id: string,
  seq: number,
): Promise<DecoderSnapshot | undefined> {
  let k = seq - 1;
  let state: DecoderSnapshot | undefined;
  for (; k >= 0; k--) {
    let e: RecordingEventsEntry | undefined;
    try {
      e = await db.get('recordingEvents', [id, DECODER_VERSION, k]);
    } catch {
      continue;
    }
    if (e && validEntry(e, e.line0, e.packed?.to - e.packed?.from)) {
      state = e.stateEnd as DecoderSnapshot;
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
