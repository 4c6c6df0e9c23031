import type { Event, MarketEvent } from '../events.ts';
import type { Feature } from '../feature/Feature.ts';
import { FeatureStreamGraph, type NamedDataEvent } from '../graph/FeatureStreamGraph.ts';
import { AsOfJoin } from './AsOfJoin.ts';
import type { Interval } from './configInterval.ts';
import { ndjsonLine, type OutputColumns, outputColumns } from './format.ts';
import { parseInputLine } from './inputLine.ts';
import { mergeByTimestamp } from './merge.ts';
import { SourceRouter } from './routing.ts';

/** `ndjson`: every output event, in emission order. `csv`: the as-of join keyed on output 0. */
export type BatchFormat = 'ndjson' | 'csv';

export interface BatchRunnerOptions {
  readonly format: BatchFormat;
  /** Epoch-second interval over which synthetic sources generate (config start/end dates). */
  readonly interval?: Interval;
}

/** Counters of a batch run. */
export interface BatchStats {
  /** Input lines seen (blank ones included). */
  lines: number;
  /** Market events fed to the graph. */
  events: number;
  /** Market events that matched no source of the configured features. */
  skipped: number;
  /** NDJSON lines or CSV rows produced. */
  outputs: number;
}

/**
 * The pure, incremental batch runner behind the CLI and the browser: feed it normalized input
 * lines with {@link pushLine} and write what each call returns; {@link finish} returns the rest.
 * No I/O, so a caller can stream a file of any size through it.
 *
 * Events are processed in FILE order, not re-sorted (a recording is already in arrival order; the
 * live path trusts arrival order too). Synthetic sources, if any, generate over `interval` and are
 * interleaved by timestamp: before each input event, every synthetic event at or before it; the
 * rest at the end. Malformed lines throw {@link InputLineError} naming the line and field.
 */
export class BatchRunner {
  readonly stats: BatchStats = { lines: 0, events: 0, skipped: 0, outputs: 0 };
  private readonly graph: FeatureStreamGraph;
  private readonly router: SourceRouter;
  private readonly join: AsOfJoin | undefined;
  private readonly synthetic: NamedDataEvent[];
  private syntheticPos = 0;
  private out = '';
  private started = false;
  private readonly cols: OutputColumns[];
  /** Outputs of the input being processed, as [feature position, event]. */
  private pending: [number, Event][] = [];

  constructor(features: readonly Feature[], options: BatchRunnerOptions) {
    if (features.length === 0) throw new Error('no features configured');
    this.graph = new FeatureStreamGraph(features);
    this.cols = features.map(outputColumns);
    this.join = options.format === 'csv' ? new AsOfJoin(this.cols) : undefined;
    features.forEach((f, i) => this.graph.setCallback(f, (_f, e) => this.pending.push([i, e])));
    this.router = new SourceRouter(this.graph.getIns());
    this.synthetic = mergeByTimestamp(syntheticLists(this.graph.getIns(), options.interval));
  }

  /** Process line `lineNo` (1-based, for error messages); returns output text to append. */
  pushLine(text: string, lineNo: number): string {
    this.stats.lines++;
    const m = parseInputLine(text, lineNo);
    return m === undefined ? this.take() : this.pushEvent(m);
  }

  /**
   * Process one market event that did not come from a normalized line (e.g. decoded from a
   * raw-frame recording by the venue adapters); returns output text to append.
   */
  pushEvent(m: MarketEvent): string {
    this.begin();
    const source = this.router.route(m);
    if (source === undefined) this.stats.skipped++;
    else {
      this.feedSynthetic(m.event.timestamp);
      this.stats.events++;
      this.graph.emitNamedDataEvent([source, m.event]);
      this.flushPending();
    }
    return this.take();
  }

  /** End of input: remaining synthetic events and CSV rows. */
  finish(): string {
    this.begin();
    this.feedSynthetic(Infinity);
    if (this.join) this.emitRows(this.join.finish());
    return this.take();
  }

  /** Configured data sources no input event matched (see {@link SourceRouter.unmatched}). */
  unmatchedSources(): Feature[] {
    return this.router.unmatched();
  }

  private begin(): void {
    if (this.started) return;
    this.started = true;
    if (this.join) this.out += this.join.header();
  }

  private emitRows(rows: string): void {
    this.out += rows;
    for (let i = 0; i < rows.length; i++) if (rows.charCodeAt(i) === 10) this.stats.outputs++;
  }

  private feedSynthetic(uptoSec: number): void {
    const s = this.synthetic;
    while (this.syntheticPos < s.length && s[this.syntheticPos]![1].timestamp <= uptoSec) {
      this.graph.emitNamedDataEvent(s[this.syntheticPos++]!);
      this.flushPending();
    }
  }

  /**
   * Write one input's outputs in canonical order: by configured feature position, then emission
   * order. Depth-first emission order depends on how the graph happened to be wired; this order
   * does not, so the worker runtime (any partitioning) produces the very same bytes.
   */
  private flushPending(): void {
    const p = this.pending;
    if (p.length === 0) return;
    if (p.length > 1) {
      const sorted = p.map((x, k) => [x, k] as const);
      sorted.sort((a, b) => a[0][0] - b[0][0] || a[1] - b[1]);
      for (let k = 0; k < p.length; k++) p[k] = sorted[k]![0];
    }
    for (const [i, e] of p) {
      if (this.join) {
        const rows = this.join.push(i, e);
        if (rows !== '') this.emitRows(rows);
      } else {
        this.out += ndjsonLine(this.cols[i]!, e);
        this.stats.outputs++;
      }
    }
    this.pending = [];
  }

  private take(): string {
    const t = this.out;
    this.out = '';
    return t;
  }
}

function syntheticLists(
  sources: readonly Feature[],
  interval: BatchRunnerOptions['interval'],
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
