import type { StudioDatabase } from '../storage/db.ts';
import { EVENT_CACHE_STORES } from '../storage/recordingEvents.ts';
import type {
  RecordingChunk,
  RecordingMeta,
  RecordingOutputChunk,
} from '../storage/recordingTypes.ts';

/** Chunks fetched per read request: few round trips, bounded memory. */
const READ_BATCH = 32;

/** `[id, from] … [id, ∞)`: one recording's chunks in seq order. */
function chunkRange(id: string, fromSeq = 0): IDBKeyRange {
  return IDBKeyRange.bound([id, fromSeq], [id, Infinity]);
}

/** The library, newest first. Imports not yet committed are not listed. */
export async function listRecordings(db: StudioDatabase): Promise<RecordingMeta[]> {
  const all = await db.getAllFromIndex('recordings', 'createdAt');
  return all.reverse().filter((r) => r.status !== 'importing');
}

export function getRecording(db: StudioDatabase, id: string): Promise<RecordingMeta | undefined> {
  return db.get('recordings', id);
}

export async function renameRecording(
  db: StudioDatabase,
  id: string,
  name: string,
  now = Date.now(),
): Promise<void> {
  const tx = db.transaction('recordings', 'readwrite');
  const rec = await tx.store.get(id);
  if (!rec) throw new Error(`no recording "${id}"`);
  await tx.store.put({ ...rec, name, updatedAt: now });
  await tx.done;
}

/**
 * Its recorder failed before closing it: mark the recording `stopped`, naming `reason`, and return
 * what it holds (the metadata describes exactly the chunks stored: nothing stored is dropped). A
 * recording that closed after all is left as it is.
 */
export async function markRecordingFailed(
  db: StudioDatabase,
  id: string,
  reason: string,
  now = Date.now(),
): Promise<RecordingMeta | undefined> {
  const tx = db.transaction('recordings', 'readwrite');
  const rec = await tx.store.get(id);
  if (rec?.status !== 'recording') {
    await tx.done;
    return rec;
  }
  const next: RecordingMeta = { ...rec, status: 'stopped', stopReason: reason, updatedAt: now };
  await tx.store.put(next);
  await tx.done;
  return next;
}

/** Delete a recording with all its chunks and cached events, in one transaction (all or nothing). */
export async function deleteRecording(db: StudioDatabase, id: string): Promise<void> {
  const tx = db.transaction(
    ['recordings', 'recordingChunks', 'recordingOutputs', ...EVENT_CACHE_STORES],
    'readwrite',
  );
  const cache = IDBKeyRange.bound([id], [id, []]);
  await Promise.all([
    ...EVENT_CACHE_STORES.map((s) => tx.objectStore(s).delete(cache)),
    tx.objectStore('recordingChunks').delete(chunkRange(id)),
    tx.objectStore('recordingOutputs').delete(chunkRange(id)),
    tx.objectStore('recordings').delete(id),
    tx.done,
  ]);
}

/**
 * One recording's chunks in order, from chunk `fromSeq`, fetched {@link READ_BATCH} at a time.
 * Stops at the chunk count the metadata had when reading began, so a recording still being
 * written reads as a consistent prefix.
 */
export async function* readChunks(
  db: StudioDatabase,
  id: string,
  fromSeq = 0,
): AsyncGenerator<RecordingChunk> {
  const meta = await getRecording(db, id);
  const end = meta?.chunks ?? 0;
  for (let seq = fromSeq; seq < end;) {
    const batch = await db.getAll('recordingChunks', chunkRange(id, seq), READ_BATCH);
    if (batch.length === 0) return;
    for (const c of batch) if (c.seq < end) yield c;
    seq = batch[batch.length - 1]!.seq + 1;
  }
}

/**
 * Chunks `[fromSeq, endSeq)` of a recording that exist, at most `count`, in one request: the
 * streaming reader's read-ahead (bounded memory however long the recording). `signal` aborts
 * the read's transaction (the promise rejects): a read nobody wants any more is not
 * deserialized on the reader's thread, where it would hold up what comes next (a seek).
 */
export function readChunkRange(
  db: StudioDatabase,
  id: string,
  fromSeq: number,
  count: number,
  endSeq = Infinity,
  signal?: AbortSignal,
): Promise<RecordingChunk[]> {
  if (fromSeq >= endSeq || count <= 0) return Promise.resolve([]);
  const range = IDBKeyRange.bound([id, fromSeq], [id, endSeq], false, true);
  if (!signal) return db.getAll('recordingChunks', range, count);
  if (signal.aborted) return Promise.reject(new DOMException('read aborted', 'AbortError'));
  const tx = db.transaction('recordingChunks');
  // Aborting rejects `done` too: the read's own promise says so, once.
  tx.done.catch(() => undefined);
  const abort = () => {
    try {
      tx.abort();
    } catch {
      // Finished already: its result is dropped by the caller.
    }
  };
  signal.addEventListener('abort', abort, { once: true });
  return tx.store.getAll(range, count).finally(() => signal.removeEventListener('abort', abort));
}

/** The recorded outputs of chunks `[fromSeq, endSeq)`, at most `count` (chunks without outputs have none). */
export function readOutputRange(
  db: StudioDatabase,
  id: string,
  fromSeq: number,
  count: number,
  endSeq = Infinity,
): Promise<RecordingOutputChunk[]> {
  if (fromSeq >= endSeq || count <= 0) return Promise.resolve([]);
  const range = IDBKeyRange.bound([id, fromSeq], [id, endSeq], false, true);
  return db.getAll('recordingOutputs', range, count);
}

/**
 * Seq of the chunk holding line `line` (the last chunk starting at or before it), through the
 * `line` index: one key lookup, no chunk read. 0 when there is none.
 */
export function chunkSeqOfLine(db: StudioDatabase, id: string, line: number): Promise<number> {
  return lastChunkAtOrBefore(db, 'line', id, line);
}

/** Seq of the last chunk whose first line was received at or before `t` (0 if none), by index. */
export function chunkSeqOfTime(db: StudioDatabase, id: string, t: number): Promise<number> {
  return lastChunkAtOrBefore(db, 'time', id, t);
}

async function lastChunkAtOrBefore(
  db: StudioDatabase,
  index: 'line' | 'time',
  id: string,
  at: number,
): Promise<number> {
  const range = IDBKeyRange.bound([id, -Infinity], [id, at]);
  const tx = db.transaction('recordingChunks');
  const cursor = await tx.store.index(index).openKeyCursor(range, 'prev');
  return cursor ? cursor.primaryKey[1] : 0;
}

/** Remove imports a closed tab left uncommitted (status `importing`). */
export async function dropStaleImports(db: StudioDatabase, olderThanMs: number): Promise<void> {
  const all = await db.getAll('recordings');
  for (const r of all)
    if (r.status === 'importing' && r.updatedAt < olderThanMs) await deleteRecording(db, r.id);
}
