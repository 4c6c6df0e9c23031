import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { StudioDatabase } from '../storage/db.ts';
import { getRecording, readChunkRange, readOutputRange } from '../recording/recordingLibrary.ts';
import { type CompareResult, OutputComparer } from './compare.ts';

/** What Compare is asked: a recording, the pipeline to replay it through, the tolerance. */
export interface CompareRequest {
  readonly recordingId: string;
  /** The runnable part of the document, as live ran it. */
  readonly doc: PipelineDoc;
  readonly tolerance: number;
}

/** Chunks read per request (lines and their recorded outputs): bounded memory, few round trips. */
const BATCH = 8;

/**
 * Compare a stored recording's replay with its recorded outputs, streaming chunks from IndexedDB
 * (a batch at a time, lines and outputs of the same chunks together) through an
 * {@link OutputComparer}. Stops reading once the earliest divergence is known. `onProgress` gets
 * the fraction of chunks done. No DOM: runs in the compare worker, and in Node under test.
 */
export async function compareRecording(
  db: StudioDatabase,
  req: CompareRequest,
  onProgress?: (fraction: number) => void,
): Promise<CompareResult> {
  const meta = await getRecording(db, req.recordingId);
  if (!meta) throw new Error(`recording "${req.recordingId}" not found`);
  const comparer = new OutputComparer(req.doc, {
    tolerance: req.tolerance,
    recordedComplete: meta.outputsEnded === undefined,
  });
  const end = meta.chunks;
  for (let seq = 0; seq < end && !comparer.decided; seq += BATCH) {
    const [chunks, outputs] = await Promise.all([
      readChunkRange(db, req.recordingId, seq, BATCH, end),
      readOutputRange(db, req.recordingId, seq, BATCH, end),
    ]);
    const outs = new Map(outputs.map((o) => [o.seq, o.lines]));
    for (const c of chunks) comparer.push(c.lines, outs.get(c.seq) ?? []);
    onProgress?.(Math.min(1, (seq + BATCH) / end));
  }
  return comparer.finish();
}
