import type { Event } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';
import type { FeatureStreamGraphOptions } from '../core/graph/FeatureStreamGraph.ts';
import type { Stream } from '../core/stream/Stream.ts';
import type { FeatureDagSpec, FeatureNodeSpec } from './featureSpec.ts';
import type { MergeItem } from './InputMerger.ts';

/**
 * Where an event stands in the in-thread, depth-first order of everything one input causes: a
 * path compared lexicographically. An input event routed to source `s` is `[j, s]` (its `j`-th
 * event of that source in the input: a recording line may hold several); the `k`-th event node
 * `f` emits while handling a delivery of its upstream's event `u` is `[...u, f, k]`; that event
 * delivered to consumer `c` is `[...key, c]`. Node numbers are DAG indexes, and a shared node
 * feeds its consumers in DAG order (FeatureStreamGraph builds children first, in that order),
 * so comparing paths gives exactly the order in which one thread would run them.
 */
export type DerivationKey = readonly number[];

/** What an out-edge carries for an item in ordered mode (in `ev`: transports never look inside). */
export interface KeyedEvent {
  readonly k: DerivationKey;
  readonly e: Event;
}

/** Lexicographic order of derivation keys (a prefix first). */
export function compareKeys(a: DerivationKey, b: DerivationKey): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Whether a partitioned run of this DAG needs {@link DerivationOrder}: some node joins two
 * inputs that can carry events of the same input (a diamond, or two sources on one route). Then
 * a joining worker gets one input's events over several lanes, or in an order its upstream
 * worker sent them, and must restore the in-thread order itself. Without such a node every node
 * has one path from each input, so each sees its inputs in the order its single upstream emits
 * them, and the merge by sequence alone is exact. Every worker computes this from the same DAG
 * spec, so all of a run agree (and a live edit that flips it restarts every worker, see
 * `changedSubgraphs`).
 */
export function needsDerivationOrder(dag: FeatureDagSpec, workers: number): boolean {
  if (workers <= 1) return false;
  const origins: Set<string>[] = [];
  let shared = false;
  dag.nodes.forEach((n, i) => {
    if (n.children.length === 0) {
      origins[i] = new Set([routeOf(n, i)]);
      return;
    }
    const all = new Set<string>();
    for (const c of new Set(n.children)) {
      for (const o of origins[c]!) {
        if (all.has(o)) shared = true;
        all.add(o);
      }
    }
    origins[i] = all;
  });
  return shared;
}

/**
 * The route that feeds a source: replay and live feed every source on one (exchange, channel,
 * symbol) the same lines. A market source's channel is its definition's name (`trades`,
 * `ticker`, `l2_book`); a source without an exchange (synthetic) is its own origin.
 */
function routeOf(n: FeatureNodeSpec, i: number): string {
  if (n.params.exchange === undefined) return `node:${i}`;
  return JSON.stringify([n.params.exchange, n.definition, n.params.symbol]);
}

interface Frame {
  readonly key: DerivationKey;
}

interface Consumer {
  readonly node: number;
  readonly from: number;
  readonly to: number;
}

interface Entry {
  readonly stream: Stream<Event>;
  /** Local consumers of the entry, in DAG order, each with its range of the entry's downstreams. */
  consumers: Consumer[];
  /** Downstreams past the consumers: the worker's own sinks (counts, exports, outputs). */
  sinksFrom: number;
}

interface Delivery {
  readonly key: DerivationKey;
  readonly parent: DerivationKey;
  readonly entry: Entry;
  readonly from: number;
  readonly to: number;
  readonly ev: Event;
}

/**
 * A worker's half of the in-thread order across lanes (see {@link DerivationKey}). It tracks the
 * key of every event its nodes emit (a sink first and last on each node's stream: the stack of
 * emissions in progress), tags what leaves on out-edges with it ({@link wrap}), and delivers the
 * items of one input (one sequence number, all lanes) sorted by key, one consumer of a shared
 * input at a time ({@link deliver}). Only a run whose DAG {@link needsDerivationOrder} uses it:
 * every other run keeps the plain merge, unchanged.
 */
export class DerivationOrder {
  private readonly stack: Frame[] = [];
  private readonly index: ReadonlyMap<string, number>;
  private readonly entries = new Map<number, Entry>();
  private readonly tracked: Stream<Event>[] = [];

  constructor(
    private readonly nodes: readonly Feature[],
    /** Node indexes of this worker's sources (their items come unwrapped, from its own input). */
    private readonly sources: ReadonlySet<number>,
  ) {
    this.index = new Map(nodes.map((f, i) => [f.key, i]));
  }

  /** The graph hook: begins tracking each node's emissions, records the entries' consumers. */
  readonly onNode: NonNullable<FeatureStreamGraphOptions['onNode']> = (feature, stream, ups) => {
    const node = this.index.get(feature.key)!;
    for (const [up, from, to] of ups) {
      const entry = [...this.entries.values()].find((e) => e.stream === up);
      if (entry && to > from) entry.consumers.push({ node, from, to });
    }
    if (ups.length === 0) {
      this.entries.set(node, { stream, consumers: [], sinksFrom: 0 });
      return;
    }
    // Attached before any consumer: runs first on each emission and pushes its key.
    let parent: Frame | undefined;
    let k = 0;
    stream.sink(() => {
      const top = this.stack[this.stack.length - 1]!;
      if (top === parent) k++;
      else {
        parent = top;
        k = 0;
      }
      this.stack.push({ key: [...top.key, node, k] });
    });
    this.tracked.push(stream);
  };

  /** Once the graph and every sink of the worker are attached: close each emission last. */
  finish(): void {
    for (const s of this.tracked) s.sink(() => this.stack.pop());
    for (const e of this.entries.values()) {
      e.consumers.sort((a, b) => a.node - b.node);
      e.sinksFrom = e.consumers.reduce((m, c) => Math.max(m, c.to), 0);
    }
  }

  /** An exported event with the key of the emission in progress (what an out-edge carries). */
  wrap(e: Event): Event {
    return {
      k: this.stack[this.stack.length - 1]!.key,
      e,
    } satisfies KeyedEvent as unknown as Event;
  }

  /**
   * Run every item of one input (one seq, from all lanes) in the in-thread order: each entry's
   * event goes to each local consumer separately, at its key, and to the worker's own sinks once
   * (at the entry's key, before its consumers). `other` takes items that are not events (a line
   * failure), in arrival order.
   */
  deliver(items: readonly MergeItem[], other: (it: MergeItem) => boolean): void {
    const ds: Delivery[] = [];
    const perSource = new Map<number, number>();
    for (const it of items) {
      if (other(it)) continue;
      let key: DerivationKey;
      let ev: Event;
      if (this.sources.has(it.feat)) {
        const j = perSource.get(it.feat) ?? 0;
        perSource.set(it.feat, j + 1);
        key = [j, it.feat];
        ev = it.ev;
      } else {
        const w = it.ev as unknown as KeyedEvent;
        key = w.k;
        ev = w.e;
      }
      const entry = this.entries.get(it.feat)!;
      const sinksTo = entry.stream.downstreams.length;
      if (sinksTo > entry.sinksFrom)
        ds.push({ key, parent: key, entry, from: entry.sinksFrom, to: sinksTo, ev });
      for (const c of entry.consumers)
        ds.push({ key: [...key, c.node], parent: key, entry, from: c.from, to: c.to, ev });
    }
    // Stable: equal keys (never expected) keep arrival order.
    ds.sort((a, b) => compareKeys(a.key, b.key));
    for (const d of ds) {
      this.stack.push({ key: d.parent });
      d.entry.stream.emitRange(d.ev, d.from, d.to);
      this.stack.pop();
    }
  }
}
