// One transaction of RecordingWriter: a group of consecutive chunks and the metadata that
// describes them, so the metadata always says exactly which chunks are stored.
import type { StudioDatabase } from '../storage/db.ts';
import type { RecordingMeta } from '../storage/recordingTypes.ts';

/** A cut chunk waiting for its transaction. */
export interface CutChunk {
  readonly lines: string[];
  readonly ts: number[];
  readonly outs: string[];
  readonly counts: { frames: number; simEvents: number; markers: number };
}

/** Total size counted for a line: its characters plus its timestamp. */
const lineBytes = (text: string): number => text.length + 8;

/** What the metadata takes from the writer besides the chunks: its venue and symbol sets, the time. */
export interface MetaUpdate {
  readonly venues: ReadonlySet<string>;
  readonly symbols: ReadonlySet<string>;
  readonly updatedAt: number;
}

/** The metadata once `group` is stored after the chunks `m` describes. */
export function metaAfter(
  m: RecordingMeta,
  group: readonly CutChunk[],
  u: MetaUpdate,
): RecordingMeta {
  let lines = m.lines;
  let bytes = m.bytes;
  let outputs = m.outputs;
  let startTs = m.startTs;
  let endTs = m.endTs;
  const counts = { frames: m.frames, simEvents: m.simEvents, markers: m.markers };
  for (const c of group) {
    for (const text of c.lines) bytes += lineBytes(text);
    for (const text of c.outs) bytes += text.length;
    lines += c.lines.length;
    outputs += c.outs.length;
    if (c.ts.length > 0) {
      startTs ??= c.ts[0]!;
      endTs = c.ts[c.ts.length - 1]!;
    }
    counts.frames += c.counts.frames;
    counts.simEvents += c.counts.simEvents;
    counts.markers += c.counts.markers;
  }
  return {
    ...m,
    updatedAt: u.updatedAt,
    venues: [...u.venues].sort(),
    symbols: [...u.symbols].sort(),
    startTs,
    endTs,
    lines,
    ...counts,
    outputs,
    chunks: m.chunks + group.length,
    bytes,
  };
}

/**
 * Store `group` (the chunks after those `m` describes, numbered on from `m.chunks`) and `next`
 * in one transaction, whose requests are all made before this returns; the promise settles when
 * it commits, or rejects with why it did not (storage full, or aborted because the stored
 * metadata is not `m`: the previous transaction failed, and no chunk may land after a gap).
 */
export function storeChunkGroup(
  db: StudioDatabase,
  m: RecordingMeta,
  next: RecordingMeta,
  group: readonly CutChunk[],
): Promise<void> {
  // Relaxed durability: a recording tolerates losing the last second on a power cut, and
  // it roughly doubles write throughput (research/performance.md §4).
  const tx = db.transaction(['recordingChunks', 'recordingOutputs', 'recordings'], 'readwrite', {
    durability: 'relaxed',
  });
  const metaStore = tx.objectStore('recordings');
  // The previous transaction may still be committing. Should it fail (storage full), this
  // one must not store a chunk after the gap: it checks, in its own transaction, that the
  // metadata is what it builds on, and aborts otherwise.
  // Requests of an aborted transaction fail with it: `tx.done` says why, once.
  const quiet = () => undefined;
  metaStore
    .get(m.id)
    .then((stored) => {
      if (stored?.chunks !== m.chunks) tx.abort();
    })
    .catch(quiet);
  const chunks = tx.objectStore('recordingChunks');
  let line0 = m.lines;
  for (let k = 0; k < group.length; k++) {
    const c = group[k]!;
    const key = { recordingId: m.id, seq: m.chunks + k };
    const starts = { line0, ...(c.ts.length > 0 ? { ts0: c.ts[0]! } : {}) };
    chunks.put({ ...key, ...starts, lines: c.lines, ts: c.ts }).catch(quiet);
    if (c.outs.length > 0)
      tx.objectStore('recordingOutputs')
        .put({ ...key, lines: c.outs })
        .catch(quiet);
    line0 += c.lines.length;
  }
  metaStore.put(next).catch(quiet);
  return tx.done;
}
