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

/** Receiver → sender on the same port: one batch consumed (a credit comes back). */
export interface Ack {
  readonly t: 'a';
}

/** Receiver → sender: the receiver's checkpoint holds every item below `n`; stop retaining them. */
export interface Release {
  readonly t: 'r';
  readonly n: number;
}

export type DataMessage = Batch | PackedBatch | Ack | Release;

/** The watermark of a finished stream (JSON-safe, unlike Infinity). */
export const END_SEQ = Number.MAX_SAFE_INTEGER;
