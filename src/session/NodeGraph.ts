import { type GapItem, isGapItem } from '../core/batch/gaps.ts';
import { GraphStepper, type StepSink } from '../core/batch/GraphStepper.ts';
import { featuresFromPipeline, type PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { Event, MarketEvent } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';
import type { FeatureStreamGraph } from '../core/graph/FeatureStreamGraph.ts';
import { featureRouteKey, routeKey } from '../sources/DataSourceEventEmitter.ts';
import type { ReplayTarget } from './ReplayTarget.ts';

/** What a {@link NodeGraph} is built from, computed once per document (graphs are rebuilt on seeks). */
export interface NodeGraphPlan {
  /** The document's output features: what the graph is built from. */
  readonly features: readonly Feature[];
  /** Every node's feature, each once (pooled twins share one): the stepper's observed positions. */
  readonly observed: readonly Feature[];
  /** `nodes[i]`: the node ids of `observed[i]`, in document order. */
  readonly nodes: readonly (readonly string[])[];
  readonly onOutput: (nodeId: string, e: Event) => void;
}

/**
 * A document's graph for replay and Compare: a core {@link GraphStepper} whose outputs are every
 * node's (charts show inner nodes too), with events routed by (exchange, channel, symbol) to every
 * source on that route, exactly as the live emitters route (so Compare can match live). Gaps do
 * not reach nodes: live features see none either.
 */
export class NodeGraph implements ReplayTarget, StepSink {
  readonly graph: FeatureStreamGraph;
  private readonly stepper: GraphStepper;
  private readonly routes = new Map<string, Feature[]>();

  static plan(doc: PipelineDoc, onOutput: NodeGraphPlan['onOutput']): NodeGraphPlan {
    const { features, byNodeId } = featuresFromPipeline(doc);
    const observed: Feature[] = [];
    const nodes: string[][] = [];
    for (const [nodeId, f] of byNodeId) {
      const i = observed.indexOf(f);
      if (i >= 0) nodes[i]!.push(nodeId);
      else {
        observed.push(f);
        nodes.push([nodeId]);
      }
    }
    return { features, observed, nodes, onOutput };
  }

  constructor(private readonly plan: NodeGraphPlan) {
    this.stepper = new GraphStepper(plan.observed, this, {
      graph: plan.features,
      synthetic: false,
      order: 'emission',
    });
    this.graph = this.stepper.graph;
    for (const f of this.graph.getIns()) {
      if (f.definition.kind !== 'source' || f.definition.channel === undefined) continue;
      const key = featureRouteKey(f);
      this.routes.set(key, [...(this.routes.get(key) ?? []), f]);
    }
  }

  push(item: MarketEvent | GapItem): boolean {
    if (isGapItem(item)) return false;
    const list = this.routes.get(routeKey(item.exchange, item.channel, item.symbol));
    if (!list) return false;
    for (const f of list) this.stepper.step(f, item.event);
    return true;
  }

  output(pos: number, e: Event): void {
    for (const nodeId of this.plan.nodes[pos]!) this.plan.onOutput(nodeId, e);
  }

  before(): void {}
  after(): void {}
  gap(): void {}
}
