import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import type { Event } from '../../core/events.ts';

/** What a runner reports about itself (shown in the toolbar). */
export interface RunStatus {
  readonly state: 'stopped' | 'running' | 'error';
  /** Why it is in error, or a note while running (e.g. a venue disconnected). */
  readonly message?: string;
  /** Nodes left out of the run (invalid or downstream of something invalid), with the reason. */
  readonly skipped: readonly { readonly nodeId: string; readonly reason: string }[];
}

/** Where a runner delivers results: every output event, tagged with the node that produced it. */
export interface RunnerSink {
  /** Called per event; must be cheap (the studio only records the latest value per node). */
  onValue(nodeId: string, event: Event): void;
  onStatus(status: RunStatus): void;
}

/**
 * The seam between the canvas and whatever executes pipelines. The studio only ever runs the
 * document on screen: `start` with it, `update` whenever it changes (param edits apply live),
 * `stop`. The in-thread implementation runs a FeatureStreamGraph on the main thread; the
 * multi-worker StreamManager can sit behind the same interface (honouring each node's `worker`).
 */
export interface PipelineRunner {
  start(doc: PipelineDoc): void;
  update(doc: PipelineDoc): void;
  stop(): void;
}

/** Builds a runner delivering to `sink`. */
export type RunnerFactory = (sink: RunnerSink) => PipelineRunner;
