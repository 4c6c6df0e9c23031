import type { Feature } from '../core/feature/Feature.ts';
import { FeatureStreamWorkerGraph } from './FeatureStreamWorkerGraph.ts';

/**
 * The route a market data source reads: `(exchange, channel, symbol)`, what live feeds subscribe
 * to and what a replay feeds every source on it (instrument type is not part of it). Undefined
 * for a source without a channel (synthetic) and for features.
 */
export function sourceRoute(f: Feature): string | undefined {
  const def = f.definition;
  if (def.kind !== 'source' || def.channel === undefined) return undefined;
  return JSON.stringify([f.params.exchange, def.channel, f.params.symbol]);
}

/**
 * One route = one feed: the partition `assignment` of `outs`'s DAG nodes with every data source
 * moved onto the worker of the first source on its route (first in the subgraphs' topological
 * order), so a live run opens each route's feed once — one connection, one Simulated market —
 * records its lines once, and every source of the route sees the same frames, as in one thread
 * and in a replay. The consumers stay where the strategy put them: the moved source's events
 * reach them over the ordinary worker edges (exactly once, credits, commit gate, derivation
 * order), which is the fan-out. Before, two workers each opened the route and recorded their own
 * lines, and a replay fed both workers' lines to both sources: live ≠ replay.
 *
 * Never makes a cycle: the owner is the lowest subgraph of the route in a topological order, and
 * a moved source's new edges (owner → its consumers' subgraphs) go from a lower subgraph to a
 * higher one, since its old subgraph was higher than the owner and fed those consumers; the
 * order stays topological after each move. Returns `assignment` itself when nothing moves.
 */
export function oneFeedPerRoute(
  outs: readonly Feature[],
  nodes: readonly Feature[],
  assignment: readonly number[],
): readonly number[] {
  const byRoute = new Map<string, number[]>();
  nodes.forEach((f, i) => {
    const r = sourceRoute(f);
    if (r !== undefined) byRoute.set(r, [...(byRoute.get(r) ?? []), i]);
  });
  const shared = [...byRoute.values()].filter(
    (ix) => new Set(ix.map((i) => assignment[i])).size > 1,
  );
  if (shared.length === 0) return assignment;
  // Subgraph indexes are topological (the constructor numbers them so); work in them.
  const at = new FeatureStreamWorkerGraph(outs, assignment).subgraphOf();
  for (const ix of shared) {
    const owner = Math.min(...ix.map((i) => at[i]!));
    for (const i of ix) at[i] = owner;
  }
  return at;
}

/**
 * The first route whose sources sit on two subgraphs of `g`, as `"EXCHANGE channel SYMBOL has
 * sources on workers 0 and 1"`, or undefined. A live run refuses such a graph (it would open the route
 * twice and record two copies of it): `partition` (ScalingStrategy.ts) never builds one, a graph made by hand can.
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
