import type { Event } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';
import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';
import type { CollectedOutput } from './OutputCollector.ts';
import type { ReplayCheckpoint } from './ReplayCheckpoints.ts';
import type { TransportOptions } from './Transport.ts';
import type { WorkerConfig } from './workerTypes.ts';

/**
 * A recording as a replay worker reads it, line by global line index: made by the worker entry
 * (a chunk window over IndexedDB or lines in memory, and the venue decoder), so the runtime never
 * knows recordings. Only the workers owning data sources have one.
 */
export interface ReplayInput {
  /** Lines in the recording (grows while a recording being written is followed). */
  readonly total: number;
  /** Whether line `i` is readable now; otherwise loading starts and {@link onLoad} follows. */
  request(i: number): boolean;
  /** A load finished (the worker tries again). */
  onLoad: () => void;
  /** Receipt time of line `i` (readable, or the line before the last requested). */
  time(i: number): number;
  /** One past the last line readable now without loading (`request` a line there to load). */
  readonly end: number;
  /** Decode line `i` (readable): `emit` gets each event for one of the worker's sources. */
  push(i: number, emit: (source: number, ev: Event) => void): void;
  /** The decoder's state before the next line (undefined: it cannot checkpoint). */
  snapshot(): unknown;
  /** Back to a {@link snapshot} (undefined: a fresh decoder, as at line 0). */
  restore(state: unknown): void;
  /** The recording grew to `total` lines in `chunks` chunks. */
  grow(total: number, chunks: number): void;
  /** Why the last read failed, if it did. */
  readonly error: unknown;
  /**
   * Chunk reads that found the recording's decoded-events cache entry missing or bad and read
   * the chunk's frames instead (0 or undefined: none, or no cache read).
   */
  readonly cacheFallbacks?: number;
  /**
   * Receipt-time ranges of the recording this input holds in memory, flat `[from, to, …]`
   * (`memoryRanges`): a play or seek there reads nothing from storage. Undefined: not told.
   */
  memory?(): readonly number[];
}

/**
 * Which of the lines no source worker's sources take a source worker decodes (so a broken one is
 * still found and named): those whose line number is `rank` modulo `of` (the source workers share
 * them evenly, instead of one of them decoding them all on top of its own lines).
 */
export interface LineShare {
  readonly rank: number;
  readonly of: number;
}

/**
 * Builds a worker's {@link ReplayInput} for its `sources` from the run's opaque `options`.
 * Each line is decoded where it can feed a source — the lines that can feed the other source
 * workers' sources (`elsewhere`) are theirs — and the lines nobody takes are shared (`share`).
 */
export type ReplayInputFactory = (
  sources: readonly Feature[],
  options: unknown,
  share: LineShare,
  elsewhere: readonly Feature[],
) => ReplayInput;

/** A replay worker's config: a worker config plus what the recording replay needs. */
export interface ReplayWorkerConfig extends WorkerConfig {
  readonly replay: {
    /** A checkpoint every this many recording lines (the same lines in every worker). */
    readonly checkpointLines: number;
    /** Checkpoints kept before every other one is dropped (by line, the same in every worker). */
    readonly maxCheckpoints: number;
    /** Handed to the entry's {@link ReplayInputFactory} (which recording, where). */
    readonly input: unknown;
    /** The source workers, in order: they share the lines no source takes (see LineShare). */
    readonly readers: readonly number[];
  };
}

/** A replay worker's report on its main port (beside its result batches). */
export interface ReplayReport {
  readonly t: 'rp';
  readonly worker: number;
  readonly epoch: number;
  /** Source workers: the next line to read (every line below it is read and its inputs sent). */
  readonly line: number;
  /** Receipt time of line `line - 1` (undefined at line 0). */
  readonly time: number | undefined;
  /** Lines read since the last report that fed at least one of this worker's sources. */
  readonly fed: readonly number[];
  /** A read or decode failure, named (the replay cannot go on past it). */
  readonly error?: string;
  /** User feature nodes that failed since the last report (the rest keeps running; issue #13). */
  readonly userFailures?: readonly UserFailure[];
  /** The lines this worker holds checkpoints at, when they changed since its last report. */
  readonly held?: readonly number[];
  /** Where this worker's time went since it started (benches print it). */
  readonly spentMs?: ReplayWorkerTimes;
  /** Source workers: chunk reads so far that set the decoded-events cache aside (frames read). */
  readonly cacheFallbacks?: number;
  /** Source workers: what they hold in memory (`ReplayInput.memory`), when it changed. */
  readonly memory?: readonly number[];
}

/**
 * A replay worker's busy time, in ms since it started: reading and decoding the recording (source
 * workers), processing (merge, graph, checkpoints and their copies), and sending (results, edges,
 * reports). The rest of the wall time it waited (pacing, credits, loads, or another thread
 * holding the core).
 */
export interface ReplayWorkerTimes {
  readonly read: number;
  readonly process: number;
  readonly send: number;
  /**
   * Waited, with lines allowed, for the store to load them (its latency, and the landed chunks'
   * deserialization on this thread, which runs outside the parts above).
   */
  readonly waitLoad: number;
  /** Waited, with lines allowed, for credits (outputs or edges not yet taken downstream). */
  readonly waitCredit: number;
}

/**
 * A replay worker's copy of a new checkpoint, on its main port: the main thread keeps the
 * checkpoints each worker holds, so a crashed worker's replacement can start from them.
 */
export interface ReplayCheckpointCopy {
  readonly t: 'ck';
  readonly worker: number;
  readonly checkpoint: ReplayCheckpoint;
  /** Lines the worker holds checkpoints at now (older ones may have been thinned out). */
  readonly held: readonly number[];
}

/** A replay worker's control surface (comlink; data moves on MessagePorts as in live). */
export interface ReplayWorkerApi {
  init(cfg: ReplayWorkerConfig): void;
  /** Take checkpoints copied from a crashed predecessor (before {@link reset} to one of them). */
  adopt(cps: readonly ReplayCheckpoint[]): void;
  connectMain(port: MessagePort): void;
  connectOutput(edgeId: number, port: MessagePort): void;
  connectInput(lane: number, port: MessagePort): void;
  /**
   * Start over at checkpoint `line` for the playback `epoch`: graph and decoder restored, queues
   * emptied, ports dropped (the manager connects fresh ones, so nothing of the previous epoch can
   * arrive). Reads nothing until told. False when this worker holds no checkpoint there (see
   * {@link checkpointLines}): it stops reading and keeps its epoch, and the manager starts over.
   */
  reset(epoch: number, line: number): boolean;
  /** Read lines below `line` whose receipt time is at most `time`, then wait for more. */
  playTo(epoch: number, line: number, time: number): void;
  /** Stop reading now; the next line this worker would read. */
  hold(): number;
  /** Lines this worker holds a checkpoint at (ascending, always 0). */
  checkpointLines(): number[];
  grow(total: number, chunks: number): void;
  /**
   * Thin the results (the studio): outputs not at a `series` position ship only their latest
   * event per batch (and per checkpoint line, so each node's value before it stays exact).
   */
  setThin(thin: boolean, series: readonly number[]): void;
  /** Crash the worker with an uncaught error (tests of crash recovery). */
  fault(kind: 'throw'): void;
  stop(): void;
}

/** What a `ReplayManager` runs, and where its results go. */
export interface ReplayManagerOptions {
  /** A checkpoint every this many recording lines, in every worker. */
  readonly checkpointLines: number;
  readonly maxCheckpoints: number;
  /** Which recording, opaque here: the entry's `ReplayInputFactory` reads it. */
  readonly input: unknown;
  readonly transport?: TransportOptions;
  /** Outputs in canonical order — by recording line, output position, emission — in batches. */
  readonly onOutputs: (outs: CollectedOutput[]) => void;
  /** Every output of lines `<= line` has been passed to {@link onOutputs}. */
  readonly onComplete?: (line: number) => void;
  /** Each source worker's progress (lines read, their time, lines that fed it), current epoch. */
  readonly onReport?: (r: ReplayReport) => void;
  /**
   * What a source worker holds in memory changed (`ReplayReport.memory`, in any epoch): every
   * source worker's, as last said (the manager's `memory`).
   */
  readonly onMemory?: (memory: ReadonlyMap<number, readonly number[]>) => void;
  /** A crashed worker was replaced and every worker restored at `line` (then plays on). */
  readonly onRecovery?: (r: ReplayRecovery) => void;
  /**
   * A crashed worker (`worker`) could not be replaced, or crashes again and again: the replay
   * stops.
   */
  readonly onFatal?: (message: string, worker: number) => void;
}

/** One crash recovered. */
export interface ReplayRecovery {
  readonly worker: number;
  readonly reason: string;
  /** The checkpoint line every worker was restored at. */
  readonly line: number;
}
