import { type FileHandle, open } from 'node:fs/promises';
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

/**
 * The file in chunks that end with a line break (the last may not), each read straight into a
 * `SharedArrayBuffer` of its own (a feed batch posts its chunk whole, and a shared buffer is
 * posted without a copy: cloning 128 KiB per batch and worker cost ~40 ms of a 140k-line run's
 * CPU). Reading into it, rather than through a read stream whose buffers were then copied, saves
 * the main thread a copy of the input and an allocation per read (~20 ms per 700k lines). A chunk
 * is a Buffer (its `indexOf`, which the router calls per line, is a memchr) over the start of its
 * buffer: the cut line after its last line break is copied to the next one. A line longer than a
 * chunk grows the next buffer.
 */
async function* byteChunks(file: string, chunkBytes: number): AsyncGenerator<Buffer> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw new InputFileError(file, readError(e, 0));
  }
  try {
    // The start of a line that the previous read cut, and its length.
    let carry: Uint8Array | undefined;
    for (;;) {
      const kept = carry?.length ?? 0;
      const buf = Buffer.from(new SharedArrayBuffer(Math.max(chunkBytes, 2 * kept)));
      if (carry) buf.set(carry);
      let n = kept;
      let eof = false;
      // Fill the buffer (a read may return less than asked) or reach the end.
      while (n < buf.length) {
        let got: number;
        try {
          got = (await fh.read(buf, n, buf.length - n, null)).bytesRead;
        } catch (e) {
          throw new InputFileError(file, readError(e, 0));
        }
        if (got === 0) {
          eof = true;
          break;
        }
        n += got;
      }
      if (eof) {
        if (n > 0) yield buf.subarray(0, n);
        return;
      }
      const nl = buf.lastIndexOf(10, n - 1);
      if (nl < 0) {
        carry = buf.subarray(0, n);
        continue;
      }
      carry = nl + 1 < n ? buf.subarray(nl + 1, n) : undefined;
      yield buf.subarray(0, nl + 1);
    }
  } finally {
    await fh.close();
  }
}
