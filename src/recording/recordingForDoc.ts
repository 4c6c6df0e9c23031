import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { StudioDatabase } from '../storage/db.ts';
import { RecordingWriter } from './RecordingWriter.ts';

export interface RecordingForDocOptions {
  readonly recordingId: string;
  readonly name: string;
  readonly doc: PipelineDoc;
  readonly outputs: boolean;
  /** A simulated quota in bytes (tests; the studio's `?recordQuota=`). */
  readonly quotaBytes?: number;
  readonly onStop?: (reason: string) => void;
}

/**
 * Create the recording of a run of `doc` and return its writer: the venues and symbols its
 * source nodes name are listed up front (raw frames do not all name their symbol). Shared by the
 * in-thread recorder and the recorder worker, so both list the same metadata.
 */
export function recordingForDoc(
  db: StudioDatabase,
  o: RecordingForDocOptions,
): Promise<RecordingWriter> {
  const venues = new Set<string>();
  const symbols = new Set<string>();
  for (const n of o.doc.nodes) {
    if (typeof n.params?.exchange === 'string') venues.add(n.params.exchange);
    if (typeof n.params?.symbol === 'string') symbols.add(n.params.symbol);
  }
  return RecordingWriter.create(db, {
    id: o.recordingId,
    name: o.name,
    doc: o.doc,
    venues: [...venues],
    symbols: [...symbols],
    outputs: o.outputs,
    ...(o.quotaBytes !== undefined ? { quotaBytes: o.quotaBytes } : {}),
    ...(o.onStop ? { onStop: o.onStop } : {}),
  });
}
