import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { MarketEvent } from '../core/events.ts';
import { isRecordingLine, RecordingDecoder } from '../sources/recording/RecordingDecoder.ts';

/** One unit of input: a normalized line to parse, or events a recording's frames decoded into. */
export type InputItem =
  | { readonly kind: 'line'; readonly text: string; readonly lineNo: number }
  | { readonly kind: 'events'; readonly events: readonly MarketEvent[]; readonly lineNo: number };

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
  for await (const text of rl) {
    lineNo++;
    if (decoder === undefined && text.trim() !== '') {
      decoder = isRecordingLine(text) ? new RecordingDecoder() : null;
      if (decoder) onDecoder?.(decoder);
    }
    if (decoder) yield { kind: 'events', events: decoder.push(text, lineNo), lineNo };
    else yield { kind: 'line', text, lineNo };
  }
}

/** The input as normalized NDJSON lines (recordings re-encoded), for the worker runtime. */
export async function* normalizedLines(
  file: string,
  onDecoder?: (d: RecordingDecoder) => void,
): AsyncGenerator<string> {
  for await (const item of readInput(file, onDecoder)) {
    if (item.kind === 'line') yield item.text;
    else for (const e of item.events) yield JSON.stringify(e);
  }
}
