import type { StudioDatabase } from './db.ts';
import type { RecordingEventsEntry, RecordingEventsMeta } from './recordingTypes.ts';

/** Every key of recording `id` in a store keyed `[id, …]` (any version, any seq). */
const allOf = (id: string) => IDBKeyRange.bound([id], [id, []]);

/** Write chunk entries of the decoded-events cache (one transaction). */
export async function putEventsEntries(
  db: StudioDatabase,
  entries: readonly RecordingEventsEntry[],
): Promise<void> {
  const tx = db.transaction('recordingEvents', 'readwrite');
  await Promise.all([...entries.map((e) => tx.store.put(e)), tx.done]);
}

/**
 * The cache entries of chunks `[fromSeq, fromSeq + count)` for `version`, by seq: a chunk
 * without an entry is absent from the map (the caller reads its frames instead).
 */
export async function getEventsEntries(
  db: StudioDatabase,
  id: string,
  version: number,
  fromSeq: number,
  count: number,
): Promise<Map<number, RecordingEventsEntry>> {
  const range = IDBKeyRange.bound(
    [id, version, fromSeq],
    [id, version, fromSeq + count],
    false,
    true,
  );
  const got = await db.getAll('recordingEvents', range);
  return new Map(got.map((e) => [e.seq, e]));
}

/**
 * Say that every chunk of `meta.recordingId` has its entry for `meta.version` — only while the
 * recording is still stored (one transaction with its deletion's store), so an indexing that a
 * delete overtook leaves no meta behind. False when the recording is gone.
 */
export async function putEventsMeta(
  db: StudioDatabase,
  meta: RecordingEventsMeta,
): Promise<boolean> {
  const tx = db.transaction(['recordings', 'recordingEventsMeta'], 'readwrite');
  const there = (await tx.objectStore('recordings').getKey(meta.recordingId)) !== undefined;
  if (there) await tx.objectStore('recordingEventsMeta').put(meta);
  await tx.done;
  return there;
}

export function getEventsMeta(
  db: StudioDatabase,
  id: string,
  version: number,
): Promise<RecordingEventsMeta | undefined> {
  return db.get('recordingEventsMeta', [id, version]);
}

/** Drop recording `id`'s cache, every version (the meta first: a half-deleted cache is unused). */
export async function deleteEventsOf(db: StudioDatabase, id: string): Promise<void> {
  const tx = db.transaction(['recordingEventsMeta', 'recordingEvents'], 'readwrite');
  await Promise.all([
    tx.objectStore('recordingEventsMeta').delete(allOf(id)),
    tx.objectStore('recordingEvents').delete(allOf(id)),
    tx.done,
  ]);
}
