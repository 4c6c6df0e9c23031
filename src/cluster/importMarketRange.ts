import type { RecordingMeta } from '../recording/RecordingWriter.ts';
import { ImportError, importLines } from '../session/importRecording.ts';
import type { Cluster } from './Cluster.ts';
import { type MarketRange, readMarketRange } from './marketRange.ts';

/** Lines handed to the recording writer at a time (one chunk's worth: bounded memory). */
const BATCH = 1000;

export interface MarketRangeImport {
  /** Recording id and name (the Recordings tab lists it under this name). */
  readonly id: string;
  readonly name: string;
  readonly range: MarketRange;
  /** Cancels the import: nothing stays in the library. */
  readonly signal?: AbortSignal;
  /** Fraction of the range's sequences read, 0..1. */
  readonly onProgress?: (fraction: number) => void;
  /**
   * Outputs to record beside the lines, by market sequence (`readRangeOutputs`: a deployed
   * pipeline's, so Compare can check the studio's replay against the cluster), and the note
   * the recording keeps about them.
   */
  readonly outputs?: {
    readonly byLine: ReadonlyMap<number, readonly string[]>;
    readonly note: string;
  };
}

/**
 * Import a slice of the cluster's market stream as a recording (the Cluster tab's "Replay in
 * studio"): the messages of `range`, in stream order, each message's exact text one recording
 * line, through the same validation and writer as a file import ({@link importLines}). The
 * stream holds recording lines (`featurizer publish`/`ingest`), so the recording's lines are
 * byte for byte what was published. A normalized event line (an events file published with
 * `featurizer publish`) is refused, naming its stream sequence: it is not a recording line.
 * On cancel or any error the staging recording is deleted and an {@link ImportError} says why.
 */
export async function importMarketRange(
  c: Cluster,
  db: Parameters<typeof importLines>[0],
  o: MarketRangeImport,
): Promise<RecordingMeta> {
  const { range, signal } = o;
  const span = Math.max(1, range.toSeq - range.fromSeq + 1);
  /** Stream sequence of each line written, to name a refused line by its message. */
  const seqs: number[] = [];
  let lastShown = -1;
  const progress = (seq: number): void => {
    const f = Math.min(1, (seq - range.fromSeq + 1) / span);
    // At most a hundred updates: the screen needs no more.
    if (Math.floor(f * 100) === lastShown) return;
    lastShown = Math.floor(f * 100);
    o.onProgress?.(f);
  };
  async function* batches(): AsyncGenerator<string[]> {
    let batch: string[] = [];
    for await (const m of readMarketRange(c, range, signal, progress)) {
      if (m.kind === 'e')
        throw new ImportError(
          `market stream message ${m.seq} is a normalized event line (an events file published ` +
            'with featurizer publish), not a recording line: only recording lines make a studio ' +
            'recording (read it with featurizer tail or run)',
        );
      batch.push(m.text);
      seqs.push(m.seq);
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (signal?.aborted) throw new ImportError('cancelled: nothing was kept');
    if (batch.length > 0) yield batch;
  }
  try {
    const outputs = o.outputs && {
      of: (lineNo: number) => o.outputs!.byLine.get(seqs[lineNo - 1]!),
      note: o.outputs.note,
    };
    const meta = await importLines(
      db,
      { id: o.id, name: o.name },
      batches(),
      () => 'reading the market stream failed',
      outputs,
    );
    o.onProgress?.(1);
    return meta;
  } catch (e) {
    if (e instanceof ImportError && e.line !== undefined && seqs[e.line - 1] !== undefined)
      throw new ImportError(`market stream message ${seqs[e.line - 1]}: ${e.message}`, e.line);
    if (e instanceof ImportError && /has no recording lines/.test(e.message))
      throw new ImportError('no message of the market stream is in that range');
    throw e;
  }
}
