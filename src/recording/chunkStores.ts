import type { StudioDatabase } from '../storage/db.ts';
import { chunkSeqOfLine, chunkSeqOfTime, readChunkRange } from './recordingLibrary.ts';
import { type ChunkStore, type LineChunk, upperBound } from './ChunkWindow.ts';

/**
 * A recording's chunks in IndexedDB, read through key ranges and the v3 `line`/`time` indexes.
 * `endSeq` is the chunk count the metadata had (raise it while following a recording in
 * progress): chunks past it are not read, so what is read is always a consistent prefix.
 */
export function recordingChunkStore(
  db: StudioDatabase,
  id: string,
  endSeq: number,
): ChunkStore & { endSeq: number } {
  return {
    endSeq,
    read(fromSeq, count, signal) {
      return readChunkRange(db, id, fromSeq, count, this.endSeq, signal);
    },
    seqOfLine: (line) => chunkSeqOfLine(db, id, line),
    seqOfTime: (t) => chunkSeqOfTime(db, id, t),
  };
}

/**
 * Lines held in memory, cut into chunks of `chunkLines` (tests, benches): behaves as the
 * IndexedDB store does, asynchronously, so code under test sees the same window at work.
 */
export function memoryChunkStore(
  lines: readonly string[],
  ts: readonly number[],
  chunkLines = 1000,
): ChunkStore & { reads: number } {
  const chunks: LineChunk[] = [];
  for (let line0 = 0, seq = 0; line0 < lines.length; line0 += chunkLines, seq++) {
    const end = Math.min(lines.length, line0 + chunkLines);
    chunks.push({ seq, line0, lines: lines.slice(line0, end), ts: ts.slice(line0, end) });
  }
  const firstTs = chunks.map((c) => c.ts[0]!);
  return {
    reads: 0,
    async read(fromSeq, count) {
      this.reads++;
      await Promise.resolve();
      return chunks.slice(fromSeq, fromSeq + count);
    },
    seqOfLine: (line) =>
      Promise.resolve(Math.max(0, Math.min(Math.floor(line / chunkLines), chunks.length - 1))),
    seqOfTime: (t) => Promise.resolve(Math.max(0, upperBound(firstTs, t) - 1)),
  };
}
