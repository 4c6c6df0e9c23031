import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import { DB_VERSION, openStudioDb } from './db.ts';
import {
  deletePipeline,
  duplicatePipeline,
  getLastOpened,
  getPipeline,
  listPipelines,
  renamePipeline,
  savePipeline,
  setLastOpened,
  updatePipeline,
} from './pipelines.ts';

const doc = (name: string): PipelineDoc => ({
  version: 1,
  name,
  nodes: [{ id: 'b', definition: 'l2_book', params: { exchange: 'SIM', symbol: 'BTC-USDT' } }],
  edges: [],
});

let n = 0;
const freshDb = () => openStudioDb(`test-${++n}`);

describe('pipeline storage', () => {
  it('creates the schema at the current version', async () => {
    const db = await freshDb();
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual([
      'meta',
      'pipelines',
      'recordingChunks',
      'recordingEventStates',
      'recordingEvents',
      'recordingEventsMeta',
      'recordingOutputs',
      'recordingRouteGroups',
      'recordings',
      'userDefinitions',
    ]);
  });

  it('updates a stored pipeline, but never brings back a deleted one', async () => {
    const db = await freshDb();
    await savePipeline(db, 'p1', doc('first'), 1000);
    expect(await updatePipeline(db, 'p1', doc('edited'), 2000)).toBe(true);
    expect(await getPipeline(db, 'p1')).toMatchObject({
      name: 'edited',
      createdAt: 1000,
      updatedAt: 2000,
    });
    // Autosave's pending write lands after the user deleted the pipeline: it stays deleted.
    await deletePipeline(db, 'p1');
    expect(await updatePipeline(db, 'p1', doc('late edit'), 3000)).toBe(false);
    expect(await getPipeline(db, 'p1')).toBeUndefined();
    expect(await listPipelines(db)).toEqual([]);
  });

  it('saves, reads back and lists most recently edited first', async () => {
    const db = await freshDb();
    await savePipeline(db, 'a', doc('A'), 1000);
    await savePipeline(db, 'b', doc('B'), 2000);
    expect((await getPipeline(db, 'a'))?.doc).toEqual(doc('A'));
    const list = await listPipelines(db);
    expect(list.map((p) => [p.id, p.name, p.nodeCount])).toEqual([
      ['b', 'B', 1],
      ['a', 'A', 1],
    ]);
    expect(list[0]).not.toHaveProperty('doc');
  });

  it('keeps createdAt on overwrite and bumps updatedAt', async () => {
    const db = await freshDb();
    await savePipeline(db, 'a', doc('A'), 1000);
    const rec = await savePipeline(db, 'a', doc('A2'), 5000);
    expect([rec.createdAt, rec.updatedAt, rec.name]).toEqual([1000, 5000, 'A2']);
  });

  it('renames, duplicates and deletes', async () => {
    const db = await freshDb();
    await savePipeline(db, 'a', doc('A'), 1000);
    await renamePipeline(db, 'a', 'Renamed', 2000);
    expect((await getPipeline(db, 'a'))?.doc.name).toBe('Renamed');
    const copy = await duplicatePipeline(db, 'a', 'a2', 3000);
    expect(copy.name).toBe('Renamed copy');
    expect(copy.doc.nodes).toEqual(doc('A').nodes);
    await deletePipeline(db, 'a');
    expect((await listPipelines(db)).map((p) => p.id)).toEqual(['a2']);
    await expect(renamePipeline(db, 'missing', 'x')).rejects.toThrow(/no saved pipeline/);
  });

  it('remembers the last opened pipeline', async () => {
    const db = await freshDb();
    expect(await getLastOpened(db)).toBeUndefined();
    await setLastOpened(db, 'a');
    expect(await getLastOpened(db)).toBe('a');
  });
});
