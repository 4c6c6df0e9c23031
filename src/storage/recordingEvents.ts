import type { StudioDatabase } from './db.ts';
import type {
  RecordingEventsEntry,
  RecordingEventsMeta,
  RecordingEventsState,
  RecordingRouteEventsEntry,
} from './recordingTypes.ts';

/** Every key of recording `id` in a store keyed `[id, …]` (any version, any seq). */
const allOf = (id: string) => IDBKeyRange.bound([id], [id, []]);

/** One chunk of the decoded-events cache: its entry, its routes' events, the decoder's state after it. */
export interface EventsChunk {
  readonly entry: RecordingEventsEntry;
  readonly routes: readonly RecordingRouteEventsEntry[];
  readonly state: RecordingEventsState;
}

/** Write chunks of the decoded-events cache, each with its routes and state (one transaction). */
export async function putEventsEntries(
  db: StudioDatabase,
  chunks: readonly EventsChunk[],
): Promise<void> {
  const tx = db.transaction(
    ['recordingEvents', 'recordingRouteEvents', 'recordingEventStates'],
    'readwrite',
  );
  const entries = tx.objectStore('recordingEvents');
  const routes = tx.objectStore('recordingRouteEvents');
  const states = tx.objectStore('recordingEventStates');
  await Promise.all([
    ...chunks.flatMap((c) => [
      entries.put(c.entry),
      states.put(c.state),
      ...c.routes.map((r) => routes.put(r)),
    ]),
    tx.done,
  ]);
}

/** Keys of chunks `[fromSeq, toSeq)` of recording `id`, `version`, in `recordingEvents`. */
export function eventsRange(id: string, version: number, fromSeq: number, toSeq: number) {
  return IDBKeyRange.bound([id, version, fromSeq], [id, version, toSeq], false, true);
}

/** Keys of chunks `[fromSeq, toSeq)` of one route in `recordingRouteEvents`. */
export function routeEventsRange(
  id: string,
  version: number,
  route: string,
  fromSeq: number,
  toSeq: number,
) {
  return IDBKeyRange.bound([id, version, route, fromSeq], [id, version, route, toSeq], false, true);
}

/**
 * The cache chunks `[fromSeq, fromSeq + count)` for `version`, by seq, each with all its routes'
 * events: a chunk without an entry is absent from the map (the caller reads its frames instead).
 */
export async function getEventsEntries(
  db: StudioDatabase,
  id: string,
  version: number,
  fromSeq: number,
  count: number,
): Promise<Map<number, EventsChunk>> {
  const got = await db.getAll(
    'recordingEvents',
    eventsRange(id, version, fromSeq, fromSeq + count),
  );
  const out = new Map<number, EventsChunk>();
  for (const entry of got) {
    const routes = await Promise.all(
      entry.routes.map((r) => db.get('recordingRouteEvents', [id, version, r, entry.seq])),
    );
    const state = (await db.get('recordingEventStates', [id, version, entry.seq])) ?? {
      recordingId: id,
      version,
      seq: entry.seq,
      state: undefined,
    };
    out.set(entry.seq, {
      entry,
      routes: routes.filter((r): r is RecordingRouteEventsEntry => r !== undefined),
      state,
    });
  }
  return out;
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

/** The stores of the decoded-events cache, meta first (a half-deleted cache is unused). */
export const EVENT_CACHE_STORES = [
  'recordingEventsMeta',
  'recordingEvents',
  'recordingRouteEvents',
  'recordingEventStates',
] as const;

/** Drop recording `id`'s cache, every version (the meta first: a half-deleted cache is unused). */
export async function deleteEventsOf(db: StudioDatabase, id: string): Promise<void> {
  const tx = db.transaction(EVENT_CACHE_STORES, 'readwrite');
  await Promise.all([
    ...EVENT_CACHE_STORES.map((s) => tx.objectStore(s).delete(allOf(id))),
    tx.done,
  ]);
}
