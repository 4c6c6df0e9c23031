import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { LaneBatch } from './LaneItems.ts';

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
 * sequence of the input that caused them. Packed once per checkpoint ({@link LaneBatch}: the
 * numbers in one buffer, names in a table, the texts as they will be stored).
 */
export interface LaneMessage {
  readonly t: 'lane';
  readonly run: number;
  readonly lane: number;
  /** The sending feed instance: a worker restored from a checkpoint is a new one. */
  readonly inc: string;
  /** The items, batch after batch, each in push order (see LaneItems). */
  readonly batches: readonly LaneBatch[];
  /**
   * This feed took checkpoint `ck` after everything it sent before (see LaneOrder); the batches
   * of this message are that checkpoint's, not final until a {@link commit} covers it. Without
   * `ck`, a message's batches are final.
   */
  readonly ck?: number;
  /** The manager stored this feed's checkpoints up to `commit`: their batches are final. */
  readonly commit?: number;
  /**
   * First message of a feed restored from checkpoint `id`, which feed `inc` took: the recorder
   * takes this feed's messages only once that checkpoint's mark (`ck`) has come through.
   */
  readonly restored?: { readonly inc: string; readonly id: number };
  /** Venue and symbol names the batches' `venue`/`symbol` columns index. */
  readonly names: readonly string[];
  /** Everything this lane will ever send with a stamp `<= up` is in this or an earlier message. */
  readonly up: number;
  /** The worker stopped (or handed over): the lane is closed until a worker reopens it. */
  readonly final?: boolean;
  /** First message of a worker restored from a checkpoint after a failure (LiveTapContext). */
  readonly recovered?: boolean;
}

/** The recorder's end of a stream worker's MessagePort (structural: tests pass doubles). */
export interface LanePort {
  onmessage: ((e: { data: unknown }) => void) | null;
  close(): void;
}

/**
 * What the main thread posts to a new stream worker of a recording run, before anything else:
 * the worker's end of its port to the recorder, for the run's `record.channel`.
 */
export interface RecorderPortMessage {
  readonly t: 'recorder-port';
  readonly channel: string;
  readonly port: MessagePort;
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
  /**
   * A stream worker's own line to the recorder (the other end went to that worker): its lane
   * messages come here instead of over the BroadcastChannel (see RecorderClient.connectWorker).
   */
  | { readonly t: 'port'; readonly port: LanePort }
  /** The pipeline was edited: outputs from here on would not match a replay. */
  | { readonly t: 'rebuilt' }
  | { readonly t: 'close' };

/** How often a closing recorder reports what it has left to store. */
export const SAVING_EVERY_MS = 250;

/** Recorder worker → main thread. */
export type RecorderEvent =
  | { readonly t: 'ready' }
  | { readonly t: 'stopped'; readonly reason: string }
  /**
   * While closing, every {@link SAVING_EVERY_MS}: chunks still to store. Also says the recorder is
   * alive: the main thread waits for the real close, however long, and shows this.
   */
  | { readonly t: 'saving'; readonly chunks: number }
  | { readonly t: 'closed'; readonly lines: number; readonly dropped: number }
  | { readonly t: 'error'; readonly message: string };
