import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';

/** The studio's IndexedDB database name. */
export const DB_NAME = 'featurizer-studio';
/**
 * Schema version. Bump it and add a `case` to {@link upgrade} for every new store (the planned
 * `recordings` store goes in as version 2); existing data is never rewritten on upgrade.
 */
export const DB_VERSION = 1;

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
  // Fall through on purpose: a database at version 0 needs every step.
  switch (oldVersion) {
    case 0: {
      const pipelines = db.createObjectStore('pipelines', { keyPath: 'id' });
      pipelines.createIndex('updatedAt', 'updatedAt');
      db.createObjectStore('meta');
    }
  }
}
