import { createReadStream } from 'node:fs';
import { isRecordingLine, type RecordingDecoder } from '../recording/RecordingDecoder.ts';
import { InputFileError, normalizedLines, readError } from './inputLines.ts';
import { LineSplitter } from './LineSplitter.ts';

/**
 * Bytes per read: a chunk of whole lines is about this size. Fewer, larger reads cost the main
 * thread less (96 KiB chunks, one batch each, cost a 700k-line run ~200 ms more main-thread CPU
 * than 512 KiB ones); batches are cut smaller within a chunk (see `runWorkers`).
 */
const CHUNK = 1 << 19;

/** A BOM stays in the text, as the string path's stream decoding keeps it. */
const DECODER = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The input of `featurizer run --workers N`: a plain normalized-NDJSON file as chunks of whole
 * lines in UTF-8, never decoded here (the main thread routes lines from their bytes and each
 * worker decodes its own; see `runWorkers`). Each chunk is its own buffer, so a feed batch can
 * carry it whole. Lines split as {@link LineSplitter} (readline) splits them: a chunk with a
 * `\r` in it comes as its lines, decoded. A gzip file or a raw-frame recording (told by its
 * first non-blank line, as {@link normalizedLines} tells it) is read by {@link normalizedLines},
 * as strings.
 */
export async function* workerInput(
  file: string,
  onDecoder?: (d: RecordingDecoder) => void,
  chunkBytes = CHUNK,
): AsyncGenerator<Uint8Array | readonly string[]> {
  if (file.endsWith('.gz')) return yield* normalizedLines(file, onDecoder);
  // Chunks before the first non-blank line: held until the kind of input is known.
  const held: Buffer[] = [];
  let recording: boolean | undefined;
  for await (const chunk of byteChunks(file, chunkBytes)) {
    if (recording === undefined) {
      held.push(chunk);
      const first = splitLines(chunk).find((t) => t.trim() !== '');
      if (first === undefined) continue;
      recording = isRecordingLine(first);
      if (recording) break;
      for (const h of held.splice(0)) yield linesOf(h);
      continue;
    }
    yield linesOf(chunk);
  }
  if (recording) return yield* normalizedLines(file, onDecoder);
  for (const h of held) yield linesOf(h);
}

/** A chunk as it is, or as its decoded lines when it has a `\r` (a line break readline knows). */
function linesOf(chunk: Buffer): Uint8Array | readonly string[] {
  return chunk.indexOf(13) >= 0 ? splitLines(chunk) : chunk;
}

function splitLines(chunk: Uint8Array): string[] {
  const out: string[] = [];
  const splitter = new LineSplitter();
  splitter.push(DECODER.decode(chunk), out);
  splitter.end(out);
  return out;
}

/** The file in chunks that end with a line break (the last may not), each in its own buffer. */
async function* byteChunks(file: string, chunkBytes: number): AsyncGenerator<Buffer> {
  const reads = createReadStream(file, { highWaterMark: chunkBytes })[
    Symbol.asyncIterator
  ]() as AsyncIterator<Buffer>;
  // The start of a line that the previous reads cut.
  let parts: Uint8Array[] = [];
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await reads.next();
    } catch (e) {
      throw new InputFileError(file, readError(e, 0));
    }
    if (next.done) break;
    const buf = next.value;
    const nl = buf.lastIndexOf(10);
    if (nl < 0) {
      parts.push(buf);
      continue;
    }
    parts.push(buf.subarray(0, nl + 1));
    yield concat(parts);
    parts = nl + 1 < buf.length ? [buf.subarray(nl + 1)] : [];
  }
  if (parts.length > 0) yield concat(parts);
}

/**
 * One buffer of its own, shared: a feed batch posts its chunk whole to a worker, and a
 * SharedArrayBuffer is posted without a copy (cloning 128 KiB per batch and worker cost ~40 ms
 * of a 140k-line run's CPU); the chunk is never written after this. A Buffer: its `indexOf`,
 * which the router calls per line, is a memchr.
 */
function concat(parts: readonly Uint8Array[]): Buffer {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = Buffer.from(new SharedArrayBuffer(n));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
