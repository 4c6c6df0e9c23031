import { featuresFromConfig } from '../config/featuresFromConfig.ts';
import type { FeaturizerConfig } from '../config/FeaturizerConfig.ts';
import type { Event } from '../events.ts';
import type { Feature } from '../feature/Feature.ts';
import { CallbackSink } from './CallbackSink.ts';
import { combineLatest } from '../stream/combine.ts';
import { Stream } from '../stream/Stream.ts';
import {
  collectStateful,
  type GraphSnapshot,
  restoreStateful,
  snapshotOps,
  restoreOps,
} from './snapshot.ts';

/** An event tagged with the feature that produced it. */
export type NamedDataEvent = readonly [feature: Feature, event: Event];
/** One named event per output feature, in `getOuts()` order. */
export type GroupedNamedDataEvent = readonly NamedDataEvent[];

export type FeatureCallback = (feature: Feature, event: Event) => void;

/** Construction options beyond the seed's positional arguments. */
export interface FeatureStreamGraphOptions {
  /**
   * Features treated as input leaves even though they are derived: a worker subgraph whose
   * upstream runs elsewhere is fed their events through `emitNamedDataEvent`, and nothing below
   * them is built. They join `getIns()` (and the snapshot walk) in first-seen order.
   */
  readonly inputs?: readonly Feature[];
  /**
   * Called once per node as soon as its stream exists, before any consumer attaches to it, with
   * the downstream ranges `[stream, from, to)` the node's own operators took on each upstream
   * (none for input leaves). A worker that orders deliveries across lanes hooks its nodes here
   * (runtime/DerivationOrder); unset, nothing changes.
   */
  readonly onNode?: (
    feature: Feature,
    stream: Stream<Event>,
    attached: readonly (readonly [up: Stream<Event>, from: number, to: number])[],
  ) => void;
}

/**
 * The seed's FeatureStreamGraph: joins feature trees into one stream DAG, one node per feature key
 * (identical sub-features are shared), fed through `emitNamedDataEvent`.
 *
 * Identity: a key names a computation. Distinct Feature objects with one key (same definition,
 * params and children; names aside) are one feature, computed once, in every engine: a callback
 * set on any of them, `getStream` and `emitNamedDataEvent` reach the one node, and a feature
 * whose children are key-equal objects gets one upstream entry for them (the first object seen
 * with that key), exactly as if one object were its child twice. The seed's `dep_upstreams` was
 * a dict keyed by Feature, whose equality is the key; the worker graph rebuilds features from a
 * spec by key; so in-thread, on workers and in the cluster, join(n0, n1) with n0 ≡ n1 emits once
 * per update of n0.
 *
 * Ordering: processing is synchronous and depth-first; events are handled in the order they are
 * emitted, whatever their timestamps (callers that merge several inputs order them first, see
 * OfflineFeatureStreamGenerator). One input fully propagates before `emitNamedDataEvent` returns;
 * a shared node feeds its consumers in the order they were wired (config order, children first).
 *
 * Combined outputs (the alignment rule, as in the seed): nothing is emitted until every output has
 * emitted at least once; after that, every update of any output emits a GroupedNamedDataEvent with
 * the latest event of each output. One input can therefore cause several combined emissions (e.g.
 * mid price, then the volatility computed from it); each tuple reflects the state at that moment.
 */
export class FeatureStreamGraph {
  private readonly nodes = new Map<
    string,
    { feature: Feature; stream: Stream<Event>; ops: readonly Stream<unknown>[] }
  >();
  private readonly outs: Feature[];
  private readonly ins: Feature[] = [];
  private readonly boundary: ReadonlySet<string>;
  private readonly onNode: FeatureStreamGraphOptions['onNode'];
  /** The source fed last and its stream (see {@link emitNamedDataEvent}). */
  private lastIn: Feature | undefined;
  private lastInStream: Stream<Event> | undefined;
  /** Streams of the feature objects fed so far, by identity: inputs alternate between sources. */
  private readonly inStreams = new Map<Feature, Stream<Event>>();

  constructor(
    featuresOrConfig: readonly Feature[] | FeaturizerConfig,
    combineOutputs = false,
    combinedOutCallback?: (grouped: GroupedNamedDataEvent) => void,
    options: FeatureStreamGraphOptions = {},
  ) {
    this.boundary = new Set((options.inputs ?? []).map((f) => f.key));
    this.onNode = options.onNode;
    this.outs = isFeatureList(featuresOrConfig)
      ? [...featuresOrConfig]
      : featuresFromConfig(featuresOrConfig);
    for (const f of this.outs) this.connect(f);
    if (combineOutputs) {
      const named = this.outs.map((f) => this.getStream(f).map((e): NamedDataEvent => [f, e]));
      const combined = combineLatest(...named);
      if (combinedOutCallback) combined.sink((group) => combinedOutCallback(group));
    }
  }

  /** Push an event into the stream of `feature` (normally a data source). */
  emitNamedDataEvent(namedEvent: NamedDataEvent): void {
    const f = namedEvent[0];
    // Consecutive events mostly feed the same source: skip the lookup by key for those.
    if (f !== this.lastIn) {
      let s = this.inStreams.get(f);
      if (s === undefined) this.inStreams.set(f, (s = this.getStream(f)));
      this.lastInStream = s;
      this.lastIn = f;
    }
    this.lastInStream!.emit(namedEvent[1]);
  }

  /**
   * Call `callback(feature, event)` for every event `feature` emits: the events of its key's one
   * node, whichever key-equal object is passed (it is the one handed back as `feature`).
   */
  setCallback(feature: Feature, callback: FeatureCallback): void {
    new CallbackSink(this.getStream(feature), feature, callback);
  }

  /** Input leaves (data sources and boundary `inputs`), each once, in first-seen order. */
  getIns(): Feature[] {
    if (this.ins.length === 0) throw new Error('FeatureStreamGraph has no data sources');
    return [...this.ins];
  }

  /** The features this graph was built for, in the given order. */
  getOuts(): Feature[] {
    return [...this.outs];
  }

  /** The output stream of any node (or the input stream of a data source). */
  getStream(feature: Feature): Stream<Event> {
    const node = this.nodes.get(feature.key);
    if (!node) throw new Error(`feature ${feature.toString()} is not in this graph`);
    return node.stream;
  }

  /** Every node's feature (sources included), children before parents. */
  getFeatures(): Feature[] {
    return [...this.nodes.values()].map((n) => n.feature);
  }

  /** The state of every stateful operator, as a plain structured-cloneable value. */
  snapshot(): GraphSnapshot {
    return collectStateful(this.ins.map((f) => this.getStream(f)));
  }

  /** Put this graph (built from the same features) into the state of `snap`. */
  restore(snap: GraphSnapshot): void {
    restoreStateful(
      this.ins.map((f) => this.getStream(f)),
      snap,
    );
  }

  /**
   * The state of each feature's own operators (those its definition's `stream()` created), by
   * feature key. Unlike {@link snapshot}, a feature's entry stays valid in any graph containing
   * the same key, so a rebuilt graph (an edited pipeline) carries over what did not change.
   */
  snapshotFeatures(): Record<string, GraphSnapshot> {
    const out: Record<string, GraphSnapshot> = {};
    for (const [key, n] of this.nodes) if (n.ops.length > 0) out[key] = snapshotOps(n.ops);
    return out;
  }

  /**
   * Restore the features of `snaps` that this graph has (by key); other entries are ignored and
   * features without an entry keep their fresh state. Returns the keys restored.
   */
  restoreFeatures(snaps: Readonly<Record<string, GraphSnapshot>>): string[] {
    const done: string[] = [];
    for (const [key, n] of this.nodes) {
      const snap = snaps[key];
      if (snap === undefined || n.ops.length === 0) continue;
      restoreOps(n.ops, snap);
      done.push(key);
    }
    return done;
  }

  private connect(feature: Feature): Stream<Event> {
    const existing = this.nodes.get(feature.key);
    if (existing) return existing.stream;
    let stream: Stream<Event>;
    let ops: Stream<unknown>[] = [];
    const def = feature.definition;
    if (def.kind === 'source' || this.boundary.has(feature.key)) {
      stream = new Stream<Event>();
      this.ins.push(feature);
      this.onNode?.(feature, stream, []);
    } else {
      // Keyed by each child's node (the object first seen with its key), not by the child
      // object: two key-equal children are one feature, so one upstream entry, as in the worker
      // graph (rebuilt from a spec by key) and in the seed (a dict keyed by Feature, equal by key).
      const upstreams = new Map<Feature, Stream<Event>>();
      for (const child of feature.children) {
        const stream = this.connect(child);
        upstreams.set(this.nodes.get(child.key)!.feature, stream);
      }
      // What `stream()` attaches to its upstreams is this feature's own operator chain.
      const ups = [...new Set(upstreams.values())];
      const before = ups.map((u) => u.downstreams.length);
      stream = def.stream(upstreams, feature.params);
      const roots = ups.flatMap((u, i) => u.downstreams.slice(before[i]));
      ops = ownOperators(roots, stream);
      this.onNode?.(
        feature,
        stream,
        ups.map((u, i) => [u as Stream<Event>, before[i]!, u.downstreams.length] as const),
      );
    }
    this.nodes.set(feature.key, { feature, stream, ops });
    return stream;
  }
}

/** Stateful operators from `roots` down to (and including) `out`, never past it. */
function ownOperators(roots: readonly Stream<unknown>[], out: Stream<unknown>): Stream<unknown>[] {
  const seen = new Set<Stream<unknown>>();
  const found: Stream<unknown>[] = [];
  const visit = (s: Stream<unknown>): void => {
    if (seen.has(s)) return;
    seen.add(s);
    if (s.stateful) found.push(s);
    if (s !== out) s.downstreams.forEach(visit);
  };
  roots.forEach(visit);
  return found;
}

function isFeatureList(x: readonly Feature[] | FeaturizerConfig): x is readonly Feature[] {
  return Array.isArray(x);
}
