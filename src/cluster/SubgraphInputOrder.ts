import type { Feature } from '../core/feature/Feature.ts';
import type { FeatureStreamGraphOptions } from '../core/graph/FeatureStreamGraph.ts';
import type { Event } from '../core/events.ts';
import { DerivationOrder, needsDerivationOrder } from '../runtime/DerivationOrder.ts';
import type { FeatureStreamWorkerGraph } from '../runtime/FeatureStreamWorkerGraph.ts';
import type { MergeItem } from '../runtime/InputMerger.ts';

/**
 * A cluster subgraph's half of the in-thread order within one input (runtime/CONTEXT.md "Order
 * within one input"), with the runtime's own {@link DerivationOrder}: the processor builds its
 * graph with {@link onNode}, exports {@link wrap}ped events (`{k, e}`: the batch says so with its
 * `KEYED` flag), and hands the merge's items to {@link push}; each input's items (one seq, every
 * lane) then run sorted by derivation key when the next input begins or at {@link flush}. Only a
 * pipeline whose DAG {@link needsDerivationOrder} (a node that joins one input twice) split over
 * more than one subgraph gets one: every other pipeline keeps the plain merge, unchanged.
 */
export class SubgraphInputOrder {
  private readonly order: DerivationOrder;
  private group: MergeItem[] = [];

  private constructor(
    nodes: readonly Feature[],
    sources: ReadonlySet<number>,
    /** Called with each input's seq before its items run (the processor's current input). */
    private readonly begin: (seq: number) => void,
  ) {
    this.order = new DerivationOrder(nodes, sources);
  }

  /** The order for subgraph `index` of `g`, or undefined when the plain merge is exact. */
  static of(
    g: FeatureStreamWorkerGraph,
    index: number,
    nodes: readonly Feature[],
    begin: (seq: number) => void,
  ): SubgraphInputOrder | undefined {
    if (!needsDerivationOrder(g.dag, g.subgraphs.length)) return undefined;
    return new SubgraphInputOrder(nodes, new Set(g.subgraphs[index]!.sources), begin);
  }

  /** The graph hook (FeatureStreamGraphOptions.onNode). */
  get onNode(): NonNullable<FeatureStreamGraphOptions['onNode']> {
    return this.order.onNode;
  }

  /** Once the graph, exports and outputs are attached (watchers added later only watch). */
  finish(): void {
    this.order.finish();
  }

  /** An exported event with its derivation key, `{k, e}`. */
  wrap(e: Event): Event {
    return this.order.wrap(e);
  }

  /** One item of the merge: gathered until its input is complete (the merge never stops inside one). */
  push(it: MergeItem): void {
    if (this.group.length > 0 && this.group[0]!.seq !== it.seq) this.flush();
    this.group.push(it);
  }

  /** Run the gathered input, if any (after each drain: nothing is held across a checkpoint). */
  flush(): void {
    const items = this.group;
    if (items.length === 0) return;
    this.group = [];
    this.begin(items[0]!.seq);
    this.order.deliver(items, () => false);
  }
}
