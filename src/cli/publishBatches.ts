import type { PublishBatch } from '../cluster/publish.ts';
import { InputKind, readInputBatches } from './inputLines.ts';

/**
 * The lines of `file` (gzip inflated) in order, in batches (one per chunk read), typed by the
 * file's first non-blank line: split and typed as `featurizer run` reads its input
 * ({@link readInputBatches}, {@link InputKind}). Batches, not lines: a promise per line cost the
 * publisher more than publishing the line.
 *
 * The file is opened only when iteration starts, and read through the stream's own async
 * iterator. (An earlier version created a readline interface before the publisher's first round
 * trip to the server: lines it emitted before an iterator was attached were dropped, and
 * `publish` exited 0 with the first 64 KiB missing.)
 */
export async function* publishBatches(file: string): AsyncGenerator<PublishBatch> {
  const kinds = new InputKind();
  let lineNo = 0;
  for await (const batch of readInputBatches(file)) {
    const run = kinds.push(batch.texts);
    if (!run) continue;
    yield { texts: run.texts, firstLineNo: lineNo + 1, kind: run.kind === 'recording' ? 'r' : 'e' };
    lineNo += run.texts.length;
  }
  // Lines still held back are blank (a file of blank lines only): nothing to publish.
}
