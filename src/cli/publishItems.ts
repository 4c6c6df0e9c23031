import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isRecordingLine } from '../recording/RecordingDecoder.ts';

/** One line of a file `featurizer publish` sends: its text, recording (`r`) or event (`e`), 1-based number. */
export interface PublishItem {
  readonly text: string;
  readonly kind: 'r' | 'e';
  readonly lineNo: number;
}

/**
 * The lines of `file` (gzip inflated) in order, typed by the file's first non-blank line.
 *
 * The file is opened only when iteration starts. readline emits lines as soon as it is created,
 * and lines emitted before an async iterator is attached are dropped: opened eagerly, the publisher's
 * first round trip to the server (stream info) let the first 64 KiB chunk (~98 lines) go by
 * unseen under load, and `publish` exited 0 with those lines missing from the market stream.
 */
export async function* publishItems(file: string): AsyncGenerator<PublishItem> {
  const raw = createReadStream(file);
  const input: Readable = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (e) => input.destroy(e));
  const rl = createInterface({ input: input.setEncoding('utf8'), crlfDelay: Infinity });
  let kind: 'r' | 'e' | undefined;
  let lineNo = 0;
  for await (const text of rl) {
    lineNo++;
    if (kind === undefined && text.trim() !== '') kind = isRecordingLine(text) ? 'r' : 'e';
    yield { text, kind: kind ?? 'e', lineNo };
  }
}
