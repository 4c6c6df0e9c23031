import type { PipelineDoc } from '../core/config/PipelineDoc.ts';

/**
 * `emitterOptions.record` of a live stream worker: record this run into the recorder listening on
 * `channel` (a BroadcastChannel name, unique per recording). See docs/recording-format.md.
 */
export interface WorkerRecordOptions {
  readonly channel: string;
  /** The run (launch) this worker belongs to: lanes of an earlier run no longer hold releases. */
  readonly run: number;
  /** Pipeline node ids per output position, when outputs are recorded; absent: lines only. */
  readonly outputs?: readonly (readonly string[])[];
}

/** Kind codes of a lane message's items: outputs, then the four line kinds. */
export const ITEM_KINDS = ['output', 'frame', 'sent', 'marker', 'sim'] as const;

/**
 * One stream worker's recorded items since its previous message (its "lane", by worker index):
 * lines stamped with the worker's live sequence when recorded, and output lines stamped with the
 * sequence of the input that caused them. Packed for a cheap structured clone (a few big values
 * instead of thousands of small ones): texts joined, numbers in typed arrays, names in a table.
 */
export interface LaneMessage {
  readonly t: 'lane';
  readonly run: number;
  readonly lane: number;
  /** The items' NDJSON texts joined by `\n` (JSON text never holds a raw newline). */
  readonly text: string;
  readonly stamp: Float64Array;
  /** Per item: index in {@link ITEM_KINDS} (0: an output line). */
  readonly kind: Uint8Array;
  /**
   * Lines: the last sequence number their input events took (their outputs have seqs up to it);
   * outputs: -1.
   */
  readonly end: Float64Array;
  /** Lines: receipt time; venue and symbol as indexes in `names` (symbol -1: none). */
  readonly ts: Float64Array;
  readonly venue: Int32Array;
  readonly symbol: Int32Array;
  readonly names: readonly string[];
  /** Everything this lane will ever send with a stamp `<= up` is in this or an earlier message. */
  readonly up: number;
  /** The worker stopped (or handed over): the lane is closed until a worker reopens it. */
  readonly final?: boolean;
  /** First message of a worker restored from a checkpoint after a failure (LiveTapContext). */
  readonly recovered?: boolean;
}

/** Main thread → recorder worker. */
export type RecorderCommand =
  | {
      readonly t: 'open';
      readonly channel: string;
      readonly recordingId: string;
      readonly name: string;
      readonly doc: PipelineDoc;
      readonly outputs: boolean;
      readonly quotaBytes?: number;
    }
  /** A run starts on these worker indexes: hold releases until each has been heard from. */
  | { readonly t: 'expect'; readonly run: number; readonly lanes: readonly number[] }
  /** The pipeline was edited: outputs from here on would not match a replay. */
  | { readonly t: 'rebuilt' }
  | { readonly t: 'close' };

/** Recorder worker → main thread. */
export type RecorderEvent =
  | { readonly t: 'ready' }
  | { readonly t: 'stopped'; readonly reason: string }
  | { readonly t: 'closed'; readonly lines: number; readonly dropped: number }
  | { readonly t: 'error'; readonly message: string };
