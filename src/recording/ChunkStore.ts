// What a `ChunkWindow` reads: chunks of recording lines from a store (IndexedDB frames, the
// decoded-events cache, or memory).

/** One chunk of recording lines as the window holds it (a `RecordingChunk` fits). */
export interface LineChunk {
  readonly seq: number;
  /** Index of the chunk's first line in the recording. */
  readonly line0: number;
  readonly lines: readonly string[];
  /** Receipt time of each line, epoch seconds, never decreasing across the recording. */
  readonly ts: readonly number[];
  /**
   * Memory the chunk holds, in bytes, as its store estimates it (a window's `keepBytes` budget);
   * when absent, {@link chunkBytes} estimates it from the lines' text.
   */
  readonly bytes?: number;
}

/** Bytes a V8 string or array slot costs beyond its characters (header, pointer). */
const PER_LINE_BYTES = 32;

/**
 * Memory chunk `c` holds, estimated: its `bytes` if its store gave them, else its lines' text
 * (one byte a character: recordings are JSON, mostly ASCII; V8 keeps such strings one byte a
 * character) plus a string header and a time per line.
 */
export function chunkBytes(c: LineChunk): number {
  if (c.bytes !== undefined) return c.bytes;
  let n = c.ts.length * 8;
  for (const line of c.lines) n += (line?.length ?? 0) + PER_LINE_BYTES;
  return n;
}

/** Where a window reads chunks from: IndexedDB (`recordingChunkStore`) or memory (tests). */
export interface ChunkStore {
  /**
   * Chunks `[fromSeq, fromSeq + count)` that exist now, in order (fewer at the end). `signal`:
   * the window no longer wants them (it jumped) — a store may abort the read, and reject.
   */
  read(fromSeq: number, count: number, signal?: AbortSignal): Promise<readonly LineChunk[]>;
  /** Seq of the chunk holding `line` (without reading chunks). */
  seqOfLine(line: number): Promise<number>;
  /** Seq of the last chunk whose first line was received at or before `t` (0 if none). */
  seqOfTime(t: number): Promise<number>;
}
