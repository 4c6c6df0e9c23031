import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { Event } from '../core/events.ts';
import type { FeedStatus } from '../sources/connection/FeedStatus.ts';
import type { MovedSource } from './liveFeeds.ts';
import type { MergedNode } from './mergedNodes.ts';

/** What a runner reports about itself (shown in the toolbar). */
export interface RunStatus {
  readonly state: 'stopped' | 'running' | 'error';
  /** Why it is in error, or a note while running (e.g. a venue disconnected). */
  readonly message?: string;
  /** Nodes left out of the run (invalid or downstream of something invalid), with the reason. */
  readonly skipped: readonly { readonly nodeId: string; readonly reason: string }[];
}

/** Output events of one node since the previous batch, oldest first. */
export interface NodeEvents {
  readonly nodeId: string;
  readonly events: readonly Event[];
}

/** A feed incident to mark on the charts of features fed by that connection. */
export interface FeedMarker {
  readonly kind: 'gap' | 'reconnect' | 'disconnect';
  readonly exchange: string;
  /** Seed-style symbol, when the incident concerns one book. */
  readonly symbol?: string;
  /** Epoch seconds (receipt time). */
  readonly ts: number;
  readonly detail?: string;
}

/** Runtime health, coalesced: at most ~10 reports a second. */
export interface RunTelemetry {
  /** One entry per worker (the in-thread runner reports one pseudo-worker, index 0). */
  readonly workers: readonly {
    readonly index: number;
    readonly nodeIds: readonly string[];
    readonly alive: boolean;
    readonly restarts: number;
  }[];
  /**
   * Per node id: output events/s and, where measured, processing and receipt→output latency.
   * Maps (here and for edges): ids are user text, and `constructor` must not find a prototype member.
   */
  readonly nodes: ReadonlyMap<
    string,
    { readonly eventsPerSec: number; readonly latencyMs?: number }
  >;
  /**
   * Per pipeline edge id (cross-worker edges only carry queues): rate, fill 0..1, and the events
   * dropped since the previous report (so the colour returns once the pressure goes).
   */
  readonly edges: ReadonlyMap<
    string,
    { readonly eventsPerSec: number; readonly queueFill: number; readonly drops: number }
  >;
  /** One status per venue connection (SIM included, as always live). */
  readonly feeds: readonly FeedStatus[];
  readonly failures: number;
  readonly recoveries: number;
  /**
   * Sources running on another worker than their placement asked, because their feed's first
   * source is there (one feed, one worker; `session/liveFeeds.ts`). Absent: none moved.
   */
  readonly moved?: readonly MovedSource[];
  /** Nodes run as an identical node's feature against their `worker` field (`mergedNodes`). */
  readonly merged?: readonly MergedNode[];
}

/** Where a runner delivers results. Nothing here is called per event. */
export interface RunnerSink {
  /**
   * Output events, batched: at most about once per animation frame. Nodes listed with
   * `setSeriesNodes` get every event; other nodes may be thinned to their latest event per batch
   * (all the canvas needs), so workers ship only what the UI shows.
   */
  onBatch(batch: readonly NodeEvents[]): void;
  onStatus(status: RunStatus): void;
  onTelemetry?(telemetry: RunTelemetry): void;
  onMarker?(marker: FeedMarker): void;
  /** A user feature failed in a worker (its node stops; the rest keeps running). */
  onUserFailure?(failure: UserFailure): void;
}

/** Where a run's market data comes from. */
export type RunSource =
  /** Live: the Simulated market and exchange venues, as the document's source nodes say. */
  | { readonly kind: 'live' }
  /**
   * A recording from the library, replayed through the same adapters (see src/sources/replay).
   * The replay controller owns play/pause/seek/speed; the runner only consumes its events.
   */
  | { readonly kind: 'replay'; readonly recordingId: string }
  /**
   * Values computed elsewhere (a deployed pipeline on a cluster, src/cluster/ClusterRunner.ts):
   * the run uses this runner, made afresh for each start, through the same sink.
   */
  | { readonly kind: 'external'; readonly label: string; readonly runner: RunnerFactory };

export interface RunOptions {
  readonly source?: RunSource;
  /**
   * Record the run's raw source frames (and optionally its outputs) into the recordings library
   * under this id (src/recording/RecordingWriter.ts).
   */
  readonly record?: { readonly recordingId: string; readonly outputs: boolean };
}

/**
 * The seam between the canvas and whatever executes pipelines. The studio only ever runs the
 * document on screen: `start` with it, `update` whenever it changes (param edits apply live),
 * `stop`. Implementations: the in-thread runner and the multi-worker StreamManager runner
 * (honouring each node's `worker`).
 */
export interface PipelineRunner {
  start(doc: PipelineDoc, options?: RunOptions): void;
  update(doc: PipelineDoc): void;
  stop(): void;
  /** Nodes whose every event the UI needs (charted); the rest may be thinned to latest-only. */
  setSeriesNodes(nodeIds: readonly string[]): void;
}

/** Builds a runner delivering to `sink`. */
export type RunnerFactory = (sink: RunnerSink) => PipelineRunner;
