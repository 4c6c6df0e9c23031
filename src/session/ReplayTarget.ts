import type { GapItem } from '../core/batch/gaps.ts';
import type { MarketEvent } from '../core/events.ts';
import type { FeatureStreamGraph } from '../core/graph/FeatureStreamGraph.ts';

/**
 * Where a {@link ReplayEngine}'s decoded items go: a document's per-node graph (`NodeGraph`:
 * replay, Compare) or a batch run (`RecordingBatch`: the studio's export and `featurizer run` over
 * a recording, CSV/NDJSON with gap markers). Both step the core GraphStepper.
 */
export interface ReplayTarget {
  /** One decoded market event or venue gap, in decoder order; true when an event was fed. */
  push(item: MarketEvent | GapItem): boolean;
  /** The graph, when checkpoints can snapshot it; without one the replay only plays forward. */
  readonly graph?: FeatureStreamGraph;
}
