import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { GapItem } from '../core/batch/gaps.ts';
import type { MarketEvent } from '../core/events.ts';
import { isRecordingLine, RecordingDecoder } from '../recording/RecordingDecoder.ts';

/**
 * One unit of input: a normalized line to parse, or events a recording's frames decoded into
 * (with the gaps the adapters reported among them, which the outputs mark).
 */
export type InputItem =
  | { readonly kind: 'line'; readonly text: string; readonly lineNo: number }
  | {
      readonly kind: 'events';
      readonly events: readonly (MarketEvent | GapItem)[];
      readonly lineNo: number;
    };

/**
 * The input file as a stream of items: gzip (`.gz`) is inflated, and a raw-frame recording
 * (docs/recording-format.md; detected from its first non-blank line) is decoded frame by frame by
 * the same venue adapters that run live, so batch output equals live output.
 */
export async function* readInput(
  file: string,
  onDecoder?: (d: RecordingDecoder) => void,
): AsyncGenerator<InputItem> {
  const raw = createReadStream(file);
  const input: Readable = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  // A gunzip error (truncated or not gzip) must reach the reader, not vanish in the pipe.
  raw.on('error', (e) => input.destroy(e));
  const rl = createInterface({ input: input.setEncoding('utf8'), crlfDelay: Infinity });
  let decoder: RecordingDecoder | null | undefined;
  let lineNo = 0;
  const lines = rl[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<string>;
    try {
      next = await lines.next();
    } catch (e) {
      throw new InputFileError(file, readError(e, lineNo));
    }
    if (next.done) return;
    const text = next.value;
    lineNo++;
    if (decoder === undefined && text.trim() !== '') {
      decoder = isRecordingLine(text) ? new RecordingDecoder() : null;
      if (decoder) onDecoder?.(decoder);
    }
    if (decoder) yield { kind: 'events', events: decoder.pushItems(text, lineNo), lineNo };
    else yield { kind: 'line', text, lineNo };
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
  for await (const item of readInput(file, onDecoder)) {
    if (item.kind === 'line') yield item.text;
    else for (const e of item.events) yield JSON.stringify(e);
  }
}
