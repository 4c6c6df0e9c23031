import type { Event } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';
import { FeatureStreamGraph } from '../core/graph/FeatureStreamGraph.ts';
import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';
import { NdjsonLineWriter, TimesText } from '../core/batch/NdjsonLineWriter.ts';
import type { CommitGate } from './CommitGate.ts';
import { DerivationOrder, needsDerivationOrder } from './DerivationOrder.ts';
import type { MergeItem } from './InputMerger.ts';
import { fromDagSpec } from './fromDagSpec.ts';
import { isLineFailure } from './parseRawLines.ts';
import type { WorkerMeter } from './WorkerMeter.ts';
import type { WorkerPorts } from './WorkerPorts.ts';
import type { LiveTap, WorkerConfig } from './workerTypes.ts';

/** Where a stream worker's subgraph sends what its nodes emit. */
export interface SubgraphSinks {
  readonly ports: WorkerPorts;
  readonly meter: WorkerMeter;
  /** The commit gate, while out-edge items wait for a stored checkpoint. */
  gate(): CommitGate | undefined;
  /** The live tap, if any. */
  tap(): LiveTap | undefined;
}

/**
 * A stream worker's subgraph: its nodes rebuilt from the DAG spec, their graph (boundary inputs
 * as leaves), and each node's outputs wired to where they go: counts (telemetry), the out-edges
 * (through the commit gate when there is one), the tap, and the results (thinned to the latest
 * per output position when the config asks, except the charted series).
 */
export class WorkerSubgraph {
  readonly graph: FeatureStreamGraph;
  readonly nodes: Feature[];
  /** Every user node failure of this worker (markers leave with telemetry; batch asks at the end). */
  readonly failures: UserFailure[] = [];
  /** The sequence number of the input being processed: every output it causes takes it. */
  private curSeq = 0;
  private series: Set<number>;
  /** Thinned outputs: latest (seq, event) per output position since the last flush. */
  private readonly latestOut = new Map<number, readonly [number, Event]>();
  /** Set when the DAG has a diamond across workers: inputs are then run by derivation key. */
  private readonly order: DerivationOrder | undefined;
  /** In ordered mode, the items of the input being gathered (one seq, every lane). */
  private group: MergeItem[] = [];

  constructor(cfg: WorkerConfig, sinks: SubgraphSinks) {
    this.series = new Set(cfg.series ?? []);
    // A failing user feature is reported with the telemetry, as a marker (issue #13).
    const { nodes } = fromDagSpec(cfg.dag, {
      onUserFailure: (f) => {
        this.failures.push(f);
        sinks.meter.mark({ kind: 'userFailure', ...f });
      },
    });
    this.nodes = nodes;
    const owned = cfg.plan.nodes.map((i) => nodes[i]!);
    const inputs = cfg.plan.inputs.map((i) => nodes[i]!);
    const order = needsDerivationOrder(cfg.dag, cfg.workers ?? 2)
      ? new DerivationOrder(nodes, new Set(cfg.plan.sources))
      : undefined;
    this.order = order;
    this.graph = new FeatureStreamGraph(owned, false, undefined, {
      inputs,
      ...(order ? { onNode: order.onNode } : {}),
    });
    const counts = sinks.meter.counts;
    for (const i of cfg.plan.nodes) {
      counts[i] = 0;
      this.graph.setCallback(nodes[i]!, () => counts[i]!++);
    }
    const { ports } = sinks;
    for (const x of cfg.plan.exports) {
      const edges = cfg.outEdges.filter((e) => e.features.includes(x)).map((e) => e.id);
      this.graph.setCallback(nodes[x]!, (_f, ev) => {
        const gate = sinks.gate();
        const e = order ? order.wrap(ev) : ev;
        for (const id of edges) {
          if (gate) gate.push(id, this.curSeq, x, e);
          else ports.senders.get(id)!.push(this.curSeq, x, e);
        }
      });
    }
    const times = new TimesText();
    for (const pos of cfg.plan.outputs) {
      const ndjson = cfg.ndjson && new NdjsonLineWriter(cfg.ndjson[pos]!, times);
      this.graph.setCallback(nodes[cfg.dag.outputs[pos]!]!, (_f, e) => {
        sinks.tap()?.output?.(pos, this.curSeq, e);
        if (cfg.thin && !this.series.has(pos)) this.latestOut.set(pos, [this.curSeq, e]);
        else if (ndjson) {
          // Written as UTF-8 into the results' buffer: no string per line (see TextBatch).
          ndjson.lineTo(e, ports.results!.text!);
          ports.results!.pushText(this.curSeq, pos);
        } else ports.results!.push(this.curSeq, pos, e);
      });
    }
    order?.finish();
  }

  /**
   * One merged input: a line failure goes to the results as it is; an event into the graph. In
   * ordered mode the items of one seq are gathered and run by {@link endInput} (the merge never
   * stops inside a seq), so call that after each drain.
   */
  emit(seq: number, feat: number, ev: Event, results: WorkerPorts['results']): void {
    if (this.order) {
      if (this.group.length > 0 && this.group[0]!.seq !== seq) this.endInput(results);
      this.group.push({ seq, feat, ev });
      return;
    }
    this.curSeq = seq;
    if (isLineFailure(feat)) results!.push(seq, feat, ev);
    else this.graph.emitNamedDataEvent([this.nodes[feat]!, ev]);
  }

  /** Ordered mode: run the gathered items of the last seq in derivation order (else nothing). */
  endInput(results: WorkerPorts['results']): void {
    const items = this.group;
    if (!this.order || items.length === 0) return;
    this.group = [];
    this.curSeq = items[0]!.seq;
    this.order.deliver(items, (it) => {
      if (!isLineFailure(it.feat)) return false;
      results!.push(it.seq, it.feat, it.ev);
      return true;
    });
  }

  /** The thinned outputs held since the last flush go to the results. */
  flushThinned(results: WorkerPorts['results']): void {
    for (const [pos, [seq, e]] of this.latestOut) results?.push(seq, pos, e);
    this.latestOut.clear();
  }

  /** Output positions that keep every event (charted) when thinning. */
  setSeries(positions: readonly number[]): void {
    this.series = new Set(positions);
  }
}
