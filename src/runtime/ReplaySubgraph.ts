import type { Feature } from '../core/feature/Feature.ts';
import { FeatureStreamGraph } from '../core/graph/FeatureStreamGraph.ts';
import type { GraphSnapshot } from '../core/graph/snapshot.ts';
import { DerivationOrder, needsDerivationOrder } from './DerivationOrder.ts';
import { InputMerger, type MergeItem } from './InputMerger.ts';
import { type Batch, END_SEQ } from './protocol.ts';
import type { ReplayPorts } from './ReplayPorts.ts';
import type { ReplayWorkerConfig } from './replayTypes.ts';

/**
 * A replay worker's subgraph: its nodes' graph, wired to its out-edges and results, and the
 * merge of its input lanes by sequence (recording line). {@link process} feeds it every
 * releasable input, stopping at each checkpoint line (`every` lines) so the worker checkpoints
 * there: everything before the line processed, nothing after.
 */
export class ReplaySubgraph {
  private graph!: FeatureStreamGraph;
  private merger!: InputMerger;
  /** Every input with seq (line) `<= done` is processed. */
  done = -1;
  /** The last call yielded with inputs left: credits wait until they are processed. */
  behind = false;
  private curSeq = 0;
  /** Set when the DAG has a diamond across workers: each line's items run by derivation key. */
  private order: DerivationOrder | undefined;
  private group: MergeItem[] = [];

  constructor(
    private readonly cfg: ReplayWorkerConfig,
    private readonly nodes: readonly Feature[],
    private readonly ports: ReplayPorts,
    /** Whether lane 0 is this worker's own reading (a source worker). */
    private readonly reads: boolean,
  ) {
    this.build();
    this.merger = this.freshMerger(-1);
  }

  snapshot(): GraphSnapshot {
    return this.graph.snapshot();
  }

  /**
   * Back to a checkpoint at `line`: a fresh graph restored, lanes empty, nothing processed. At
   * line 0 the fresh graph is the checkpoint (nothing processed yet) and is not restored: its
   * state objects are then built as the first play's were, so the code V8 optimized for them
   * stays valid: restored ones took other shapes and deoptimized a later play's hot paths (V8
   * `--trace-deopt` over a replay's first three plays: 61 deoptimizations, 35 without the
   * restore; the second play ~10% faster in four paired runs).
   */
  restore(line: number, graph: GraphSnapshot): void {
    this.build();
    if (line !== 0) this.graph.restore(graph);
    this.merger = this.freshMerger(line - 1);
    this.done = line - 1;
  }

  add(lane: number, b: Batch): void {
    this.merger.add(lane, b);
  }

  /**
   * Merge and process every releasable input until `yieldNow`, calling `checkpoint` at each
   * checkpoint line reached; true when it yielded with inputs left.
   */
  process(yieldNow: () => boolean, checkpoint: (line: number) => void): boolean {
    const every = this.cfg.replay.checkpointLines;
    for (;;) {
      const boundary = (Math.floor((this.done + 1) / every) + 1) * every;
      this.merger.drain(
        (it) => {
          if (this.order) {
            if (this.group.length > 0 && this.group[0]!.seq !== it.seq) this.endLine();
            this.group.push(it);
            return;
          }
          this.curSeq = it.seq;
          this.graph.emitNamedDataEvent([this.nodes[it.feat]!, it.ev]);
        },
        yieldNow,
        boundary - 1,
      );
      this.endLine();
      if (this.merger.yielded) {
        this.done = Math.max(this.done, this.merger.drainedUpTo);
        this.behind = true;
        return true;
      }
      this.behind = false;
      const w = this.merger.watermark;
      if (w >= boundary - 1) {
        this.done = boundary - 1;
        // Thinned outputs before the line leave before any after it: values there stay exact.
        this.ports.pushLatest();
        checkpoint(boundary);
        continue;
      }
      this.done = Math.max(this.done, Math.min(w, END_SEQ - 1));
      return false;
    }
  }

  /** A fresh graph of this worker's nodes, wired to its out-edges and results. */
  private build(): void {
    const { cfg, nodes } = this;
    const owned = cfg.plan.nodes.map((i) => nodes[i]!);
    const inputs = cfg.plan.inputs.map((i) => nodes[i]!);
    const order = needsDerivationOrder(cfg.dag, cfg.workers ?? 2)
      ? new DerivationOrder(nodes, new Set(cfg.plan.sources))
      : undefined;
    this.order = order;
    this.group = [];
    this.graph = new FeatureStreamGraph(owned, false, undefined, {
      inputs,
      ...(order ? { onNode: order.onNode } : {}),
    });
    for (const x of cfg.plan.exports) {
      const edges = cfg.outEdges.filter((e) => e.features.includes(x)).map((e) => e.id);
      this.graph.setCallback(nodes[x]!, (_f, ev) => {
        const e = order ? order.wrap(ev) : ev;
        for (const id of edges) this.ports.send(id, this.curSeq, x, e);
      });
    }
    for (const pos of cfg.plan.outputs) {
      this.graph.setCallback(nodes[cfg.dag.outputs[pos]!]!, (_f, e) =>
        this.ports.output(this.curSeq, pos, e),
      );
    }
    order?.finish();
  }

  /** Ordered mode: run the gathered items of one line in derivation order (the merge never stops inside a line). */
  private endLine(): void {
    const items = this.group;
    if (!this.order || items.length === 0) return;
    this.group = [];
    this.curSeq = items[0]!.seq;
    this.order.deliver(items, () => false);
  }

  /** Lane 0 is this worker's own reading (finished from the start when it owns no source). */
  private freshMerger(up: number): InputMerger {
    const m = new InputMerger(1 + this.cfg.inEdges.length);
    const lane0 = this.reads ? up : END_SEQ;
    m.add(0, { t: 'b', n0: 0, up: lane0, t0: 0, seq: [], feat: [], ev: [] });
    for (let l = 1; l <= this.cfg.inEdges.length; l++)
      m.add(l, { t: 'b', n0: 0, up, t0: 0, seq: [], feat: [], ev: [] });
    return m;
  }
}
