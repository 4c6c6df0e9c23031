import type { Event } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';
import type { GraphSnapshot } from '../core/graph/snapshot.ts';
import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';
import type { FeatureDagSpec } from './featureSpec.ts';
import type { SubgraphPlan, WorkerEdge } from './FeatureStreamWorkerGraph.ts';
import type { MergeItem } from './InputMerger.ts';
import type { PortLike } from './ports.ts';
import type { SealedBatch } from './Transport.ts';
import type { OutputColumns } from '../core/batch/format.ts';
import type { TransportOptions, TransportStats } from './Transport.ts';
import type { CommitGateState } from './CommitGate.ts';

/**
 * `replay`: the manager feeds numbered inputs (lossless, deterministic). `live`: the worker's own
 * emitters produce inputs, stamped with wall-clock µs sequence numbers, and edges drop oldest.
 * `recorded`: the workers owning sources read a recording themselves, each input stamped with
 * its recording line, paced by the main thread (`ReplayStreamWorker`, `ReplayManager`).
 */
export type RunMode = 'replay' | 'live' | 'recorded';

/** Everything a worker needs to run its subgraph (plain data: it crosses threads). */
export interface WorkerConfig {
  readonly index: number;
  /**
   * Workers in the run: a live worker takes only sequence numbers `≡ index (mod workers)`, so no
   * two workers' numbers are equal (see LiveSequence). Absent: 1.
   */
  readonly workers?: number;
  readonly dag: FeatureDagSpec;
  readonly plan: SubgraphPlan;
  readonly inEdges: readonly WorkerEdge[];
  readonly outEdges: readonly WorkerEdge[];
  readonly mode: RunMode;
  readonly transport: TransportOptions;
  /** Checkpoint period (default 250 ms); 0 disables checkpoints. */
  readonly checkpointMs?: number;
  /** Telemetry and heartbeat period (default 100 ms). */
  readonly telemetryMs?: number;
  /**
   * Thin the results stream (live studio): outputs not in `series` ship only their latest event
   * per processing tick, so a worker never posts more than the UI can show.
   */
  readonly thin?: boolean;
  /** Output positions that always ship every event (charted series), when `thin`. */
  readonly series?: readonly number[];
  /**
   * Batch NDJSON output: each output position's columns (`outputColumnsOf` of the configured
   * features). The worker then ships each result as its NDJSON line (formatted here, in parallel,
   * by the same NdjsonLineWriter the main thread would use) instead of the event.
   */
  readonly ndjson?: readonly OutputColumns[];
  /** Opaque to the runtime: handed to the entry's emitter factory (e.g. endpoint overrides). */
  readonly emitterOptions?: unknown;
}

/** The live-source side a worker entry injects: emitters come from `src/sources`. */
export interface EmitterLike {
  registerCallback(feature: Feature, callback: (feature: Feature, event: Event) => void): void;
  start(): void;
  stop(): void;
  /** Current status of each connection it owns (opaque to the runtime; sent with telemetry). */
  statuses?(): readonly object[];
}
/**
 * Builds the emitters for a worker's data sources (live mode only). `options` is the config's
 * `emitterOptions`; `report` takes feed incidents (opaque markers sent up with telemetry); `tap`
 * is this worker's {@link LiveTap}, if the entry made one (e.g. a recorder the emitters feed).
 */
export type EmitterFactory = (
  sources: readonly Feature[],
  options?: unknown,
  report?: (marker: object) => void,
  tap?: LiveTap,
) => EmitterLike[];

/**
 * What a live worker lets its entry see (a recorder, in the studio): every output event with the
 * sequence number of the input that caused it, and after each processing step the watermark up
 * to which everything is processed. Called on the hot path: implementations only buffer.
 */
export interface LiveTap {
  /** An output event at position `pos` of `dag.outputs`, caused by input `seq`. */
  output?(pos: number, seq: number, ev: Event): void;
  /** Every input with seq `<= up` is processed (its outputs were passed to {@link output}). */
  processed(up: number): void;
  /** The worker stops (or hands over): flush and let go. */
  stop(): void;
  /**
   * The worker takes checkpoint `id` now: what the tap must get back if the worker is restored
   * from it (e.g. a recorder's unsent items), stored in the checkpoint.
   */
  checkpoint?(id: number): unknown;
  /**
   * The manager stored checkpoint `id`: a restore can no longer go back before it, so what the
   * tap saw up to it is final (exactly-once: a recorder sends only what a stored checkpoint holds).
   */
  stored?(id: number): void;
  /**
   * The tap holds enough that the worker should take a checkpoint now rather than at the next
   * period (a recorder sends only what a stored checkpoint covers: a burst would wait a period).
   */
  due?(): boolean;
}

/** The worker's live sequence, so a tap can stamp what it sees in the same order as inputs. */
export interface LiveTapContext {
  readonly worker: number;
  /**
   * Take the next live sequence number (wall-clock µs, strictly increasing in this worker, never
   * equal to another worker's of the run).
   */
  nextSeq(): number;
  /**
   * Stamp a line that causes input events (a frame, a SIM event, a disconnect): the live
   * sequence number that the events this worker's sources emit until the current task ends
   * take too, so a line's events keep together in every merge, as when the recording replays.
   * Absent: {@link nextSeq}.
   */
  openLine?(): number;
  /** The last sequence number taken (inputs so far all have seq `<=` it). */
  lastSeq(): number;
  /**
   * This worker replaces one that failed, from its last checkpoint: what the failed one did
   * since that checkpoint is gone from this worker's state (a recorder resends what it held).
   */
  readonly recovered: boolean;
  /** When {@link recovered}: what the tap returned for the checkpoint restored from, and its id. */
  readonly restored?: { readonly id: number; readonly state: unknown };
}

/** Builds a live worker's tap from the config's `emitterOptions`; undefined: nothing to tap. */
export type LiveTapFactory = (options: unknown, ctx: LiveTapContext) => LiveTap | undefined;

type SenderState = { nextN: number; lastUp: number; pending: SealedBatch[] };

/** A worker's whole state between two processing steps. */
export interface WorkerCheckpoint {
  readonly id: number;
  readonly graph: GraphSnapshot;
  /** Per input lane: items below this number are inside this checkpoint. */
  readonly inN: readonly number[];
  readonly lanes: readonly { items: MergeItem[]; up: number }[];
  /** Per out-edge id. */
  readonly out: Readonly<Record<number, SenderState>>;
  readonly results: SenderState;
  readonly lastSeq: number;
  /** The live tap's state at this checkpoint (see `LiveTap.checkpoint`). */
  readonly tap?: unknown;
  /** Out-edge items held until a stored checkpoint covers them (see `CommitGate`). */
  readonly gate?: CommitGateState;
  /**
   * Per-feature operator state (a handover for a changed config): when present the new worker
   * restores these by feature key instead of `graph`, so features whose key is unchanged carry on.
   */
  readonly features?: Readonly<Record<string, GraphSnapshot>>;
}

/** Per-worker telemetry, posted at most every `telemetryMs` (also the heartbeat). */
export interface WorkerTelemetry {
  readonly worker: number;
  /** Events emitted so far per owned node index. */
  readonly nodes: Readonly<Record<number, number>>;
  /** Per out-edge id (and -1 for the results stream). */
  readonly edges: Readonly<Record<number, TransportStats>>;
  /** Input items waiting in the merger. */
  readonly queueDepth: number;
  readonly processed: number;
  /** Total ms spent processing. */
  readonly busyMs: number;
  /** Mean ms from an input entering the pipeline to this worker's outputs, last period. */
  readonly latencyMs: number;
  /** Latest status of each feed connection this worker owns (live mode). */
  readonly feeds?: readonly object[];
  /** Feed incidents since the previous report. */
  readonly markers?: readonly object[];
}

/**
 * A checkpoint as the manager keeps it: its id, and the checkpoint itself as the one message
 * queued, unread, on `port`. The manager never deserializes it (window states make checkpoints
 * megabytes, and reading them on the main thread cost the studio whole frames); a restarted
 * worker gets the port and reads it there.
 */
export interface SealedCheckpoint {
  readonly id: number;
  readonly port: PortLike;
}

/** Messages on a worker's main port (worker → manager). Results use the Batch messages. */
export type WorkerReport =
  | { readonly t: 'tel'; readonly tel: WorkerTelemetry }
  | { readonly t: 'ck'; readonly ck: SealedCheckpoint };

/** The control surface of a worker, called through comlink (`rpc.ts`). */
export interface StreamWorkerApi {
  /** `carry`: per-feature state to restore by key (a fresh worker of an edited pipeline). */
  init(
    cfg: WorkerConfig,
    checkpoint?: WorkerCheckpoint | SealedCheckpoint,
    carry?: Readonly<Record<string, GraphSnapshot>>,
  ): void | Promise<void>;
  connectMain(port: MessagePort): void;
  connectOutput(edgeId: number, port: MessagePort): void;
  connectInput(lane: number, port: MessagePort): void;
  start(): void;
  stop(): void;
  checkpointStored(id: number): void;
  /**
   * Demonstrations and tests: `throw` an uncaught error, `hang` forever, or run `slow` for
   * {@link SLOW_FAULT_MS} (each input item costs {@link SLOW_FAULT_ITEM_MS} of busy time, so a fast
   * upstream backs up against this worker; it keeps answering between processing slices, so the
   * manager does not take it for hung, see the runtime's CONTEXT).
   */
  fault(kind: 'throw' | 'hang' | 'slow'): void;
  /**
   * Stop taking input, process what is queued and return a checkpoint of this instant with
   * per-feature state: the worker is about to be replaced by one with an edited config.
   */
  handover(): WorkerCheckpoint;
  /** Output positions that ship every event (see `WorkerConfig.thin`). */
  setSeries(positions: readonly number[]): void;
  /**
   * Every user feature node that failed in this worker so far (issue #13): a batch run asks at
   * the end, since telemetry markers may still be in flight when the workers stop.
   */
  userFailures(): UserFailure[];
}

/** How long a `slow` fault lasts. */
export const SLOW_FAULT_MS = 4000;
/** Busy time per input item while a `slow` fault lasts (caps the worker near 200 items/s). */
export const SLOW_FAULT_ITEM_MS = 5;
