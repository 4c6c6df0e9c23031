import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { RecordingChunk, RecordingMeta, RecordingOutputChunk } from './recordingTypes.ts';

/** The studio's IndexedDB database name. */
export const DB_NAME = 'featurizer-studio';
/**
 * Schema version. Bump it and add a step to {@link upgrade} for every new store; existing data
 * is never rewritten on upgrade. v2 added the recordings library.
 */
export const DB_VERSION = 2;

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
  /** Recorded lines, chunked (never one record per line), keyed `[recordingId, seq]` (v2). */
  recordingChunks: { key: [string, number]; value: RecordingChunk };
  /** Recorded feature outputs, chunk `seq` holding what chunk `seq`'s lines produced (v2). */
  recordingOutputs: { key: [string, number]; value: RecordingOutputChunk };
}

export type StudioDatabase = IDBPDatabase<StudioDB>;

/**
 * Open (creating or upgrading) the studio database. The only module that imports `idb`: other
 * storage modules take the opened handle, so tests can open a fresh database per case.
 */
export function openStudioDb(name = DB_NAME): Promise<StudioDatabase> {
  return openDB<StudioDB>(name, DB_VERSION, { upgrade });
}

/** Migrations run in order from the stored version; each step only adds. */
function upgrade(db: IDBPDatabase<StudioDB>, oldVersion: number): void {
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
}
