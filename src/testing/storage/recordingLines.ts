// Whole-recording reads for tests: the product streams recordings in bounded batches
// (readChunkRange/readOutputRange), tests compare them whole.
import type { StudioDatabase } from '../../storage/db.ts';
import { readChunks } from '../../recording/recordingLibrary.ts';
import type { RecordingOutputChunk } from '../../storage/recordingTypes.ts';

/** Every recorded output line of a recording, in emission order. */
export async function readOutputLines(db: StudioDatabase, id: string): Promise<string[]> {
  const range = IDBKeyRange.bound([id, 0], [id, Infinity]);
  const all: RecordingOutputChunk[] = await db.getAll('recordingOutputs', range);
  return all.flatMap((c) => c.lines);
}

/** Every line of a recording, with its receipt time, in order. */
export async function readAllLines(
  db: StudioDatabase,
  id: string,
): Promise<{ lines: string[]; ts: number[] }> {
  const lines: string[] = [];
  const ts: number[] = [];
  for await (const c of readChunks(db, id)) {
    for (let i = 0; i < c.lines.length; i++) {
      lines.push(c.lines[i]!);
      ts.push(c.ts[i]!);
    }
  }
  return { lines, ts };
}

/** The studio database opener, for tests of layers that may not import storage (cluster). */
export { openStudioDb } from '../../storage/db.ts';
