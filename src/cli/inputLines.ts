import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isRecordingLine, type RecordingDecoder } from '../recording/RecordingDecoder.ts';
import { RecordingItems } from '../session/RecordingItems.ts';
import { LineSplitter } from './LineSplitter.ts';

/** A run of input lines as read: `texts[i]` is line `firstLineNo + i` of the file. */
export interface InputBatch {
  readonly texts: readonly string[];
  readonly firstLineNo: number;
}

/**
 * The input file as batches of lines, one per chunk read: gzip (`.gz`) is inflated, and lines are
 * split as readline splits them ({@link LineSplitter}). Batches rather than items: a promise per
 * line cost more than parsing the line. Whether the lines are a raw-frame recording is for the
 * caller to tell ({@link InputKind}).
 */
export async function* readInputBatches(file: string): AsyncGenerator<InputBatch> {
  const raw = createReadStream(file, { highWaterMark: 1 << 16 });
  const input: Readable = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  // A gunzip error (truncated or not gzip) must reach the reader, not vanish in the pipe.
  raw.on('error', (e) => input.destroy(e));
  const splitter = new LineSplitter();
  let lineNo = 0;
  const chunks = input.setEncoding('utf8')[Symbol.asyncIterator]() as AsyncIterator<string>;
  try {
    for (let done = false; !done;) {
      let next: IteratorResult<string>;
      try {
        next = await chunks.next();
      } catch (e) {
        throw new InputFileError(file, readError(e, lineNo));
      }
      const texts: string[] = [];
      if (next.done) {
        splitter.end(texts);
        done = true;
      } else splitter.push(next.value, texts);
      if (texts.length === 0) continue;
      const firstLineNo = lineNo + 1;
      lineNo += texts.length;
      yield { texts, firstLineNo };
    }
  } finally {
    // A reader that stops early (publish reads only a file's first lines for its identity)
    // closes the file rather than leaving it open and paused.
    input.destroy();
    raw.destroy();
  }
}

/**
 * Tells normalized input from a raw-frame recording (docs/recording-format.md) by its first
 * non-blank line. Lines before that one (blank) are held back, so that whichever path runs the
 * input gets every line from line 1 and numbers lines as the file does.
 */
export class InputKind {
  private held: string[] = [];
  private kind: 'lines' | 'recording' | undefined;

  /**
   * The lines to run so far, and their kind once known: `undefined` while only blank lines were
   * seen (they are held back), and at {@link end} everything held as `lines`.
   */
  push(
    texts: readonly string[],
  ): { kind: 'lines' | 'recording'; texts: readonly string[] } | undefined {
    if (this.kind === undefined) {
      const first = texts.find((t) => t.trim() !== '');
      if (first === undefined) {
        this.held.push(...texts);
        return undefined;
      }
      this.kind = isRecordingLine(first) ? 'recording' : 'lines';
      const all = [...this.held, ...texts];
      this.held = [];
      return { kind: this.kind, texts: all };
    }
    return { kind: this.kind, texts };
  }

  /** End of input: lines still held back (a file of blank lines only), as normalized lines. */
  end(): readonly string[] {
    const held = this.held;
    this.held = [];
    return held;
  }
}

/** The input file could not be read (missing, not gzip, truncated …); the message names it. */
export class InputFileError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** Why reading stopped, in words (zlib's own messages do not say what was wrong with the file). */
export function readError(e: unknown, lines: number): string {
  const err = e as NodeJS.ErrnoException;
  const msg = err.message ?? String(e);
  const after = `after ${lines} line${lines === 1 ? '' : 's'}`;
  if (err.code === 'Z_DATA_ERROR' && lines === 0) return `not gzip data (${msg})`;
  if (err.code === 'Z_DATA_ERROR') return `corrupt gzip data ${after} (${msg})`;
  if (err.code === 'Z_BUF_ERROR') return `truncated gzip file ${after} (${msg})`;
  if (err.code === 'ENOENT') return 'no such file';
  if (err.code === 'EISDIR') return 'is a directory, not an input file';
  return msg;
}

/**
 * The input as normalized NDJSON lines, for the worker runtime, in batches (one per chunk read: a
 * promise per line cost more than routing it): a recording is decoded by the replay's decoder
 * loop ({@link RecordingItems}, the one every recording run goes through) and its events and gaps
 * re-encoded (`{"gap":…}` lines).
 */
export async function* normalizedLines(
  file: string,
  onDecoder?: (d: RecordingDecoder) => void,
): AsyncGenerator<readonly string[]> {
  const kind = new InputKind();
  let items: RecordingItems | undefined;
  for await (const batch of readInputBatches(file)) {
    const run = kind.push(batch.texts);
    if (!run) continue;
    if (run.kind === 'lines') yield run.texts;
    else {
      if (!items) {
        items = new RecordingItems();
        onDecoder?.(items.decoder);
      }
      yield items.pushLines(run.texts).map((item) => JSON.stringify(item));
    }
  }
  yield kind.end();
}
