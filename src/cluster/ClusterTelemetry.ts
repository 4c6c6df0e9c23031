import type { Event } from '../core/events.ts';
import { SlidingRates } from '../runtime/SlidingRate.ts';
import type { FeatureStreamWorkerGraph } from '../runtime/FeatureStreamWorkerGraph.ts';
import type { RunTelemetry } from '../session/PipelineRunner.ts';
import type { SubgraphTelemetry } from './SubgraphTelemetry.ts';

/**
 * A subgraph whose telemetry has not arrived for this long is shown as not alive (heartbeats
 * come every 2 s; a lost worker's subgraphs are taken over within a lease).
 */
export const ALIVE_MS = 5000;

/**
 * The studio's view of a deployed pipeline's worker telemetry (`fzt.<P>.sg.<i>`): values for
 * every node (intermediate ones included), node rates, and one "worker" per subgraph, in the
 * shapes a local run reports them. Pure (arrival times are passed in), so it is tested without
 * NATS.
 */
export class ClusterTelemetry {
  private readonly rates = new SlidingRates<string>();
  private readonly nodeRate = new Map<number, number>();
  private readonly seen = new Map<number, { atMs: number; owner: string }>();

  /**
   * @param nodeIds per DAG node (dagNodes order), the document's node ids showing it
   * @param outputs DAG nodes whose every event comes from the output chain (no sampled values)
   */
  constructor(
    private readonly g: FeatureStreamWorkerGraph,
    private nodeIds: readonly (readonly string[])[],
    private outputs: ReadonlySet<number>,
  ) {}

  /** The document changed (nodes moved, renamed): new ids for the same DAG nodes. */
  remap(nodeIds: readonly (readonly string[])[], outputs: ReadonlySet<number>): void {
    this.nodeIds = nodeIds;
    this.outputs = outputs;
  }

  /**
   * Take one message (arrived at `nowMs`); returns the sampled values it carries, by node id:
   * latest values of nodes that are not outputs (the chain carries every output event).
   */
  take(m: SubgraphTelemetry, nowMs: number): { nodeId: string; event: Event }[] {
    this.seen.set(m.sg, { atMs: nowMs, owner: m.owner });
    const values: { nodeId: string; event: Event }[] = [];
    for (const [node, count, latest] of m.nodes) {
      // Counts restart with each owner: rate per (subgraph, owner, node).
      this.nodeRate.set(
        node,
        this.rates.observe(`${m.sg}\u0000${m.owner}\u0000${node}`, count, nowMs),
      );
      if (latest === null || this.outputs.has(node)) continue;
      for (const nodeId of this.nodeIds[node] ?? []) values.push({ nodeId, event: latest });
    }
    return values;
  }

  /** Node rates and subgraphs as the Workers tab and node badges read a local run's. */
  telemetry(nowMs: number, feeds: RunTelemetry['feeds']): RunTelemetry {
    const nodes = new Map<string, { eventsPerSec: number }>();
    for (const [node, rate] of this.nodeRate) {
      // A subgraph that went quiet has no rate any more.
      const sg = this.g.subgraphs.find((s) => s.nodes.includes(node));
      const alive =
        sg !== undefined && nowMs - (this.seen.get(sg.index)?.atMs ?? -Infinity) < ALIVE_MS;
      for (const id of this.nodeIds[node] ?? []) nodes.set(id, { eventsPerSec: alive ? rate : 0 });
    }
    return {
      workers: this.g.subgraphs.map((s) => ({
        index: s.index,
        nodeIds: s.nodes.flatMap((n) => this.nodeIds[n] ?? []),
        alive: nowMs - (this.seen.get(s.index)?.atMs ?? -Infinity) < ALIVE_MS,
        restarts: 0,
      })),
      nodes,
      edges: new Map(),
      feeds,
      failures: 0,
      recoveries: 0,
    };
  }

  /** Who ran subgraph `sg` at its last message. */
  ownerOf(sg: number): string | undefined {
    return this.seen.get(sg)?.owner;
  }
}
