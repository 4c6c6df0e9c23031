import type { LineHead } from '../../storage/recordings.ts';

/**
 * `emitterOptions.record` of a live stream worker: record this run into the recorder listening on
 * `channel` (a BroadcastChannel name, unique per recording). See src/sources/worker/CONTEXT.md.
 */
export interface WorkerRecordOptions {
  readonly channel: string;
  /** The run (launch) this worker belongs to: lanes of an earlier run no longer hold releases. */
  readonly run: number;
  /** Pipeline node ids per output position, when outputs are recorded; absent: lines only. */
  readonly outputs?: readonly (readonly string[])[];
}

/**
 * One stream worker's recorded items since its previous message (its "lane", by worker index):
 * lines (`head` set) stamped with the worker's live sequence when recorded, and output lines
 * (`head` null) stamped with the sequence of the input that caused them. Parallel arrays.
 */
export interface LaneMessage {
  readonly t: 'lane';
  readonly run: number;
  readonly lane: number;
  readonly stamp: readonly number[];
  readonly text: readonly string[];
  readonly head: readonly (LineHead | null)[];
  /**
   * Per line: the last sequence number its input events took (its outputs have seqs up to it);
   * -1 for outputs.
   */
  readonly end: readonly number[];
  /** Everything this lane will ever send with a stamp `<= up` is in this or an earlier message. */
  readonly up: number;
  /** The worker stopped (or handed over): the lane is closed until a worker reopens it. */
  readonly final?: boolean;
}

/** Main thread → recorder worker. */
export type RecorderCommand =
  | {
      readonly t: 'open';
      readonly channel: string;
      readonly recordingId: string;
      readonly name: string;
      readonly doc: unknown;
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
