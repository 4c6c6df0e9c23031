import type { Event } from '../core/events.ts';

/**
 * Data-plane messages. One stream (an edge, the feeder's input, a worker's outputs) carries
 * numbered items: item `n0 + i` of a batch is `(seq[i], feat[i], ev[i])`. `seq` is the input
 * sequence number the item descends from; `feat` a DAG node index (or an output position on the
 * output stream). Numbers are per stream and deterministic, so a receiver drops the duplicates a
 * recovering sender replays.
 */
export interface Batch {
  readonly t: 'b';
  /** Number of the first item. */
  readonly n0: number;
  /** Watermark: the sender has finished every input with `seq <= up`. */
  readonly up: number;
  /** Wall-clock ms when the oldest input behind this batch entered the pipeline (latency). */
  readonly t0: number;
  readonly seq: readonly number[];
  readonly feat: readonly number[];
  readonly ev: readonly Event[];
}

/** The same batch as JSON bytes, transferred (see Transport codecs). */
export interface PackedBatch {
  readonly t: 'p';
  readonly n0: number;
  readonly up: number;
  readonly t0: number;
  readonly bytes: Uint8Array;
}

/**
 * A results batch as NDJSON bytes (`featurizer run --workers N` with NDJSON output): the worker
 * writes each output line as UTF-8 straight into one buffer, so the main thread only copies byte
 * ranges in canonical order (no string per line is built, cloned or joined). Item `i` is
 * `(seq[i], feat[i])` with the bytes `ends[i - 1] .. ends[i]` of `bytes` (`start .. ends[0]` for
 * the first). A {@link LineFailure} item holds its JSON.
 */
export interface TextBatch {
  readonly t: 'x';
  readonly n0: number;
  readonly up: number;
  readonly t0: number;
  readonly seq: Float64Array;
  readonly feat: Int32Array;
  /** Byte offset in `bytes` where item 0 starts (items a receiver skipped end before it). */
  readonly start: number;
  readonly ends: Int32Array;
  readonly bytes: Uint8Array;
}

/** Receiver → sender on the same port: one batch consumed (a credit comes back). */
export interface Ack {
  readonly t: 'a';
  /** Also a {@link Release} of every item below `n` (one message for both: a batch run's results). */
  readonly n?: number;
}

/** Receiver → sender: the receiver's checkpoint holds every item below `n`; stop retaining them. */
export interface Release {
  readonly t: 'r';
  readonly n: number;
}

/**
 * Batch input still as text (`featurizer run --workers N`): the worker parses it, so the main
 * thread only scans each line for its route (see `LineRouteScanner`). In a {@link Batch} of the
 * feeder's stream, `ev[i]` is then a RawLine; `feat[i]` its source node, or {@link CHECK_ONLY}.
 */
export interface RawLine {
  /** The line as read (normalized NDJSON). */
  readonly raw: string;
  /** Its 1-based line number in the input, for the error that names it. */
  readonly line: number;
  /** Already parsed (a line the scan could not read: the main thread parsed it to route it). */
  readonly ev?: Event;
}

/**
 * An input line still as UTF-8 bytes, `bytes[start..end)` (no line break): what
 * `featurizer run --workers N` feeds, so the main thread never decodes a line it only routes.
 * Lines of one read share its `bytes` (each chunk of the file its own buffer), which a sealed
 * {@link LinesBatch} then carries whole: no copy per line.
 */
export class LineBytes {
  constructor(
    readonly bytes: Uint8Array,
    readonly start: number,
    readonly end: number,
  ) {}
}

/** `feat` of a line no source takes: parsed only to check it (a bad line fails the run anyway). */
export const CHECK_ONLY = -1;

/**
 * A feeder batch of {@link RawLine}s packed for posting: the lines joined by `\n` in one string
 * (one copy, not a clone per line) and the numbers in transferred typed arrays.
 */
export interface LinesBatch {
  readonly t: 'l';
  readonly n0: number;
  readonly up: number;
  readonly t0: number;
  readonly seq: Float64Array;
  readonly feat: Int32Array;
  readonly line: Float64Array;
  /** The lines joined by `\n` (a batch fed strings; `''` when fed {@link LineBytes}). */
  readonly text: string;
  /**
   * A batch fed {@link LineBytes}: UTF-8 holding line `i` at `starts[i]..ends[i]` (the read's
   * own buffer when every line came from one read, else a copy of the lines).
   */
  readonly bytes?: Uint8Array;
  readonly starts?: Int32Array;
  readonly ends?: Int32Array;
  /** The lines that came parsed (their place in `text` is empty): `[index, event]`. */
  readonly parsed: [number, Event][];
}

/**
 * Output position of an input line a worker could not parse (`ev` is a {@link LineFailure}):
 * before the outputs of its own input, for a routed line; after those of the input it follows,
 * for a {@link CHECK_ONLY} line. The batch runner stops at the first one (the lowest line).
 */
export const LINE_FAILED = -1;
export const CHECK_FAILED = Number.MAX_SAFE_INTEGER;

/** Why an input line was refused (an InputLineError's fields, across threads). */
export interface LineFailure {
  readonly line: number;
  readonly field: string;
  readonly detail: string;
}

export type DataMessage = Batch | PackedBatch | LinesBatch | TextBatch | Ack | Release;

/** The watermark of a finished stream (JSON-safe, unlike Infinity). */
export const END_SEQ = Number.MAX_SAFE_INTEGER;
