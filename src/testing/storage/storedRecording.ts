import type { StudioDatabase } from '../../storage/db.ts';
import type { RecordingMeta } from '../../storage/recordingTypes.ts';

/**
 * Store `lines` as recording `id` in chunks of `chunkLines` (line `i` received at `1.7e9 + i`),
 * with its metadata, as the recorder leaves a closed recording. Returns the chunk count.
 */
export async function storeRecording(
  db: StudioDatabase,
  id: string,
  lines: readonly string[],
  chunkLines: number,
  status: RecordingMeta['status'] = 'complete',
): Promise<number> {
  const tx = db.transaction(['recordings', 'recordingChunks'], 'readwrite');
  let seq = 0;
  for (let line0 = 0; line0 < lines.length; line0 += chunkLines, seq++) {
    const part = lines.slice(line0, line0 + chunkLines);
    const ts = part.map((_, k) => 1.7e9 + line0 + k);
    void tx
      .objectStore('recordingChunks')
      .put({ recordingId: id, seq, line0, ts0: ts[0]!, lines: part, ts });
  }
  const meta: RecordingMeta = {
    id,
    name: id,
    createdAt: 1,
    updatedAt: 1,
    status,
    venues: [],
    symbols: [],
    startTs: 1.7e9,
    endTs: 1.7e9 + lines.length - 1,
    lines: lines.length,
    frames: 0,
    simEvents: 0,
    markers: 0,
    outputs: 0,
    outputsRecorded: false,
    chunks: seq,
    bytes: 0,
  };
  void tx.objectStore('recordings').put(meta);
  await tx.done;
  return seq;
}
