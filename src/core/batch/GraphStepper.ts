import type { Event } from '../events.ts';
import type { Feature } from '../feature/Feature.ts';
import { FeatureStreamGraph, type NamedDataEvent } from '../graph/FeatureStreamGraph.ts';
import type { Interval } from './configInterval.ts';
import type { GapItem } from './gaps.ts';
import { mergeByTimestamp } from './merge.ts';

/**
 * Where a {@link GraphStepper}'s calls go, in the order {@link OutputWriter} needs them: per input
 * event `before`, its outputs (by observed position), `after`; `gap` between inputs.
 */
export interface StepSink {
  before(source: Feature, ts: number): void;
  output(pos: number, e: Event): void;
  after(source: Feature, ts: number): void;
  gap(item: GapItem): void;
}

export interface GraphStepperOptions {
  /** Features the graph is built from; default: the observed ones. */
  readonly graph?: readonly Feature[];
  /**
   * Generate synthetic sources (a definition's `generate`) over `interval` and interleave them by
   * timestamp (default true: batch runs). A replay of a live recording leaves them silent, as live does.
   */
  readonly synthetic?: boolean;
  /** Epoch-second interval over which synthetic sources generate (config start/end dates). */
  readonly interval?: Interval;
  /**
   * `canonical` (default): each input's outputs by observed position, then emission order — what
   * batch text needs, equal on any partitioning. `emission`: as the graph emits them, as the
   * in-thread live runner sees them (replay and Compare, which match that run).
   */
  readonly order?: 'canonical' | 'emission';
}

/**
 * The one way events enter a feature graph over recorded or batch input in one thread:
 * `featurizer run` (normalized lines and recordings), the studio's export, replay and Compare
 * all step through it (its fronts: {@link BatchRunner}, and session/NodeGraph under the replay's
 * decoder loop). It feeds one routed input event at a
 * time, writes that input's outputs in canonical order, reports gaps between inputs, and
 * interleaves synthetic sources: before each input, every synthetic event at or before it; the
 * rest at {@link finish}. Pure and synchronous.
 */
export class GraphStepper {
  readonly graph: FeatureStreamGraph;
  private readonly synthetic: NamedDataEvent[];
  private syntheticPos = 0;
  /**
   * Outputs of the input being processed: observed positions and events, the first `pendingN`
   * entries (the arrays are reused, never shrunk: resetting a length reallocates).
   */
  private readonly pendingPos: number[] = [];
  private readonly pendingEvents: Event[] = [];
  private pendingN = 0;
  /** The pair handed to the graph, reused: the graph reads it only during the call. */
  private readonly input: [Feature, Event] = [
    undefined as unknown as Feature,
    undefined as unknown as Event,
  ];

  /** `observed[i]`'s outputs reach the sink as position `i`. */
  constructor(
    observed: readonly Feature[],
    private readonly sink: StepSink,
    options: GraphStepperOptions = {},
  ) {
    this.graph = new FeatureStreamGraph(options.graph ?? observed);
    const emission = options.order === 'emission';
    observed.forEach((f, i) =>
      this.graph.setCallback(
        f,
        emission
          ? (_f, e) => sink.output(i, e)
          : (_f, e) => {
              const n = this.pendingN++;
              this.pendingPos[n] = i;
              this.pendingEvents[n] = e;
            },
      ),
    );
    this.synthetic =
      options.synthetic === false
        ? []
        : mergeByTimestamp(syntheticLists(this.graph.getIns(), options.interval));
  }

  /** One input event of data source `source` (synthetic events due before it go first). */
  step(source: Feature, e: Event): void {
    this.feedSynthetic(e.timestamp);
    this.emit(source, e);
  }

  /** A venue stream lost integrity, between two input events. */
  gap(item: GapItem): void {
    this.sink.gap(item);
  }

  /** End of input: the remaining synthetic events. */
  finish(): void {
    this.feedSynthetic(Infinity);
  }

  /** One input event, with the sink's calls around it (the order {@link SeqAligner} rebuilds). */
  private emit(source: Feature, e: Event): void {
    this.sink.before(source, e.timestamp);
    this.input[0] = source;
    this.input[1] = e;
    this.graph.emitNamedDataEvent(this.input);
    this.flushPending();
    this.sink.after(source, e.timestamp);
  }

  private feedSynthetic(uptoSec: number): void {
    const s = this.synthetic;
    while (this.syntheticPos < s.length && s[this.syntheticPos]![1].timestamp <= uptoSec) {
      const [f, e] = s[this.syntheticPos++]!;
      this.emit(f, e);
    }
  }

  /**
   * Hand one input's outputs on in canonical order: by observed position, then emission order.
   * Depth-first emission order depends on how the graph happened to be wired; this order does
   * not, so the worker runtime (any partitioning) produces the very same bytes.
   */
  private flushPending(): void {
    const pos = this.pendingPos;
    const evs = this.pendingEvents;
    const n = this.pendingN;
    if (n === 0) return;
    this.pendingN = 0;
    // Stable insertion sort by position: a handful of outputs, usually already in order, so
    // this is one comparison each and allocates nothing.
    for (let k = 1; k < n; k++) {
      const p = pos[k]!;
      if (pos[k - 1]! <= p) continue;
      const e = evs[k]!;
      let j = k - 1;
      for (; j >= 0 && pos[j]! > p; j--) {
        pos[j + 1] = pos[j]!;
        evs[j + 1] = evs[j]!;
      }
      pos[j + 1] = p;
      evs[j + 1] = e;
    }
    for (let k = 0; k < n; k++) this.sink.output(pos[k]!, evs[k]!);
  }
}

function syntheticLists(
  sources: readonly Feature[],
  interval: Interval | undefined,
): NamedDataEvent[][] {
  const lists: NamedDataEvent[][] = [];
  for (const f of sources) {
    const def = f.definition;
    if (def.kind !== 'source' || def.generate === undefined) continue;
    if (!interval)
      throw new Error(`synthetic source ${f.toString()} needs start_date and end_date`);
    lists.push(def.generate(f.params, interval.start, interval.end).map((e) => [f, e] as const));
  }
  return lists;
}
