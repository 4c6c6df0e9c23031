import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { PipelineRecord, StudioDatabase } from './db.ts';

/** List entry: everything but the document. */
export type PipelineSummary = Omit<PipelineRecord, 'doc'> & { readonly nodeCount: number };

const LAST_OPENED = 'lastOpenedPipeline';

/** Saved pipelines, most recently edited first. */
export async function listPipelines(db: StudioDatabase): Promise<PipelineSummary[]> {
  const all = await db.getAllFromIndex('pipelines', 'updatedAt');
  return all.reverse().map(({ doc, ...rest }) => ({ ...rest, nodeCount: doc.nodes.length }));
}

export function getPipeline(db: StudioDatabase, id: string): Promise<PipelineRecord | undefined> {
  return db.get('pipelines', id);
}

/**
 * Create or overwrite the pipeline `id` with `doc` (its name is the document's). `now` is passed
 * in so tests control time; the created time of an existing record is kept.
 */
export async function savePipeline(
  db: StudioDatabase,
  id: string,
  doc: PipelineDoc,
  now = Date.now(),
): Promise<PipelineRecord> {
  const tx = db.transaction('pipelines', 'readwrite');
  const existing = await tx.store.get(id);
  const record: PipelineRecord = {
    id,
    name: doc.name,
    doc,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await tx.store.put(record);
  await tx.done;
  return record;
}

/**
 * Overwrite the stored pipeline `id` with `doc` only if it still exists, in one transaction:
 * autosave's write, which must never bring back a pipeline deleted while an edit was pending.
 * Returns whether it wrote.
 */
export async function updatePipeline(
  db: StudioDatabase,
  id: string,
  doc: PipelineDoc,
  now = Date.now(),
): Promise<boolean> {
  const tx = db.transaction('pipelines', 'readwrite');
  const existing = await tx.store.get(id);
  if (existing) {
    await tx.store.put({ id, name: doc.name, doc, createdAt: existing.createdAt, updatedAt: now });
  }
  await tx.done;
  return existing !== undefined;
}

/** Rename a stored pipeline (the document's name changes with it). */
export async function renamePipeline(
  db: StudioDatabase,
  id: string,
  name: string,
  now = Date.now(),
): Promise<void> {
  const rec = await getPipeline(db, id);
  if (!rec) throw new Error(`no saved pipeline "${id}"`);
  await savePipeline(db, id, { ...rec.doc, name }, now);
}

/** Copy a stored pipeline under a new id, named "<name> copy". */
export async function duplicatePipeline(
  db: StudioDatabase,
  id: string,
  newId: string,
  now = Date.now(),
): Promise<PipelineRecord> {
  const rec = await getPipeline(db, id);
  if (!rec) throw new Error(`no saved pipeline "${id}"`);
  return savePipeline(db, newId, { ...rec.doc, name: `${rec.doc.name} copy` }, now);
}

export async function deletePipeline(db: StudioDatabase, id: string): Promise<void> {
  await db.delete('pipelines', id);
}

/** The pipeline to reopen on the next visit. */
export async function getLastOpened(db: StudioDatabase): Promise<string | undefined> {
  const v = await db.get('meta', LAST_OPENED);
  return typeof v === 'string' ? v : undefined;
}

export async function setLastOpened(db: StudioDatabase, id: string): Promise<void> {
  await db.put('meta', id, LAST_OPENED);
}
