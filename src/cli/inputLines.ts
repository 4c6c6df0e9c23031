import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { GapItem } from '../core/batch/gaps.ts';
import type { MarketEvent } from '../core/events.ts';
import { isRecordingLine, RecordingDecoder } from '../recording/RecordingDecoder.ts';
import { LineSplitter } from './LineSplitter.ts';

/**
 * A run of input: normalized lines to parse (`texts[i]` is line `firstLineNo + i`), or events a
 * recording's frames decoded into (with the gaps the adapters reported among them, which the
 * outputs mark).
 */
export type InputBatch =
  | { readonly kind: 'lines'; readonly texts: readonly string[]; readonly firstLineNo: number }
  | {
      readonly kind: 'events';
      readonly events: readonly (MarketEvent | GapItem)[];
      /** Input lines (frames) these events were decoded from. */
      readonly lines: number;
    };

/**
 * The input file as batches, one per chunk read: gzip (`.gz`) is inflated, lines are split as
 * readline splits them ({@link LineSplitter}), and a raw-frame recording
 * (docs/recording-format.md; detected from its first non-blank line) is decoded frame by frame by
 * the same venue adapters that run live, so batch output equals live output. Batches rather than
 * items: a promise per line cost more than parsing the line.
 */
export async function* readInputBatches(
  file: string,
  onDecoder?: (d: RecordingDecoder) => void,
): AsyncGenerator<InputBatch> {
  const raw = createReadStream(file, { highWaterMark: 1 << 16 });
  const input: Readable = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  // A gunzip error (truncated or not gzip) must reach the reader, not vanish in the pipe.
  raw.on('error', (e) => input.destroy(e));
  const splitter = new LineSplitter();
  let decoder: RecordingDecoder | null | undefined;
  let lineNo = 0;
  const chunks = input.setEncoding('utf8')[Symbol.asyncIterator]() as AsyncIterator<string>;
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
    if (decoder === undefined) {
      const first = texts.find((t) => t.trim() !== '');
      if (first !== undefined) {
        decoder = isRecordingLine(first) ? new RecordingDecoder() : null;
        if (decoder) onDecoder?.(decoder);
      }
    }
    if (!decoder) yield { kind: 'lines', texts, firstLineNo };
    else {
      const events: (MarketEvent | GapItem)[] = [];
      for (let i = 0; i < texts.length; i++)
        for (const e of decoder.pushItems(texts[i]!, firstLineNo + i)) events.push(e);
      yield { kind: 'events', events, lines: texts.length };
    }
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
function readError(e: unknown, lines: number): string {
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

/** The input as normalized NDJSON lines (recordings re-encoded, gaps as `{"gap":…}` lines). */
export async function* normalizedLines(
  file: string,
  onDecoder?: (d: RecordingDecoder) => void,
): AsyncGenerator<string> {
  for await (const batch of readInputBatches(file, onDecoder)) {
    if (batch.kind === 'lines') yield* batch.texts;
    else for (const e of batch.events) yield JSON.stringify(e);
  }
}
