import { featuresFromConfig } from '../config/featuresFromConfig.ts';
import type { FeaturizerConfig } from '../config/FeaturizerConfig.ts';
import { type Event, type MarketEvent, toMicros } from '../events.ts';
import type { Feature } from '../feature/Feature.ts';
import { FeatureStreamGraph, type NamedDataEvent } from '../graph/FeatureStreamGraph.ts';
import { configInterval, type Interval } from './configInterval.ts';
import { mergeByTimestamp } from './merge.ts';
import { SourceRouter } from './routing.ts';

/** One step of an offline replay (the seed's `DataStreamEvent`, fixed). */
export interface DataStreamEvent {
  /** Timestamp of the input group this step consumed. */
  readonly timestamp: number;
  /** Largest `receipt_timestamp` in that group. */
  readonly receipt_timestamp: number;
  /** Latest event of every output that has emitted so far (a fresh map per step). */
  readonly feature_values: ReadonlyMap<Feature, Event>;
  /** Outputs that emitted during this step, in first-emission order. */
  readonly updated: readonly Feature[];
}

/** Stored inputs of an offline replay. */
export interface OfflineInputs {
  /** Tagged events (the seed's blocks), each list ideally in timestamp order. */
  readonly named?: readonly (readonly NamedDataEvent[])[];
  /** Market events, routed to source features by (exchange, instrument_type, channel, symbol). */
  readonly market?: readonly MarketEvent[];
  /** Epoch-second interval for synthetic sources; default: the config's start/end dates. */
  readonly interval?: Interval;
}

/**
 * The seed's OfflineFeatureStreamGenerator, fixed: replays stored (or synthetic) inputs through a
 * {@link FeatureStreamGraph} one timestamp at a time.
 *
 * Order: all inputs are merged by `timestamp` STABLY — ties keep input order: the `named` lists in
 * the given order, then the market events (in their given order), then synthetic sources (in
 * graph source order). Each {@link next} consumes every input whose timestamp equals the next one
 * in integer microseconds (the seed compared floats) and returns a new {@link DataStreamEvent}
 * (the seed reused a stale one, stamped with feature 0's possibly old timestamp).
 *
 * Use `hasNext()`/`next()` like the backtester loop, or iterate: `for (const e of gen)`.
 */
export class OfflineFeatureStreamGenerator implements Iterable<DataStreamEvent> {
  readonly graph: FeatureStreamGraph;
  private readonly inputs: NamedDataEvent[];
  private pos = 0;
  private readonly values = new Map<Feature, Event>();
  private updated: Feature[] = [];
  private readonly router: SourceRouter;

  constructor(featuresOrConfig: readonly Feature[] | FeaturizerConfig, inputs: OfflineInputs = {}) {
    const isList = Array.isArray(featuresOrConfig);
    const features = isList
      ? (featuresOrConfig as readonly Feature[])
      : featuresFromConfig(featuresOrConfig as FeaturizerConfig);
    this.graph = new FeatureStreamGraph(features);
    for (const out of this.graph.getOuts()) {
      this.graph.setCallback(out, (_f, e) => {
        this.values.set(out, e);
        if (!this.updated.includes(out)) this.updated.push(out);
      });
    }
    this.router = new SourceRouter(this.graph.getIns());
    const market: NamedDataEvent[] = [];
    for (const m of inputs.market ?? []) {
      const f = this.router.route(m);
      if (f) market.push([f, m.event]);
    }
    for (const list of inputs.named ?? []) for (const [f] of list) this.graph.getStream(f);
    const config = isList ? undefined : (featuresOrConfig as FeaturizerConfig);
    this.inputs = mergeByTimestamp([
      ...(inputs.named ?? []),
      market,
      ...this.synthetic(inputs.interval ?? configInterval(config)),
    ]);
  }

  /** Market events that matched no source of the graph. */
  get skipped(): number {
    return this.router.skipped;
  }

  /** Input events not consumed yet. */
  get remaining(): number {
    return this.inputs.length - this.pos;
  }

  hasNext(): boolean {
    return this.pos < this.inputs.length;
  }

  /** Consume the next group of equal-timestamp inputs; throws when there is none. */
  next(): DataStreamEvent {
    const first = this.inputs[this.pos];
    if (first === undefined) throw new Error('OfflineFeatureStreamGenerator: no more events');
    const us = toMicros(first[1].timestamp);
    let receipt = -Infinity;
    this.updated = [];
    while (this.pos < this.inputs.length) {
      const named = this.inputs[this.pos]!;
      if (toMicros(named[1].timestamp) !== us) break;
      this.pos++;
      receipt = Math.max(receipt, named[1].receipt_timestamp);
      this.graph.emitNamedDataEvent(named);
    }
    return {
      timestamp: first[1].timestamp,
      receipt_timestamp: receipt,
      feature_values: new Map(this.values),
      updated: this.updated,
    };
  }

  *[Symbol.iterator](): Iterator<DataStreamEvent> {
    while (this.hasNext()) yield this.next();
  }

  private synthetic(interval: OfflineInputs['interval']): NamedDataEvent[][] {
    const lists: NamedDataEvent[][] = [];
    for (const f of this.graph.getIns()) {
      const def = f.definition;
      if (def.kind !== 'source' || def.generate === undefined) continue;
      if (!interval) {
        throw new Error(
          `synthetic source ${f.toString()} needs an interval: set start_date and end_date`,
        );
      }
      lists.push(def.generate(f.params, interval.start, interval.end).map((e) => [f, e] as const));
    }
    return lists;
  }
}
