import { isGapItem } from '../core/batch/gaps.ts';
import { SourceRouter } from '../core/batch/routing.ts';
import type { Event } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';
import { FeatureStreamGraph } from '../core/graph/FeatureStreamGraph.ts';
import type { GraphSnapshot } from '../core/graph/snapshot.ts';
import type { DecoderSnapshot } from '../recording/RecordingDecoder.ts';
import type { FeatureStreamWorkerGraph } from '../runtime/FeatureStreamWorkerGraph.ts';
import { dagNodes } from '../runtime/featureSpec.ts';
import { InputMerger, type MergeItem } from '../runtime/InputMerger.ts';
import { token } from './names.ts';
import {
  type EncodedBatch,
  encodeBatch,
  type Export,
  type Note,
  type SubgraphBatch,
} from './OutputBatch.ts';
import { OutputLines } from './OutputLines.ts';
import { inputSeq, K_SPAN, lineDone } from './inputNumbers.ts';
import { SubgraphInputOrder } from './SubgraphInputOrder.ts';
import { MarketDecoding, type MarketItems, type SharedDecoding } from './MarketDecoding.ts';

export { inputSeq, K_SPAN, lineDone, lineOf } from './inputNumbers.ts';
export type { SharedDecoding } from './MarketDecoding.ts';
/** The inputs of a message that gave none (InputMerger.add only reads them). */
const NONE: never[] = [];
/** A lane that never delivers (a subgraph without sources): never holds the merge back. */
const FINISHED = Number.MAX_SAFE_INTEGER;

/** What a checkpoint holds: with the market and lane positions, enough to continue exactly. */
export interface ProcessorState {
  readonly graph: GraphSnapshot;
  readonly merger: ReturnType<InputMerger['state']>;
  readonly decoder: DecoderSnapshot | undefined;
  readonly notes: readonly Note[];
  /** Last market-stream sequence consumed (decoded). */
  readonly mdSeq: number;
  /** Per upstream subgraph: output-stream sequence of the last batch consumed, and its `to`. */
  readonly lanes: Readonly<Record<number, { readonly streamSeq: number; readonly to: number }>>;
  /** Every input ≤ this is processed. */
  readonly done: number;
  /** Inputs run by derivation key (lanes hold keyed exports); absent in older checkpoints. */
  readonly ordered?: boolean;
}

const venueKey = (venues: Iterable<string>): string => [...venues].sort().join(' ');

/**
 * The venues subgraph `index` decodes, as {@link SubgraphProcessor.decodeKey} gives them, without
 * building it (a worker prefers claiming subgraphs that share its decoding).
 */
export function decodeKeyOf(
  features: readonly Feature[],
  g: FeatureStreamWorkerGraph,
  index: number,
): string {
  const nodes = dagNodes(features);
  return venueKey(
    new Set(g.subgraphs[index]!.sources.map((i) => token(nodes[i]!.params.exchange as string))),
  );
}

/**
 * Subgraph `index` of a deployed pipeline, without I/O: market lines and upstream batches in,
 * batches out. The engine is the session/runtime's own: a {@link FeatureStreamGraph} over the
 * subgraph's nodes with its boundary inputs as leaves (as `StreamWorker` builds it), the
 * runtime's {@link InputMerger} ordering its lanes by input number, and the recording decoder.
 * Deterministic: the same inputs give the same batches, which is what makes a restart from a
 * checkpoint publish exactly what the lost owner would have.
 */
export class SubgraphProcessor {
  readonly upstreams: readonly number[];
  private readonly nodes: Feature[];
  private readonly graph: FeatureStreamGraph;
  private readonly merger: InputMerger;
  private readonly router: SourceRouter;
  private readonly nodeOf = new Map<string, number>();
  private readonly mine: Set<number>;
  private readonly inputs: Set<number>;
  /** The venues this subgraph decodes (subject tokens), and those whose gaps it notes. */
  private readonly decoding: MarketDecoding;
  private readonly gapVenues: Set<string>;
  private notes: Note[] = [];
  private readonly lines: OutputLines;
  private exps: Export[] = [];
  private curSeq = 0;
  /** Set when a node joins one input twice across subgraphs: inputs then run by derivation key. */
  private readonly order: SubgraphInputOrder | undefined;
  /** Lines the decoder or the parser refused (skipped, counted: `status` shows them). */
  badLines = 0;
  mdSeq: number;
  lanes: Record<number, { streamSeq: number; to: number }> = {};
  done: number;
  /** Head of this subgraph's published chain: inputs ≤ this are already published. */
  published: number;

  constructor(
    features: readonly Feature[],
    readonly g: FeatureStreamWorkerGraph,
    readonly index: number,
    startSeq: number,
  ) {
    const plan = g.subgraphs[index]!;
    this.nodes = dagNodes(features);
    this.nodes.forEach((f, i) => this.nodeOf.set(f.key, i));
    this.lines = new OutputLines(features);
    this.mine = new Set(plan.sources);
    this.inputs = new Set(plan.inputs);
    // Venue adapters keep state per venue, so a subgraph decodes only its sources' venues (the
    // subject says the venue: no parsing to skip a line). Gaps are noted once per venue, by the
    // lowest-numbered subgraph decoding it.
    const venuesOf = (sg: number): Set<string> =>
      new Set(g.subgraphs[sg]!.sources.map((i) => token(this.nodes[i]!.params.exchange as string)));
    this.decoding = new MarketDecoding(venuesOf(index));
    this.gapVenues = new Set(
      [...this.decoding.venues].filter(
        (v) =>
          g.subgraphs.find((s) => s.sources.length > 0 && venuesOf(s.index).has(v))?.index ===
          index,
      ),
    );
    this.upstreams = [...new Set(g.inEdges(index).map((e) => e.from))].sort((a, b) => a - b);
    this.router = new SourceRouter(this.nodes.filter((f) => f.isSource));
    const order = SubgraphInputOrder.of(g, index, this.nodes, (s) => (this.curSeq = s));
    this.order = order;
    this.graph = new FeatureStreamGraph(
      plan.nodes.map((i) => this.nodes[i]!),
      false,
      undefined,
      { inputs: plan.inputs.map((i) => this.nodes[i]!), ...(order && { onNode: order.onNode }) },
    );
    this.merger = new InputMerger(1 + this.upstreams.length);
    this.mdSeq = startSeq - 1;
    this.done = this.published = lineDone(startSeq - 1);
    const lane0Up = plan.sources.length === 0 ? FINISHED : this.done;
    this.merger.add(0, { t: 'b', n0: 0, up: lane0Up, t0: 0, seq: [], feat: [], ev: [] });
    for (const u of this.upstreams) {
      this.lanes[u] = { streamSeq: 0, to: this.done };
      this.merger.add(this.laneOf(u), {
        t: 'b',
        n0: 0,
        up: this.done,
        t0: 0,
        seq: [],
        feat: [],
        ev: [],
      });
    }
    for (const x of plan.exports)
      this.graph.setCallback(this.nodes[x]!, (_f, e) =>
        this.exps.push([this.curSeq, x, order ? order.wrap(e) : e]),
      );
    for (const pos of plan.outputs) {
      const node = g.dag.outputs[pos]!;
      this.graph.setCallback(this.nodes[node]!, (_f, e) => this.lines.add(this.curSeq, pos, e));
    }
    order?.finish();
  }

  /** The venues this subgraph decodes, as a key: subgraphs with equal keys can share decoding. */
  get decodeKey(): string {
    return venueKey(this.decoding.venues);
  }

  /** Subject tokens of the venues whose lines this subgraph decodes (a feed may filter on them). */
  get venueTokens(): ReadonlySet<string> {
    return this.decoding.venues;
  }

  /**
   * No message of this subgraph's venues is in the market stream after its position up to
   * `upTo` (a venue-filtered feed learned it from the stream): move past them, as past other
   * venues' messages, so downstream subgraphs and `tail` can release the inputs in between.
   */
  skipMarket(upTo: number): void {
    if (upTo <= this.mdSeq) return;
    this.decoding.skipped(this.mdSeq, upTo);
    this.mdSeq = upTo;
    this.merger.add(0, {
      t: 'b',
      n0: 0,
      up: lineDone(upTo),
      t0: 0,
      seq: NONE,
      feat: NONE,
      ev: NONE,
    });
  }

  /** Whether {@link pushMarket} reads the text of lines on venue token `venue` (`_`: unknown). */
  decodesVenue(venue: string): boolean {
    return this.decoding.decodes(venue);
  }

  /** Decode with the subgraphs sharing `s` whenever they stand where this one stands. */
  shareDecoding(s: SharedDecoding): void {
    this.decoding.share(s);
  }

  /**
   * Call `cb(node, event)` for every event of every node this subgraph computes (its sources
   * included), in processing order: the worker's telemetry (values on every node in the
   * studio). It only watches; batches and state are the same with or without it.
   */
  observeNodes(cb: (node: number, ev: Event) => void): void {
    for (const i of this.g.subgraphs[this.index]!.nodes)
      this.graph.setCallback(this.nodes[i]!, (_f, e) => cb(i, e));
  }

  /** Whether this subgraph reads the market stream (it owns data sources). */
  get readsMarket(): boolean {
    return this.mine.size > 0;
  }

  /**
   * Market message `streamSeq` (a recording line, kind `r`, or a normalized line, kind `e`) on
   * the subject of `venue` (`_`: unknown). A subgraph with sources decodes every line of its
   * sources' venues (an adapter's book state depends on all of its venue's frames), skips the
   * others, and keeps the events of its own sources.
   */
  pushMarket(streamSeq: number, line: string, kind: 'r' | 'e', venue = '_'): void {
    if (streamSeq <= this.mdSeq) return; // a redelivery after a reconnect
    let items: MarketItems;
    try {
      items = this.decoding.items(this.mdSeq, streamSeq, line, kind, venue);
    } catch {
      this.badLines++;
      items = [];
    }
    if (items.length >= K_SPAN) throw new Error(`market message ${streamSeq}: over 2^20 events`);
    if (items.length === 0) {
      this.mdSeq = streamSeq;
      // Most messages of another venue's group, or of no event: only the watermark moves.
      this.merger.add(0, {
        t: 'b',
        n0: 0,
        up: lineDone(streamSeq),
        t0: 0,
        seq: NONE,
        feat: NONE,
        ev: NONE,
      });
      return;
    }
    const seq: number[] = [];
    const feat: number[] = [];
    const ev: Event[] = [];
    items.forEach((m, k) => {
      const s = inputSeq(streamSeq, k);
      if (isGapItem(m)) {
        if (this.gapVenues.has(token(m.gap.exchange))) this.notes.push([s, -1, m]);
        return;
      }
      const src = this.router.route(m);
      if (src === undefined) return;
      const node = this.nodeOf.get(src.key)!;
      if (!this.mine.has(node)) return;
      seq.push(s);
      feat.push(node);
      ev.push(m.event);
      this.notes.push([s, node, m.event.timestamp]);
    });
    this.mdSeq = streamSeq;
    this.merger.add(0, { t: 'b', n0: 0, up: lineDone(streamSeq), t0: 0, seq, feat, ev });
  }

  /** A batch of upstream subgraph `sg`, read at output-stream sequence `streamSeq`. */
  pushUpstream(sg: number, streamSeq: number, b: SubgraphBatch): void {
    const lane = this.lanes[sg]!;
    if (streamSeq <= lane.streamSeq) return;
    if (b.from !== lane.to)
      throw new Error(`subgraph ${sg}: batch from ${b.from} does not continue ${lane.to}`);
    if (b.x.length > 0 && b.keyed !== (this.order !== undefined))
      throw new Error(
        `subgraph ${sg}: batch exports ${b.keyed ? 'with' : 'without'} derivation keys`,
      );
    const seq: number[] = [];
    const feat: number[] = [];
    const ev: Event[] = [];
    for (const [s, node, e] of b.x) {
      if (!this.inputs.has(node)) continue;
      seq.push(s);
      feat.push(node);
      ev.push(e);
    }
    this.merger.add(this.laneOf(sg), { t: 'b', n0: 0, up: b.to, t0: 0, seq, feat, ev });
    this.lanes[sg] = { streamSeq, to: b.to };
  }

  /** Inputs waiting in the merge (backpressure: stop reading above a limit). */
  get queued(): number {
    return this.merger.depth;
  }

  /**
   * Process what the merge releases (stopping between two inputs once `limit` items were
   * produced) and return the next batch of the chain, or undefined when nothing past
   * {@link published} was produced. Inputs ≤ {@link published} are processed but not repeated
   * (a restarted owner catching up with what its predecessor already published).
   */
  drain(limit = 20_000): EncodedBatch | undefined {
    const produced = (): number => this.lines.length + this.exps.length;
    this.merger.drain(
      (it: MergeItem) => {
        if (this.order) return this.order.push(it);
        this.curSeq = it.seq;
        this.graph.emitNamedDataEvent([this.nodes[it.feat]!, it.ev]);
      },
      () => produced() >= limit,
    );
    this.order?.flush();
    const w = this.merger.yielded ? this.merger.drainedUpTo : this.merger.watermark;
    if (w > this.done) this.done = w;
    const to = this.done;
    let k = 0;
    while (k < this.notes.length && this.notes[k]![0] <= to) k++;
    const notes = this.notes.slice(0, k);
    this.notes = this.notes.slice(k);
    const from = this.published;
    if (to <= from) {
      this.lines.clear();
      this.exps = [];
      return undefined;
    }
    this.lines.skipUpTo(from);
    const batch = encodeBatch(
      from,
      to,
      notes.filter((n) => n[0] > from),
      this.lines,
      this.exps.filter((x) => x[0] > from),
      this.order !== undefined,
    );
    this.lines.clear();
    this.exps = [];
    return batch;
  }

  /** The state to checkpoint; valid whenever {@link published} ≥ {@link done}. */
  state(): ProcessorState {
    return {
      graph: this.graph.snapshot(),
      merger: this.merger.state(),
      decoder: this.readsMarket ? this.decoding.snapshot() : undefined,
      notes: this.notes,
      mdSeq: this.mdSeq,
      lanes: this.lanes,
      done: this.done,
      ...(this.order && { ordered: true }),
    };
  }

  restore(s: ProcessorState): void {
    if ((s.ordered ?? false) !== (this.order !== undefined))
      throw new Error(
        `checkpoint ${s.ordered ? 'with' : 'without'} derivation-key order: not this pipeline's`,
      );
    if (this.readsMarket) {
      if (!s.decoder) throw new Error('checkpoint without decoder state');
      this.decoding.restore(s.decoder);
    }
    this.graph.restore(s.graph);
    this.merger.setState(s.merger);
    this.notes = [...s.notes];
    this.mdSeq = s.mdSeq;
    this.lanes = { ...s.lanes };
    this.done = s.done;
  }

  private laneOf(sg: number): number {
    return 1 + this.upstreams.indexOf(sg);
  }
}
