import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DB_VERSION, openStudioDb } from '../storage/db.ts';
import {
  chunkSeqOfLine,
  chunkSeqOfTime,
  getRecording,
  readChunkRange,
} from './recordingLibrary.ts';
import { readAllLines } from '../testing/storage/recordingLines.ts';
import { RecordingWriter } from './RecordingWriter.ts';

let n = 0;
const freshName = () => `chunk-index-${++n}-${Math.random()}`;

/** Plain IndexedDB request → promise (the test speaks raw IndexedDB to build a v2 database). */
const done = <T>(r: IDBRequest<T>) =>
  new Promise<T>((res, rej) => {
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
  });

/**
 * A database exactly as schema v2 left it (stores of v1 and v2, chunks without `line0`/`ts0`),
 * holding recording `old` of 3 chunks (4 + 0 + 3 lines: the middle chunk held only outputs) and
 * recording `b` of 1 chunk.
 */
async function v2Database(name: string): Promise<void> {
  const open = indexedDB.open(name, 2);
  open.onupgradeneeded = () => {
    const db = open.result;
    db.createObjectStore('pipelines', { keyPath: 'id' }).createIndex('updatedAt', 'updatedAt');
    db.createObjectStore('meta');
    db.createObjectStore('recordings', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
    db.createObjectStore('recordingChunks', { keyPath: ['recordingId', 'seq'] });
    db.createObjectStore('recordingOutputs', { keyPath: ['recordingId', 'seq'] });
  };
  const db = await done(open);
  const tx = db.transaction(['recordings', 'recordingChunks'], 'readwrite');
  const meta = (id: string, lines: number, chunks: number) => ({
    id,
    name: id,
    createdAt: 1,
    updatedAt: 1,
    status: 'complete',
    venues: ['SIM'],
    symbols: [],
    startTs: 10,
    endTs: 20,
    lines,
    frames: 0,
    simEvents: lines,
    markers: 0,
    outputs: 0,
    outputsRecorded: false,
    chunks,
    bytes: 0,
  });
  tx.objectStore('recordings').put(meta('old', 7, 3));
  tx.objectStore('recordings').put(meta('b', 2, 1));
  const chunks = tx.objectStore('recordingChunks');
  chunks.put({ recordingId: 'old', seq: 0, lines: ['a', 'b', 'c', 'd'], ts: [10, 11, 12, 13] });
  chunks.put({ recordingId: 'old', seq: 1, lines: [], ts: [] });
  chunks.put({ recordingId: 'old', seq: 2, lines: ['e', 'f', 'g'], ts: [14, 15, 16] });
  chunks.put({ recordingId: 'b', seq: 0, lines: ['x', 'y'], ts: [1, 2] });
  await new Promise((r) => (tx.oncomplete = r));
  db.close();
}

describe('schema v3 migration', () => {
  it('keeps v2 recordings readable and indexes their chunks by first line and time', async () => {
    const name = freshName();
    await v2Database(name);
    const db = await openStudioDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect(await readAllLines(db, 'old')).toEqual({
      lines: ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
      ts: [10, 11, 12, 13, 14, 15, 16],
    });
    expect((await getRecording(db, 'old'))?.lines).toBe(7);
    const all = await readChunkRange(db, 'old', 0, 10);
    expect(all.map((c) => [c.seq, c.line0, c.ts0])).toEqual([
      [0, 0, 10],
      [1, 4, undefined],
      [2, 4, 14],
    ]);
    // Line counts restart per recording.
    expect((await readChunkRange(db, 'b', 0, 10))[0]).toMatchObject({ line0: 0, ts0: 1 });
    expect(await chunkSeqOfLine(db, 'old', 3)).toBe(0);
    // Line 4 starts chunk 2; the empty chunk 1 "starts" there too but holds nothing.
    expect(await chunkSeqOfLine(db, 'old', 4)).toBe(2);
    expect(await chunkSeqOfLine(db, 'old', 6)).toBe(2);
    expect(await chunkSeqOfTime(db, 'old', 13.5)).toBe(0);
    expect(await chunkSeqOfTime(db, 'old', 14)).toBe(2);
    expect(await chunkSeqOfTime(db, 'old', 9)).toBe(0);
    db.close();
  });
});

describe('chunk lookups', () => {
  it('find the chunk of any line or time of a written recording without reading chunks', async () => {
    const db = await openStudioDb(freshName());
    const w = await RecordingWriter.create(db, { id: 'r', name: 'r', maxLines: 10 });
    for (let i = 0; i < 95; i++) {
      w.line({ receipt_timestamp: 100 + i, exchange: 'SIM', event: { i } });
      if (i % 10 === 9) await Promise.resolve();
    }
    await w.close();
    // Another recording's chunks sort right after: lookups must stay inside one recording.
    const other = await RecordingWriter.create(db, { id: 's', name: 's', maxLines: 10 });
    other.line({ receipt_timestamp: 1, exchange: 'SIM', event: {} });
    await other.close();
    for (const line of [0, 9, 10, 54, 94]) {
      const seq = await chunkSeqOfLine(db, 'r', line);
      const [c] = await readChunkRange(db, 'r', seq, 1);
      expect(c!.line0).toBeLessThanOrEqual(line);
      expect(c!.line0 + c!.lines.length).toBeGreaterThan(line);
      expect(JSON.parse(c!.lines[line - c!.line0]!)).toMatchObject({ event: { i: line } });
    }
    expect(await chunkSeqOfTime(db, 'r', 100 + 57.5)).toBe(5);
    expect(await chunkSeqOfTime(db, 'r', 1e9)).toBe(9);
    expect(await chunkSeqOfLine(db, 's', 0)).toBe(0);
    // A bounded range read: chunks 3..5, never more than asked.
    expect((await readChunkRange(db, 'r', 3, 3)).map((c) => c.seq)).toEqual([3, 4, 5]);
    expect((await readChunkRange(db, 'r', 8, 5, 9)).map((c) => c.seq)).toEqual([8]);
    db.close();
  });
});
