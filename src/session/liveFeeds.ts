import type { Feature } from '../core/feature/Feature.ts';
import { colocateSources, sourceRoute } from '../runtime/colocateSources.ts';
import { dagNodes, type FeatureStreamWorkerGraph } from '../runtime/FeatureStreamWorkerGraph.ts';
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

/**
 * A live feed as the user reads it: a venue's connection (all its sources share one), or one
 * Simulated-market route (each route is a market of its own).
 */
export type LiveFeed =
  | { readonly kind: 'venue'; readonly exchange: string }
  | {
      readonly kind: 'route';
      readonly exchange: string;
      readonly channel: string;
      readonly symbol: string;
    };

/** The feed of a data source ({@link liveFeedOf}) as data; undefined for a synthetic source. */
export function liveFeed(f: Feature): LiveFeed | undefined {
  const def = f.definition;
  if (sourceRoute(f) === undefined || def.kind !== 'source') return undefined;
  const exchange = String(f.params.exchange);
  if (exchange !== SIM_EXCHANGE) return { kind: 'venue', exchange };
  return { kind: 'route', exchange, channel: def.channel!, symbol: String(f.params.symbol) };
}

/** A source {@link oneWorkerPerFeed} moves: off its placed worker onto its feed's owner's. */
export interface FeedMove {
  /** DAG node index (`dagNodes(outs)`) of the moved source. */
  readonly node: number;
  /** DAG node index of the feed's first source, whose worker it joins. */
  readonly owner: number;
  /** Worker (subgraph of the placed graph) the strategy and `worker` fields gave it. */
  readonly placed: number;
  readonly feed: LiveFeed;
}

/**
 * The sources {@link oneWorkerPerFeed} moves in `placed` (the graph before the move), in DAG
 * order: those not on the worker of their feed's first source. The owner is the first source
 * (DAG order) on the lowest subgraph holding the feed, as `colocateSources` picks it.
 */
export function feedMoves(outs: readonly Feature[], placed: FeatureStreamWorkerGraph): FeedMove[] {
  const at = placed.subgraphOf();
  const nodes = dagNodes(outs);
  const owner = new Map<string, number>();
  nodes.forEach((f, i) => {
    const key = f.isSource ? liveFeedOf(f) : undefined;
    if (key === undefined) return;
    const o = owner.get(key);
    if (o === undefined || at[i]! < at[o]!) owner.set(key, i);
  });
  const moves: FeedMove[] = [];
  nodes.forEach((f, i) => {
    const key = f.isSource ? liveFeedOf(f) : undefined;
    const o = key === undefined ? undefined : owner.get(key);
    if (o === undefined || at[o] === at[i]) return;
    moves.push({ node: i, owner: o, placed: at[i]!, feed: liveFeed(f)! });
  });
  return moves;
}

/**
 * A source node that runs on another worker than its placement asked, because its feed's first
 * source is there (one feed, one worker): what the canvas tells the user on that node.
 */
export interface MovedSource {
  readonly nodeId: string;
  /** Its `worker` field (undefined: placed by the scaling strategy). */
  readonly requested: string | undefined;
  /** The worker it runs on (the run's worker index, as the node chips and Workers tab show). */
  readonly worker: number;
  /** The feed's first source (its node id), whose worker it joined. */
  readonly withNodeId: string;
  readonly feed: LiveFeed;
}
