import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { EmbeddedDefinition } from '../core/userdef/embeddedDefinitions.ts';
import { DB_VERSION, openStudioDb } from './db.ts';
import { getPipeline } from './pipelines.ts';
import {
  deleteUserDefinition,
  listUserDefinitions,
  saveUserDefinition,
} from './userDefinitions.ts';

let n = 0;
const freshName = (): string => `userdefs-${++n}`;

const def = (name: string, source = `// ${name}`): EmbeddedDefinition => ({
  name,
  version: 1,
  hash: `h-${source}`,
  source,
  manifest: {
    name,
    title: name,
    description: 'd',
    params: {},
    inputs: [{ name: 'value', accepts: ['scalar'], default: 'price.mid_price_fd' }],
    output: { kind: 'scalar', schema: { out: 'number' } },
  },
});

describe('user definition storage', () => {
  it('saves, edits (keeping the creation time), renames, lists and deletes', async () => {
    const db = await openStudioDb(freshName());
    await saveUserDefinition(db, def('my.a', 'v1'), undefined, 1000);
    await saveUserDefinition(db, def('my.a', 'v2'), 'my.a', 2000);
    expect(await listUserDefinitions(db)).toEqual([
      expect.objectContaining({ name: 'my.a', source: 'v2', createdAt: 1000, updatedAt: 2000 }),
    ]);
    await saveUserDefinition(db, def('my.b', 'v3'), 'my.a', 3000); // renamed in the editor
    expect((await listUserDefinitions(db)).map((d) => d.name)).toEqual(['my.b']);
    await deleteUserDefinition(db, 'my.b');
    expect(await listUserDefinitions(db)).toEqual([]);
  });

  it('never overwrites another definition of the same name unasked', async () => {
    const db = await openStudioDb(freshName());
    await saveUserDefinition(db, def('my.a', 'mine'), undefined, 1000);
    await expect(saveUserDefinition(db, def('my.a', 'new'), undefined, 2000)).rejects.toThrow(
      'a definition called "my.a" exists already',
    );
    await expect(saveUserDefinition(db, def('my.a', 'new'), 'my.other', 2000)).rejects.toThrow(
      'exists already',
    );
    expect((await listUserDefinitions(db)).map((d) => [d.name, d.source])).toEqual([
      ['my.a', 'mine'],
    ]);
  });

  it('upgrading a v3 database keeps its pipelines and adds the store', async () => {
    const name = freshName();
    const doc = { version: 1 as const, name: 'kept', nodes: [], edges: [] };
    // A v3 database as v3 created it, with one pipeline (raw IndexedDB: only db.ts uses idb).
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(name, 3);
      req.onupgradeneeded = () => {
        const db = req.result;
        db.createObjectStore('pipelines', { keyPath: 'id' }).createIndex('updatedAt', 'updatedAt');
        db.createObjectStore('meta');
        db.createObjectStore('recordings', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
        const chunks = db.createObjectStore('recordingChunks', { keyPath: ['recordingId', 'seq'] });
        chunks.createIndex('line', ['recordingId', 'line0']);
        chunks.createIndex('time', ['recordingId', 'ts0']);
        db.createObjectStore('recordingOutputs', { keyPath: ['recordingId', 'seq'] });
      };
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const db = req.result;
        const tx = db.transaction('pipelines', 'readwrite');
        tx.objectStore('pipelines').put({ id: 'p', name: 'kept', doc, createdAt: 1, updatedAt: 1 });
        tx.oncomplete = () => {
          db.close();
          resolve();
        };
      };
    });
    const db = await openStudioDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect((await getPipeline(db, 'p'))?.doc).toEqual(doc);
    await saveUserDefinition(db, def('my.a'), undefined, 5);
    expect((await listUserDefinitions(db)).map((d) => d.name)).toEqual(['my.a']);
  });
});
