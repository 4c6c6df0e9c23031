import type { StudioDatabase } from './db.ts';
import type {
  RecordingEventsEntry,
  RecordingEventsMeta,
  RecordingEventsState,
  RecordingRouteEventsEntry,
  RecordingRouteEventsGroup,
} from './recordingTypes.ts';

/**
 * Chunks one route record covers (v7): the group of chunk `seq` starts at
 * {@link routeGroupOf}`(seq)`. Eight SIM book chunks make ~0.5 MB, a size Chromium's IndexedDB
 * reads about twice as fast per byte as one ~60 kB record a chunk (bench `cache-probe`, 2026-12-05:
 * 100 records of 60 kB 31–34 ms, 10 of 600 kB 17 ms), and a seek reads one group, not two chunks.
 */
export const ROUTE_GROUP_CHUNKS = 8;

/** The first chunk of the route group holding chunk `seq`. */
export const routeGroupOf = (seq: number): number => seq - (seq % ROUTE_GROUP_CHUNKS);

/** Every key of recording `id` in a store keyed `[id, …]` (any version, any seq). */
const allOf = (id: string) => IDBKeyRange.bound([id], [id, []]);

/** One chunk of the decoded-events cache: its entry, its routes' events, the decoder's state after it. */
export interface EventsChunk {
  readonly entry: RecordingEventsEntry;
  readonly routes: readonly RecordingRouteEventsEntry[];
  readonly state: RecordingEventsState;
}

/**
 * Write chunks of the decoded-events cache, each with its routes and state (one transaction).
 * Route entries go into their groups' records, merged with what a group holds already (a write
 * need not cover whole groups; the indexer's do, so the merge reads nothing to speak of).
 */
export async function putEventsEntries(
  db: StudioDatabase,
  chunks: readonly EventsChunk[],
): Promise<void> {
  const tx = db.transaction(
    ['recordingEvents', 'recordingRouteGroups', 'recordingEventStates'],
    'readwrite',
  );
  const entries = tx.objectStore('recordingEvents');
  const groups = tx.objectStore('recordingRouteGroups');
  const states = tx.objectStore('recordingEventStates');
  const byGroup = new Map<string, RecordingRouteEventsEntry[]>();
  for (const c of chunks)
    for (const r of c.routes) {
      const key = JSON.stringify([r.recordingId, r.version, r.route, routeGroupOf(r.seq)]);
      byGroup.set(key, [...(byGroup.get(key) ?? []), r]);
    }
  const putGroup = async (list: RecordingRouteEventsEntry[]) => {
    const { recordingId, version, route, seq } = list[0]!;
    const g0 = routeGroupOf(seq);
    const had = await groups.get([recordingId, version, route, g0]);
    const fresh = new Set(list.map((r) => r.seq));
    const merged = [...(had?.entries ?? []).filter((r) => !fresh.has(r.seq)), ...list];
    merged.sort((a, b) => a.seq - b.seq);
    const group: RecordingRouteEventsGroup = {
      recordingId,
      version,
      route,
      seq: g0,
      entries: merged,
    };
    await groups.put(group);
  };
  await Promise.all([
    ...chunks.flatMap((c) => [entries.put(c.entry), states.put(c.state)]),
    ...[...byGroup.values()].map(putGroup),
    tx.done,
  ]);
}

/** Keys of chunks `[fromSeq, toSeq)` of recording `id`, `version`, in `recordingEvents`. */
export function eventsRange(id: string, version: number, fromSeq: number, toSeq: number) {
  return IDBKeyRange.bound([id, version, fromSeq], [id, version, toSeq], false, true);
}

/** Keys of the route groups holding chunks `[fromSeq, toSeq)` of one route in `recordingRouteGroups`. */
export function routeGroupsRange(
  id: string,
  version: number,
  route: string,
  fromSeq: number,
  toSeq: number,
) {
  const from = routeGroupOf(fromSeq);
  return IDBKeyRange.bound([id, version, route, from], [id, version, route, toSeq], false, true);
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
      entry.routes.map(async (r) => {
        const g = await db.get('recordingRouteGroups', [id, version, r, routeGroupOf(entry.seq)]);
        return g?.entries.find((e) => e.seq === entry.seq);
      }),
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
  'recordingRouteGroups',
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
