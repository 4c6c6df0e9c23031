import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { Event } from '../core/events.ts';
import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';
import type { ChunkStore } from '../recording/ChunkWindow.ts';
import type { RuntimePlatform } from '../runtime/ports.ts';
import type { ReplayRecovery } from '../runtime/replayTypes.ts';
import type { ScalingStrategy } from '../runtime/ScalingStrategy.ts';
import type { ReplayStatePort } from './replayState.ts';
import type { ReplayInputOptions } from './worker/replayInput.ts';

/** Where replay workers come from, and how the document splits over them (as live). */
export interface ReplayWorkers {
  readonly platform: RuntimePlatform;
  /** How nodes without a `worker` field split (default `per-source`, as live). */
  readonly strategy?: ScalingStrategy;
  readonly hardwareConcurrency?: number;
  /**
   * Ship only what a page shows (the studio): nodes not charted (`setSeries`) get their latest
   * event per batch. Off while a digest is taken (`digestFrom`), which needs every output.
   */
  readonly thin?: boolean;
}

export interface WorkerReplayOptions extends ReplayWorkers {
  readonly doc: PipelineDoc;
  readonly recordingId: string;
  readonly name: string;
  /** The recording's chunks, for time → line lookups on this thread (seek by time, loop). */
  readonly store: ChunkStore;
  /** What the workers read (they stream and decode the lines themselves). */
  readonly input: ReplayInputOptions;
  readonly total: number;
  readonly start: number;
  readonly end: number;
  readonly deliver: (nodeId: string, event: Event) => void;
  readonly recording?: boolean;
  readonly state: ReplayStatePort;
  readonly now?: () => number;
  /**
   * The workers started (how many), or could not run the replay (why); `recovered`: a crashed
   * worker was restarted and the replay plays on from a checkpoint (outputs unchanged).
   */
  readonly onStatus?: (
    s: { workers: number; recovered?: ReplayRecovery } | { error: string },
  ) => void;
  /** A user feature node failed in a worker (the rest of the replay goes on; issue #13). */
  readonly onUserFailure?: (f: UserFailure) => void;
}

/** How a status line tells of a recovered crash (empty without one). */
export function recoveryNote(r: ReplayRecovery | undefined): string {
  return r ? ` (worker ${r.worker} restarted at line ${r.line}: ${r.reason})` : '';
}
