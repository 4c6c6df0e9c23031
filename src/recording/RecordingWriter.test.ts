import 'fake-indexeddb/auto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openStudioDb } from '../storage/db.ts';
import {
  deleteRecording,
  getRecording,
  listRecordings,
  readChunks,
  renameRecording,
} from './recordingLibrary.ts';
import { readAllLines, readOutputLines } from '../testing/storage/recordingLines.ts';
import { RecordingWriter } from './RecordingWriter.ts';

let n = 0;
const fresh = () => openStudioDb(`rec-test-${++n}-${Math.random()}`);
const sim = (i: number) => ({
  receipt_timestamp: 1000 + i / 10,
  exchange: 'SIM',
  event: { symbol: 'BTC-USDT', i },
});

describe('RecordingWriter', () => {
  it('writes lines in chunks of at most maxLines, one record per chunk', async () => {
    const db = await fresh();
    const w = await RecordingWriter.create(db, { id: 'r1', name: 'one', maxLines: 100 });
    for (let i = 0; i < 250; i++) {
      w.line(sim(i));
      // Outputs follow their line; the chunk is cut on a microtask, never between them.
      w.output('mid', { timestamp: i, receipt_timestamp: i });
      if (i % 100 === 99) await Promise.resolve();
    }
    const meta = await w.close();
    expect(meta).toMatchObject({ status: 'complete', lines: 250, simEvents: 250, chunks: 3 });
    expect(meta.symbols).toEqual(['BTC-USDT']);
    expect(meta.venues).toEqual(['SIM']);
    expect(meta.startTs).toBe(1000);
    expect(meta.endTs).toBeCloseTo(1024.9);
    const chunks = [];
    for await (const c of readChunks(db, 'r1')) chunks.push(c);
    expect(chunks.map((c) => c.lines.length)).toEqual([100, 100, 50]);
    const { lines } = await readAllLines(db, 'r1');
    expect(lines.map((l) => (JSON.parse(l) as { event: { i: number } }).event.i)).toEqual([
      ...Array(250).keys(),
    ]);
    // meta.outputs false by default: nothing recorded.
    expect(await readOutputLines(db, 'r1')).toEqual([]);
  });

  it('keeps chunks at maxLines when lines come in one synchronous burst, outputs with their line', async () => {
    // As the recorder worker writes a released lane message: thousands of lines in one loop.
    const db = await fresh();
    const w = await RecordingWriter.create(db, {
      id: 'b',
      name: 'burst',
      maxLines: 100,
      outputs: true,
    });
    for (let i = 0; i < 250; i++) {
      w.line(sim(i));
      w.output('mid', { timestamp: i, receipt_timestamp: i });
      if (i % 3 === 0) w.output('spread', { timestamp: i, receipt_timestamp: i });
    }
    await w.close();
    const chunks = [];
    for await (const c of readChunks(db, 'b')) chunks.push(c);
    expect(chunks.map((c) => c.lines.length)).toEqual([100, 100, 50]);
    // Each chunk's outputs are exactly those of its own lines.
    const outs = await readOutputLines(db, 'b');
    const at = (l: string) => (JSON.parse(l) as { event: { timestamp: number } }).event.timestamp;
    expect(outs.map(at)).toEqual(
      [...Array(250).keys()].flatMap((i) => (i % 3 === 0 ? [i, i] : [i])),
    );
    for (const c of chunks) {
      const own = (await db.get('recordingOutputs', ['b', c.seq]))!.lines.map(at);
      const mine = [...Array(c.lines.length).keys()].map((k) => c.line0 + k);
      expect(own).toEqual(mine.flatMap((i) => (i % 3 === 0 ? [i, i] : [i])));
    }
  });

  it('abandon() settles chunks cut before a refused line, so a delete that follows removes them all', async () => {
    // What an import does when line 251 is refused: 250 lines were taken (two chunks cut and
    // queued in that same synchronous loop), then the staging recording is deleted.
    const db = await fresh();
    const w = await RecordingWriter.create(db, { id: 'x', name: 'refused', maxLines: 100 });
    for (let i = 0; i < 250; i++) w.line(sim(i));
    await w.abandon();
    await deleteRecording(db, 'x');
    // Let anything still queued run: nothing may land after the delete.
    await new Promise((r) => setTimeout(r, 20));
    expect(await db.count('recordingChunks')).toBe(0);
    expect(await db.count('recordings')).toBe(0);
  });

  it('cuts a chunk after maxMs even when few lines arrive', async () => {
    const db = await fresh();
    const w = await RecordingWriter.create(db, { id: 'r', name: 'slow', maxMs: 5 });
    w.line(sim(0));
    await new Promise((r) => setTimeout(r, 30));
    expect((await getRecording(db, 'r'))?.chunks).toBe(1);
    await w.close();
  });

  it('stops cleanly at the quota: metadata matches the stored chunks, all readable', async () => {
    const db = await fresh();
    let reason = '';
    const w = await RecordingWriter.create(db, {
      id: 'q',
      name: 'full',
      maxLines: 50,
      outputs: true,
      quotaBytes: 20_000,
      onStop: (r) => (reason = r),
    });
    for (let i = 0; i < 2000; i++) {
      w.line(sim(i));
      w.output('mid', { timestamp: i, receipt_timestamp: i });
      if (i % 50 === 49) await w.flush();
    }
    const meta = await w.close();
    expect(reason).toMatch(/storage full/);
    expect(meta.status).toBe('stopped');
    expect(meta.stopReason).toMatch(/storage full/);
    expect(meta.lines).toBeGreaterThan(0);
    expect(meta.lines).toBeLessThan(2000);
    expect(meta.bytes).toBeLessThanOrEqual(20_000);
    const stored = await getRecording(db, 'q');
    expect(stored).toEqual(meta);
    const { lines } = await readAllLines(db, 'q');
    expect(lines.length).toBe(meta.lines);
    // Outputs stop at exactly the same line as the frames: one transaction per chunk.
    expect((await readOutputLines(db, 'q')).length).toBe(meta.lines);
  });

  it('a chunk write that fails while the next is queued behind it leaves no gap', async () => {
    const db = await fresh();
    // Fail the second chunk's transaction once the third has started behind it (two chunk
    // transactions are in flight at once): the third must not store chunk 2 over a hole.
    const started: { abort(): void }[] = [];
    type Tx = (this: IDBDatabase, ...a: unknown[]) => IDBTransaction;
    const proto = IDBDatabase.prototype as unknown as { transaction: Tx };
    const transaction = proto.transaction;
    proto.transaction = function (...a: unknown[]) {
      const tx = transaction.apply(this, a);
      if (this.name === db.name && Array.isArray(a[0]) && a[0].includes('recordingChunks')) {
        started.push(tx);
        if (started.length === 3) started[1]!.abort();
      }
      return tx;
    };
    onTestFinished(() => void (proto.transaction = transaction));
    let reason = '';
    const w = await RecordingWriter.create(db, {
      id: 'gap',
      name: 'gap',
      maxLines: 10,
      onStop: (r) => (reason = r),
    });
    for (let i = 0; i < 60; i++) {
      w.line(sim(i));
      // Let each of the first chunks start its own transaction (microtasks only: the fake
      // database settles nothing meanwhile), else the writer stores them together in one.
      if (i % 10 === 9) for (let k = 0; k < 20; k++) await Promise.resolve();
    }
    const meta = await w.close();
    expect(started.length).toBeGreaterThanOrEqual(3);
    expect(reason).toMatch(/recording stopped/);
    expect(meta.status).toBe('stopped');
    expect(meta.chunks).toBe(1);
    expect(await getRecording(db, 'gap')).toEqual(meta);
    const chunks = await db.getAll(
      'recordingChunks',
      IDBKeyRange.bound(['gap', 0], ['gap', Infinity]),
    );
    expect(chunks.map((c) => c.seq)).toEqual([0]);
    const { lines } = await readAllLines(db, 'gap');
    expect(lines).toEqual(Array.from({ length: 10 }, (_, i) => JSON.stringify(sim(i))));
  });

  it('stores chunks queued behind a full pipeline together, each exactly as it would be alone', async () => {
    // Count the writer's transactions: a burst of 23 chunks (one synchronous loop, as a recorder
    // fed a large lane message) must take fewer than one per chunk and store the same records.
    let txs = 0;
    type Tx = (this: IDBDatabase, ...a: unknown[]) => IDBTransaction;
    const proto = IDBDatabase.prototype as unknown as { transaction: Tx };
    const transaction = proto.transaction;
    proto.transaction = function (...a: unknown[]) {
      if (Array.isArray(a[0]) && a[0].includes('recordingChunks')) txs++;
      return transaction.apply(this, a);
    };
    onTestFinished(() => void (proto.transaction = transaction));
    const write = async (id: string, paced: boolean) => {
      const db = await fresh();
      const w = await RecordingWriter.create(db, {
        id,
        name: id,
        maxLines: 10,
        outputs: true,
        now: () => 5,
        venues: ['SIM'],
      });
      for (let i = 0; i < 225; i++) {
        w.line(sim(i % 7 === 3 ? 225 - i : i));
        if (i % 4 === 0) w.output('mid', { timestamp: i, receipt_timestamp: i });
        if (paced && i % 10 === 9) await w.flush();
      }
      const meta = await w.close();
      const chunks = await db.getAll('recordingChunks', IDBKeyRange.bound([id, 0], [id, Infinity]));
      const outs = await db.getAll('recordingOutputs', IDBKeyRange.bound([id, 0], [id, Infinity]));
      return { meta: { ...meta, id: '', name: '' }, chunks, outs, db };
    };
    txs = 0;
    const alone = await write('alone', true);
    const pacedTxs = txs;
    txs = 0;
    const burst = await write('burst', false);
    expect(pacedTxs).toBe(23);
    expect(txs).toBeLessThan(23);
    expect(txs).toBeGreaterThan(0);
    const strip = <T extends { recordingId: string }>(rs: T[]) =>
      rs.map((r) => ({ ...r, recordingId: '' }));
    expect(strip(burst.chunks)).toEqual(strip(alone.chunks));
    expect(strip(burst.outs)).toEqual(strip(alone.outs));
    expect(burst.chunks.map((c) => [c.seq, c.line0, c.lines.length])).toEqual(
      [...Array(23).keys()].map((k) => [k, 10 * k, k === 22 ? 5 : 10]),
    );
    expect(burst.meta).toEqual(alone.meta);
    expect(burst.meta).toMatchObject({ lines: 225, chunks: 23, outputs: 57, status: 'complete' });
    expect(await readAllLines(burst.db, 'burst')).toEqual(await readAllLines(alone.db, 'alone'));
  });

  it('a burst that reaches the quota keeps the chunks stored before it, metadata matching', async () => {
    const db = await fresh();
    let reason = '';
    const w = await RecordingWriter.create(db, {
      id: 'qb',
      name: 'full burst',
      maxLines: 10,
      quotaBytes: 15_000,
      onStop: (r) => (reason = r),
    });
    for (let i = 0; i < 1000; i++) w.line(sim(i));
    const meta = await w.close();
    expect(reason).toMatch(/storage full/);
    expect(meta.status).toBe('stopped');
    expect(meta.bytes).toBeLessThanOrEqual(15_000);
    expect(await getRecording(db, 'qb')).toEqual(meta);
    const chunks = await db.getAll(
      'recordingChunks',
      IDBKeyRange.bound(['qb', 0], ['qb', Infinity]),
    );
    expect(chunks.map((c) => c.seq)).toEqual([...Array(meta.chunks).keys()]);
    const { lines } = await readAllLines(db, 'qb');
    expect(lines).toEqual(Array.from({ length: meta.lines }, (_, i) => JSON.stringify(sim(i))));
  });

  it('lists, renames and deletes recordings with their chunks', async () => {
    const db = await fresh();
    for (const id of ['a', 'b']) {
      const w = await RecordingWriter.create(db, { id, name: id, now: () => (id === 'a' ? 1 : 2) });
      w.line(sim(1));
      await w.close();
    }
    const hidden = await RecordingWriter.create(db, { id: 'c', name: 'c', status: 'importing' });
    hidden.line(sim(1));
    await hidden.flush();
    expect((await listRecordings(db)).map((r) => r.id)).toEqual(['b', 'a']);
    await renameRecording(db, 'a', 'renamed');
    expect((await getRecording(db, 'a'))?.name).toBe('renamed');
    await deleteRecording(db, 'a');
    expect(await getRecording(db, 'a')).toBeUndefined();
    expect((await readAllLines(db, 'a')).lines).toEqual([]);
    expect(await db.count('recordingChunks')).toBe(2);
  });

  it('upgrades a v1 database and keeps its pipelines', async () => {
    const name = `v1-${Math.random()}`;
    // A version-1 database as the previous release left it (raw API: only db.ts may use idb).
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => {
        const d = req.result;
        d.createObjectStore('pipelines', { keyPath: 'id' }).createIndex('updatedAt', 'updatedAt');
        d.createObjectStore('meta');
      };
      req.onsuccess = () => {
        const tx = req.result.transaction('pipelines', 'readwrite');
        tx.objectStore('pipelines').put({ id: 'p', name: 'kept', updatedAt: 1 });
        tx.oncomplete = () => {
          req.result.close();
          resolve();
        };
      };
      req.onerror = () => reject(req.error);
    });
    const db = await openStudioDb(name);
    expect((await db.get('pipelines', 'p'))?.name).toBe('kept');
    expect(await listRecordings(db)).toEqual([]);
  });
});
