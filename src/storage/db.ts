import {
  type DBSchema,
  type IDBPDatabase,
  type IDBPTransaction,
  openDB,
  type StoreNames,
} from 'idb';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { EmbeddedDefinition } from '../core/userdef/embeddedDefinitions.ts';
import type {
  RecordingChunk,
  RecordingEventsEntry,
  RecordingEventsMeta,
  RecordingEventsState,
  RecordingMeta,
  RecordingRouteEventsGroup,
  RecordingOutputChunk,
} from './recordingTypes.ts';

/** The studio's IndexedDB database name. */
export const DB_NAME = 'featurizer-studio';
/**
 * Schema version. Bump it and add a step to {@link upgrade} for every new store; existing data
 * is never lost on upgrade. v2 added the recordings library; v3 indexes recording chunks by first
 * line and first receipt time (replay streams chunks and seeks without scanning); v4 adds the
 * user's feature definitions ("My features"); v5 adds the decoded-events cache of replay
 * (`recordingEvents`, `recordingEventsMeta`); v6 splits that cache by route
 * (`recordingRouteEvents`; each replay worker reads only its own routes' events) and keeps the
 * decoder's states apart (`recordingEventStates`: only a fallback reads them), clearing the
 * v5 entries (derived data, rebuilt by the next replay; nothing the user made is touched); v7
 * stores each route's events by groups of chunks (`recordingRouteGroups`, replacing
 * `recordingRouteEvents`: fewer, bigger records read faster), clearing the v6 cache likewise.
 */
export const DB_VERSION = 7;

/** A saved user feature definition (v4): the embedded form plus list metadata. */
export interface UserDefinitionRecord extends EmbeddedDefinition {
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A saved pipeline: the document plus list metadata. */
export interface PipelineRecord {
  readonly id: string;
  readonly name: string;
  readonly doc: PipelineDoc;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Typed schema: every store and index the studio uses. */
export interface StudioDB extends DBSchema {
  pipelines: {
    key: string;
    value: PipelineRecord;
    indexes: { updatedAt: number };
  };
  /** Small key/value settings, e.g. the last opened pipeline id. */
  meta: { key: string; value: unknown };
  /** One record per recording: what the library lists (v2). */
  recordings: { key: string; value: RecordingMeta; indexes: { createdAt: number } };
  /**
   * Recorded lines, chunked (never one record per line), keyed `[recordingId, seq]` (v2); indexed
   * by `[recordingId, line0]` and `[recordingId, ts0]` (v3) to find the chunk of a line or time.
   */
  recordingChunks: {
    key: [string, number];
    value: RecordingChunk;
    indexes: { line: [string, number]; time: [string, number] };
  };
  /** Recorded feature outputs, chunk `seq` holding what chunk `seq`'s lines produced (v2). */
  recordingOutputs: { key: [string, number]; value: RecordingOutputChunk };
  /** The user's feature definitions, keyed by definition name (v4). */
  userDefinitions: { key: string; value: UserDefinitionRecord };
  /**
   * The decoded-events cache (v5; v6 layout): chunk `seq`'s routes and line times,
   * keyed `[recordingId, decoderVersion, seq]`. Derived data: deleting it loses nothing.
   */
  recordingEvents: { key: [string, number, number]; value: RecordingEventsEntry };
  /** The decoder's state after chunk `seq`, keyed `[recordingId, version, seq]` (v6). */
  recordingEventStates: { key: [string, number, number]; value: RecordingEventsState };
  /**
   * Each route's decoded events of a group of chunks from `seq`, keyed
   * `[recordingId, version, route, seq]` (v7; v6 had one record a chunk, `recordingRouteEvents`).
   */
  recordingRouteGroups: {
    key: [string, number, string, number];
    value: RecordingRouteEventsGroup;
  };
  /** Per recording and decoder version, written once every chunk's entry is (v5). */
  recordingEventsMeta: { key: [string, number]; value: RecordingEventsMeta };
}

export type StudioDatabase = IDBPDatabase<StudioDB>;

/**
 * Open (creating or upgrading) the studio database. The only module that imports `idb`: other
 * storage modules take the opened handle, so tests can open a fresh database per case.
 */
export function openStudioDb(name = DB_NAME): Promise<StudioDatabase> {
  return openDB<StudioDB>(name, DB_VERSION, { upgrade });
}

type UpgradeTx = IDBPTransaction<StudioDB, StoreNames<StudioDB>[], 'versionchange'>;

/**
 * Migrations run in order from the stored version; each step only adds (stores, indexes, fields),
 * except that v6 and v7 clear the decoded-events cache (derived from the recordings, rebuilt).
 */
function upgrade(
  db: IDBPDatabase<StudioDB>,
  oldVersion: number,
  _newVersion: number | null,
  tx: UpgradeTx,
): void {
  // Every step whose version is above the stored one runs, in order (0 needs them all).
  if (oldVersion < 1) {
    const pipelines = db.createObjectStore('pipelines', { keyPath: 'id' });
    pipelines.createIndex('updatedAt', 'updatedAt');
    db.createObjectStore('meta');
  }
  if (oldVersion < 2) {
    const recordings = db.createObjectStore('recordings', { keyPath: 'id' });
    recordings.createIndex('createdAt', 'createdAt');
    db.createObjectStore('recordingChunks', { keyPath: ['recordingId', 'seq'] });
    db.createObjectStore('recordingOutputs', { keyPath: ['recordingId', 'seq'] });
  }
  if (oldVersion < 3) {
    const chunks = tx.objectStore('recordingChunks');
    chunks.createIndex('line', ['recordingId', 'line0']);
    chunks.createIndex('time', ['recordingId', 'ts0']);
    // v2 chunks lack the indexed fields: add them (nothing else changes). Within the upgrade
    // transaction, so the database opens only once every chunk is indexed.
    if (oldVersion >= 2) void backfillChunkStarts(tx);
  }
  if (oldVersion < 4) {
    db.createObjectStore('userDefinitions', { keyPath: 'name' });
  }
  if (oldVersion < 5) {
    db.createObjectStore('recordingEvents', { keyPath: ['recordingId', 'version', 'seq'] });
    db.createObjectStore('recordingEventsMeta', { keyPath: ['recordingId', 'version'] });
  }
  if (oldVersion < 6) {
    // v5 entries held every route's events in one record: derived data, cleared (meta first
    // falls with it), rebuilt by the next replay. Recordings are untouched. (v6 also created
    // `recordingRouteEvents` here, one record a chunk; v7 replaces it.)
    if (oldVersion >= 5) {
      void tx.objectStore('recordingEventsMeta').clear();
      void tx.objectStore('recordingEvents').clear();
    }
    db.createObjectStore('recordingEventStates', { keyPath: ['recordingId', 'version', 'seq'] });
  }
  if (oldVersion < 7) {
    // v6 kept each route's events one record a chunk: derived data, cleared with the rest of
    // the cache (meta first), rebuilt in groups by the next replay. Recordings are untouched.
    if (oldVersion >= 6) {
      void tx.objectStore('recordingEventsMeta').clear();
      void tx.objectStore('recordingEvents').clear();
      void tx.objectStore('recordingEventStates').clear();
      db.deleteObjectStore('recordingRouteEvents' as never);
    }
    db.createObjectStore('recordingRouteGroups', {
      keyPath: ['recordingId', 'version', 'route', 'seq'],
    });
  }
}

/**
 * Give every v2 chunk its `line0` (lines in the recording's earlier chunks) and `ts0`. The store
 * is keyed `[recordingId, seq]`, so one cursor walks each recording's chunks in order.
 */
async function backfillChunkStarts(tx: UpgradeTx): Promise<void> {
  let cursor = await tx.objectStore('recordingChunks').openCursor();
  let id: string | undefined;
  let line0 = 0;
  while (cursor) {
    const c = cursor.value;
    if (c.recordingId !== id) [id, line0] = [c.recordingId, 0];
    if (c.line0 === undefined) {
      await cursor.update({ ...c, line0, ...(c.ts.length > 0 ? { ts0: c.ts[0]! } : {}) });
    }
    line0 += c.lines.length;
    cursor = await cursor.continue();
  }
}
