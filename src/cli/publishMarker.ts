import { createHash } from 'node:crypto';
import type { PublishBatch } from '../cluster/publish.ts';
import { publishBatches } from './publishBatches.ts';

/**
 * What `featurizer publish` leaves in KV (`publish.<recording id>`) for each recording it
 * published: where its lines are in the market stream. Read by the next publish of the same
 * recording (refuse, resume or `--append`), never by workers.
 */
export interface PublishMarker {
  /** The run's id: the lines' `Nats-Msg-Id` are `pub-<run>.<n>`, n = 0, 1, … over non-blank lines. */
  readonly run: string;
  /** The file's name when published (informational). */
  readonly file: string;
  /** Market-stream sequence of the first line. */
  readonly firstSeq: number;
  /** Sequence of the last line, once complete. */
  readonly lastSeq: number;
  /** Non-blank lines published, once complete. */
  readonly lines: number;
  /** False while publishing, and after an interrupted publish. */
  readonly complete: boolean;
  readonly atMs: number;
}

/** Lines that identify a recording: its first 1,000 non-blank lines (all of a shorter file). */
const ID_LINES = 1000;

export const publishMarkerKey = (id: string): string => `publish.${id}`;

/**
 * A recording's identity: a SHA-256 of its kind and first {@link ID_LINES} non-blank lines, so
 * the same file (or a longer one it is the beginning of: a recording that grew) gets the same id
 * wherever and whenever it is read. Undefined for a file with no line to publish.
 */
export async function recordingId(file: string): Promise<string | undefined> {
  const h = createHash('sha256');
  let n = 0;
  for await (const b of publishBatches(file)) {
    if (n === 0) h.update(`${b.kind}\n`);
    for (const t of b.texts) {
      if (t.trim() === '') continue;
      h.update(t).update('\n');
      if (++n >= ID_LINES) break;
    }
    if (n >= ID_LINES) break;
  }
  return n === 0 ? undefined : h.digest('hex').slice(0, 32);
}

/**
 * `batches` without their first `lines` non-blank lines (those the stream already holds). The
 * last of them must read `lastText` (the stream's last message), else this throws before
 * anything is yielded: the file is not the one whose publish it would continue. `onSkipped`
 * gets the file line number of the last line skipped.
 */
export async function* skipLines(
  batches: AsyncIterable<PublishBatch>,
  lines: number,
  lastText: string,
  onSkipped: (s: { line: number; lineNo: number }) => void,
): AsyncGenerator<PublishBatch> {
  let n = 0;
  for await (const b of batches) {
    if (n >= lines) {
      yield b;
      continue;
    }
    let i = 0;
    for (; i < b.texts.length && n < lines; i++) {
      const t = b.texts[i]!;
      if (t.trim() === '') continue;
      if (++n === lines) {
        if (t !== lastText)
          throw new Error(
            `line ${b.firstLineNo + i} differs from the market stream's last message, which an ` +
              'earlier publish of a recording beginning with the same lines stored as that line: ' +
              'not continuing it; nothing published. --append publishes this file whole',
          );
        onSkipped({ line: n, lineNo: b.firstLineNo + i });
      }
    }
    if (i < b.texts.length)
      yield { texts: b.texts.slice(i), firstLineNo: b.firstLineNo + i, kind: b.kind };
  }
  if (n < lines)
    throw new Error(
      `the market stream holds ${lines} lines of a publish of a recording beginning with the same ` +
        `lines, but this file has ${n}: not the same recording; nothing published. --append publishes it whole`,
    );
}
