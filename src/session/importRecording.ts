import { RecordingDecoder, RecordingLineError } from '../recording/RecordingDecoder.ts';
import type { StudioDatabase } from '../storage/db.ts';
import { deleteRecording } from '../recording/recordingLibrary.ts';
import { type RecordingMeta, RecordingWriter } from '../recording/RecordingWriter.ts';
import type { RecordLine } from '../recording/lineHead.ts';

/** A rejected import: why, and the 1-based line when a line is at fault. */
export class ImportError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

/**
 * Import a recording file (`.ndjson`, or gzip `.ndjson.gz`, detected from its magic bytes) into
 * the library. Every line is validated by running it through a RecordingDecoder (the same
 * checks and adapters as replay), so a file that imports also replays. The lines go into a
 * staging recording (status `importing`, hidden from the library); only a complete, valid file
 * is committed. A malformed line, a truncated gzip stream or an empty file rejects the import
 * with an {@link ImportError} and the staging recording is deleted: nothing half-imported stays.
 */
export async function importRecording(
  db: StudioDatabase,
  file: Blob & { readonly name?: string },
  id: string,
  onProgress?: (fraction: number) => void,
): Promise<RecordingMeta> {
  const name = (file.name ?? 'recording').replace(/\.ndjson(\.gz)?$|\.jsonl$/i, '');
  const meta = await importLines(
    db,
    { id, name },
    piecesOf(textOf(file, onProgress)),
    () => 'cannot read the file',
  );
  onProgress?.(1);
  return meta;
}

/**
 * Outputs computed elsewhere to record beside the lines (a cluster's, for Compare): `of(n)` the
 * `{"node","event"}` lines line `n` caused. `note` is kept as the recording's `outputsEnded`:
 * they may cover only some nodes, so Compare does not count the replay's other nodes as extra.
 */
export interface ImportedOutputs {
  readonly of: (lineNo: number) => readonly string[] | undefined;
  readonly note: string;
}

/** Where {@link importLines} puts the lines, and what the library lists. */
export interface ImportTarget {
  readonly id: string;
  readonly name: string;
  readonly venues?: readonly string[];
  readonly symbols?: readonly string[];
}

/**
 * Write batches of recording lines (each line's exact text) as recording `target.id`: every
 * line is validated through a RecordingDecoder (a recording that imports also replays), the
 * lines go into a staging recording (status `importing`, hidden from the library), committed
 * only once every batch is in. A malformed line rejects the whole import with an
 * {@link ImportError} naming its 1-based line, as does an error of the batches (cancel,
 * connection lost: worded by `what`), and the staging recording is deleted.
 */
export async function importLines(
  db: StudioDatabase,
  target: ImportTarget,
  batches: AsyncIterable<readonly string[]>,
  what: () => string,
  outputs?: ImportedOutputs,
): Promise<RecordingMeta> {
  const writer = await RecordingWriter.create(db, {
    ...target,
    status: 'importing',
    outputs: outputs !== undefined,
  });
  try {
    const decoder = new RecordingDecoder();
    let lineNo = 0;
    let seen = 0;
    for await (const batch of batches) {
      for (const text of batch) {
        lineNo++;
        if (text.trim() === '') continue;
        decoder.push(text, lineNo); // throws RecordingLineError naming the line
        writer.line(JSON.parse(text) as RecordLine, text);
        for (const out of outputs?.of(lineNo) ?? []) writer.outputText(out);
        seen++;
      }
      await writer.flush();
      if (writer.stopped) throw new ImportError(writer.stopped);
    }
    if (seen === 0) throw new ImportError('the file has no recording lines');
    if (outputs) writer.endOutputs(outputs.note);
    await writer.flush();
    if (writer.stopped) throw new ImportError(writer.stopped);
    return await writer.close();
  } catch (e) {
    await writer.abandon();
    await deleteRecording(db, target.id);
    if (e instanceof RecordingLineError) throw new ImportError(e.message, e.line);
    if (e instanceof ImportError) throw e;
    throw new ImportError(`${what()}: ${(e as Error).message || String(e)}`);
  }
}

/** Text pieces → batches of whole lines (`\r\n` or `\n`). */
async function* piecesOf(pieces: AsyncIterable<string>): AsyncGenerator<string[]> {
  let rest = '';
  for await (const piece of pieces) {
    const parts = (rest + piece).split('\n');
    rest = parts.pop()!;
    yield parts.map((p) => (p.endsWith('\r') ? p.slice(0, -1) : p));
  }
  if (rest !== '') yield [rest];
}

/** The file's text in pieces, inflated when it is gzip; progress by compressed bytes read. */
async function* textOf(file: Blob, onProgress?: (f: number) => void): AsyncGenerator<string> {
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  let read = 0;
  const counted = file.stream().pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, ctl) {
        read += chunk.byteLength;
        onProgress?.(Math.min(0.99, read / Math.max(1, file.size)));
        ctl.enqueue(chunk);
      },
    }),
  );
  const bytes = gzip
    ? counted.pipeThrough(
        new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>,
      )
    : counted;
  const text = new TextDecoderStream('utf-8', { fatal: true });
  const reader = bytes
    .pipeThrough(text as unknown as TransformStream<Uint8Array, string>)
    .getReader();
  try {
    for (;;) {
      let r: ReadableStreamReadResult<string>;
      try {
        r = await reader.read();
      } catch (e) {
        throw new ImportError(
          gzip
            ? `the gzip stream is truncated or corrupt (${(e as Error).message})`
            : `the file is not UTF-8 text (${(e as Error).message})`,
        );
      }
      if (r.done) return;
      yield r.value;
    }
  } finally {
    reader.releaseLock();
  }
}
