import type { Feature } from '../core/feature/Feature.ts';
import { dagNodes, FeatureStreamWorkerGraph } from './FeatureStreamWorkerGraph.ts';

/**
 * The route a market data source reads: `(exchange, channel, symbol)`, what a live feed
 * subscribes to and what a replay feeds every source on it (instrument type is not part of it).
 * Undefined for a source without a channel (synthetic) and for features.
 */
export function sourceRoute(f: Feature): string | undefined {
  const def = f.definition;
  if (def.kind !== 'source' || def.channel === undefined) return undefined;
  return JSON.stringify([f.params.exchange, def.channel, f.params.symbol]);
}

/**
 * `g` with every data source moved onto the worker of the first source of the same feed
 * (`feedOf`; sources it gives no feed stay), first in the subgraphs' topological order; `g`
 * itself when nothing moves. Only sources move: their consumers stay where they were and get
 * the moved source's events over the ordinary worker edges (exactly once, credits, the commit
 * gate, the derivation order), which is the fan-out. The studio uses it so that a live run opens
 * each feed once (`session/liveFeeds.ts`).
 *
 * Never makes a cycle: the owner is the lowest of the feed's subgraphs in a topological order,
 * and a moved source's new edges (owner → its consumers' subgraphs) go from a lower subgraph to a
 * higher one, since its old subgraph was higher than the owner and fed those consumers; the order
 * stays topological after each move.
 */
export function colocateSources(
  outs: readonly Feature[],
  g: FeatureStreamWorkerGraph,
  feedOf: (source: Feature) => string | undefined,
): FeatureStreamWorkerGraph {
  const at = g.subgraphOf();
  const owner = new Map<string, number>();
  const nodes = dagNodes(outs);
  nodes.forEach((f, i) => {
    const feed = f.isSource ? feedOf(f) : undefined;
    if (feed !== undefined) owner.set(feed, Math.min(owner.get(feed) ?? Infinity, at[i]!));
  });
  let moved = false;
  nodes.forEach((f, i) => {
    const feed = f.isSource ? feedOf(f) : undefined;
    if (feed === undefined || owner.get(feed) === at[i]) return;
    at[i] = owner.get(feed)!;
    moved = true;
  });
  return moved ? new FeatureStreamWorkerGraph(outs, at) : g;
}

/**
 * The first route whose sources sit on two subgraphs of `g`, as `"EXCHANGE channel SYMBOL has
 * sources on workers 0 and 1"`, or undefined. A live run refuses such a graph (it would open the
 * route twice and record two copies of it); the studio's plans never make one
 * (`session/liveFeeds.ts`), a graph made by hand can.
 */
export function splitRoute(g: FeatureStreamWorkerGraph): string | undefined {
  const owner = new Map<string, number>();
  for (const s of g.subgraphs) {
    for (const i of s.sources) {
      const n = g.dag.nodes[i]!;
      // The spec keeps the definition's name, which is a market source's channel.
      if (n.params.exchange === undefined) continue;
      const route = `${String(n.params.exchange)} ${n.definition} ${String(n.params.symbol)}`;
      const at = owner.get(route);
      if (at !== undefined && at !== s.index)
        return `${route} has sources on workers ${at} and ${s.index}`;
      owner.set(route, s.index);
    }
  }
  return undefined;
}
