import type { Feature } from '../core/feature/Feature.ts';
import { colocateSources, sourceRoute } from '../runtime/colocateSources.ts';
import type { FeatureStreamWorkerGraph } from '../runtime/FeatureStreamWorkerGraph.ts';
import { SIM_EXCHANGE } from '../sources/sim/simSymbols.ts';

/**
 * The live feed a data source is read from, as a stream worker opens it
 * (`sources/worker/emitters.ts`): a venue's sources in one worker share one connection per
 * endpoint (one `VenueFeed`, one adapter), so a venue's feed is the venue; the Simulated market
 * records each route's events apart as normalized lines (no protocol state between them), so its
 * feed is the route. Undefined for a synthetic source (generated from the clock, no feed).
 */
export function liveFeedOf(f: Feature): string | undefined {
  const route = sourceRoute(f);
  if (route === undefined) return undefined;
  const exchange = String(f.params.exchange);
  return exchange === SIM_EXCHANGE ? route : JSON.stringify([exchange]);
}

/**
 * One feed, one worker: every source onto the worker of the first source of its feed
 * ({@link liveFeedOf}), whatever the strategy and the nodes' `worker` fields; the features under
 * them stay where they were placed. Live = replay needs it:
 * - two workers holding sources of one route each opened the route (two connections, or two
 *   Simulated markets started at different instants) and recorded their own lines, and a replay
 *   fed both workers' lines to both sources;
 * - two workers holding sources of one venue (a Coinbase book and its trades, per source) each
 *   opened a connection, whose protocol state spans routes (Coinbase's `sequence_num` counts per
 *   connection), while a replay decodes every line of a venue with one adapter: the two
 *   connections' frames interleaved read as sequence gaps, and the replay lost what live had.
 * One venue connection is also what a venue's rate limits and Cryptofeed's feed handler expect.
 */
export function oneWorkerPerFeed(
  outs: readonly Feature[],
  g: FeatureStreamWorkerGraph,
): FeatureStreamWorkerGraph {
  return colocateSources(outs, g, liveFeedOf);
}
